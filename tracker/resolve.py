"""Mentions -> places: one place per mention (or an explicit "unresolved"), with evidence.

The resolver reads an article the way a careful reader does, with the same ranking
model as ``tracker where --context`` (:func:`tracker.search.prior_terms` and
:func:`tracker.search.anchor_terms`, vectorised over a whole document):

* one sense per document: mentions with the same spelling and kind name the same place;
* every other place and region named in the document is context, weighted by how close
  it stands in the text (same sentence, same paragraph, elsewhere); compass phrases in
  the same sentence ("near Pokrovka (southeast of Sumy City)") count as bearings;
* two passes: first each name with its size and front-line priors only, then each name
  against the other names' beliefs from the first pass, so that a village near the other
  villages of the story wins (spatial coherence) and a region named in the sentence
  decides ambiguity.

The confidence is the candidate's probability under the model, with a temperature
calibrated on the development set (see :data:`TEMPERATURE`).
"""

from __future__ import annotations

import re
from bisect import bisect_right

import numpy as np

from .context import bearing_before
from .models import Mention, Place, ResolvedMention
from .names import fold
from .search import _row_place, prior_terms
from .units import oblast_by

__all__ = ["TEMPERATURE", "resolve_mentions"]

#: Softmax temperature of the final scores. Fitted on the development corpus
#: (330 gold settlement mentions) by log-loss: T = 2.5 gave log-loss 0.222 and expected
#: calibration error 0.018, against 0.268 and 0.033 at T = 1 (over-confident).
TEMPERATURE = 2.5
#: Below this confidence a mention is reported as unresolved (with its candidates).
ABSTAIN_BELOW = 0.2
_TOP_ANCHOR_PLACES = 12
#: An anchor place below this share of its name's best candidate is left out of the context.
_MIN_ANCHOR_WEIGHT = 0.1
_STATED_REGION_GAP = re.compile(
    r"^\s*(?:,|\(|in|of)\s*(?:the\s+)?(?:nearby\s+|neighbou?ring\s+|adjacent\s+|eastern\s+|"
    r"western\s+|northern\s+|southern\s+|central\s+)?$",
    re.IGNORECASE,
)


def _found(m: Mention) -> dict[int, tuple[float, str, str]]:
    sims = m.similarity or (100.0,) * len(m.candidates)
    sources = m.sources or ("",) * len(m.candidates)
    return {p: (s, m.text, src) for p, s, src in zip(m.candidates, sims, sources, strict=True)}


def resolve_mentions(
    text: str,
    mentions: list[Mention],
    store,
    *,
    temperature: float | None = None,
    date: str | None = None,
) -> list[ResolvedMention]:
    """Resolve every mention of one document (see the module docstring).

    With the article's *date*, the front-line prior uses the DeepState snapshot of that
    day (distance of each candidate to the line of contact then) instead of the
    archive-wide distance, and every resolved settlement gets its front-line status.
    """
    temperature = TEMPERATURE if temperature is None else temperature
    from .mentions import sentence_spans

    sentences = sentence_spans(text)
    sent_starts = [s for s, _ in sentences]
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def sent_of(pos: int) -> int:
        return max(0, bisect_right(sent_starts, pos) - 1)

    def par_of(pos: int) -> int:
        return bisect_right(line_starts, pos) - 1

    # one sense per document: group mentions by spelling and kind
    groups: dict[tuple[str, str], list[int]] = {}
    for i, m in enumerate(mentions):
        if m.candidates:
            groups.setdefault((fold(m.text), m.kind), []).append(i)
    keys = list(groups)
    pos = {
        k: [(sent_of(mentions[i].start), par_of(mentions[i].start)) for i in groups[k]]
        for k in keys
    }
    # the bearing a sentence gives right before a mention ("southeast of Sumy City")
    bearing = {}
    for i, m in enumerate(mentions):
        b = bearing_before(text[max(0, m.start - 40) : m.start], strict=True)
        if b is not None:
            bearing[i] = b

    dated = _dated_front(store, date, [p for k in keys for p in mentions[groups[k][0]].candidates])
    base: dict[tuple[str, str], tuple[list[int], np.ndarray, list[list[str]]]] = {}
    for k in keys:
        found = _found(mentions[groups[k][0]])
        if dated is None:
            base[k] = prior_terms(store, found)
        else:
            km_by_pid, label = dated
            km = np.asarray([km_by_pid.get(p, np.nan) for p in found])
            base[k] = prior_terms(store, found, front_km=km, front_label=label)
    probs = {k: _softmax(base[k][1]) for k in keys}

    # text proximity between groups: 1 same sentence, 0.6 same paragraph, ...
    n = len(keys)
    weight = np.zeros((n, n))
    shared_sentence = np.zeros((n, n), dtype=bool)
    sents = [{sa for sa, _ in pos[k]} for k in keys]
    pars = [{pa for _, pa in pos[k]} for k in keys]
    near_pars = [{p + d for p in ps for d in (-2, -1, 0, 1, 2)} for ps in pars]
    for a in range(n):
        for b in range(a + 1, n):
            if sents[a] & sents[b]:
                w = 1.0
            elif pars[a] & pars[b]:
                w = 0.6
            elif near_pars[a] & pars[b]:
                w = 0.35
            else:
                w = 0.2
            weight[a, b] = weight[b, a] = w
            shared_sentence[a, b] = shared_sentence[b, a] = w == 1.0
    group_bearing = np.full(n, np.nan)
    for g, k in enumerate(keys):
        for i in groups[k]:
            if i in bearing and bearing[i] is not None:
                group_bearing[g] = bearing[i]
    direction = np.asarray([mentions[groups[k][0]].cue == "direction" for k in keys])
    texts = [fold(mentions[groups[k][0]].text) for k in keys]

    final: dict[tuple[str, str], np.ndarray] = {}
    group_of: dict[tuple[str, str], int] = {}
    # one coherence pass: every group against the others' prior beliefs (a second
    # pass was measured to be slower and no more accurate on the development set)
    layer = _AnchorLayer(store, keys, base, probs, direction, mentions, groups)
    for g, k in enumerate(keys):
        pids, logits0, _evidence0 = base[k]
        logits = logits0 + layer.terms(g, pids, weight[g], shared_sentence[g], group_bearing, texts)
        final[k] = logits
        group_of[k] = g

    explained: dict[tuple[str, str], tuple[str, ...]] = {}
    out = []
    for m in mentions:
        s0, s1 = sentences[sent_of(m.start)] if sentences else (0, len(text))
        sentence = text[s0:s1].strip()
        if m.foreign is not None:
            out.append(
                ResolvedMention(
                    m,
                    sentence,
                    None,
                    1.0,
                    status="foreign",
                    geo_precision=1 if m.kind == "city" else 3,
                )
            )
            continue
        if not m.candidates:
            out.append(
                ResolvedMention(
                    m, sentence, None, 0.0, status=m.kind if m.kind == "river" else "unresolved"
                )
            )
            continue
        k = (fold(m.text), m.kind)
        pids, logits0, evidence0 = base[k]
        logits = final.get(k, logits0)
        p = _softmax(logits / temperature)
        order = np.argsort(-p)
        best = int(order[0])
        if k not in explained:  # the evidence for the winner: priors, then the context
            context = layer.explain(group_of[k], best) if k in group_of else []
            explained[k] = (*evidence0[best], *context)
        place = _row_place(store, pids[best])
        alternatives = tuple((_row_place(store, pids[j]), float(p[j])) for j in order[1:4])
        confident = p[best] >= ABSTAIN_BELOW
        out.append(
            ResolvedMention(
                mention=m,
                sentence=sentence,
                place=place if confident else None,
                confidence=float(p[best]),
                alternatives=alternatives
                if confident
                else ((place, float(p[best])), *alternatives),
                evidence=explained[k],
                geo_precision=_precision(m, place),
                regions=_region_checks(text, m, place, mentions, store) if confident else None,
                status="resolved" if confident else "unresolved",
            )
        )
    if date:
        out = _with_frontline(out, store, date)
    return out


def _dated_front(store, date: str | None, pids: list[int]):
    """Distance of candidate settlements to the line of contact on *date*: ({pid: km}, label)."""
    if not date:
        return None
    front = store.frontline
    if not front.covers(date):
        return None  # before the archive: the archive-wide prior stands
    i = front.index_for(date)
    col = store.col
    pids = np.unique(np.asarray(pids, dtype=int))
    pids = pids[col["is_settlement"][pids] & ~np.isnan(col["lon"][pids])]
    if pids.size == 0:
        return {}, None
    km = front.km_to_line(col["lon"][pids], col["lat"][pids], i)
    snap = front.dates[i].isoformat()
    label = f"on {date} (DeepStateMap snapshot {snap})"
    return dict(zip(pids.tolist(), km.tolist(), strict=True)), label


def _with_frontline(out: list[ResolvedMention], store, date: str) -> list[ResolvedMention]:
    """Attach the front-line status on *date* to every resolved settlement with coordinates."""
    from dataclasses import replace

    todo = [
        i
        for i, r in enumerate(out)
        if r.place is not None
        and r.place.lon is not None
        and r.place.category in ("K", "M", "T", "X", "C")
    ]
    if not todo:
        return out
    front = store.frontline
    if not front.covers(date):
        note = {
            "date": date,
            "status": None,
            "source": "DeepStateMap",
            "note": f"before the first DeepState snapshot ({front.dates[0].isoformat()})",
        }
        marked = set(todo)
        return [replace(r, frontline=note) if i in marked else r for i, r in enumerate(out)]
    statuses = front.status(
        [out[i].place.lon for i in todo], [out[i].place.lat for i in todo], date
    )
    out = list(out)
    for i, status in zip(todo, statuses, strict=True):
        out[i] = replace(out[i], frontline=status.to_dict())
    return out


class _AnchorLayer:
    """Every group's current belief as anchor data, for fast context terms.

    The same model as :func:`tracker.search.anchor_terms` (kernel, scales, weights,
    bearings, regions, hromada named after a place), computed for one group against
    all the others in a few array operations.
    """

    def __init__(self, store, keys, base, probs, direction, mentions, groups) -> None:
        from . import search

        self.s = search
        col = store.col
        self.col = col
        places, weights, seg, regions = [], [], [], []
        for g, k in enumerate(keys):
            pids = np.asarray(base[k][0])
            p = probs[k]
            top = np.argsort(-p)[:_TOP_ANCHOR_PLACES]
            w = p[top] / (p[top].max() or 1.0)
            keep = w >= _MIN_ANCHOR_WEIGHT  # places the first pass all but ruled out add nothing
            top, w = top[keep], w[keep]
            is_region = col["is_region"][pids[top]]
            for r, wr in zip(pids[top][is_region], w[is_region], strict=True):
                regions.append((g, int(r), float(wr)))
            pts = pids[top][~is_region & ~np.isnan(col["lon"][pids[top]])]
            pw = w[~is_region & ~np.isnan(col["lon"][pids[top]])]
            places.append(pts)
            weights.append(pw)
            seg.append(np.full(len(pts), g))
        self.places = np.concatenate(places) if places else np.zeros(0, dtype=int)
        self.weights = np.concatenate(weights) if weights else np.zeros(0)
        self.seg = np.concatenate(seg) if seg else np.zeros(0, dtype=int)
        self.regions = regions
        self.direction = direction
        self.n = len(keys)
        self.top = [(pl, w) for pl, w in zip(places, weights, strict=True)]
        self.notes: dict[int, list[tuple[np.ndarray, float, tuple]]] = {}
        self.detail: dict[int, tuple] = {}
        self.display = [mentions[groups[k][0]].text for k in keys]
        self._by_text: dict[str, list[int]] | None = None

    def terms(self, g, pids, w_row, same_sentence, group_bearing, texts) -> np.ndarray:
        """Context terms of group *g*'s candidates; keeps what :meth:`explain` needs."""
        s, col = self.s, self.col
        cand = np.asarray(pids)
        out = np.zeros(len(cand))
        notes: list[tuple[np.ndarray, float, tuple]] = []  # (candidate mask, gain, what)
        # regions named in the document
        for other, r, wr in self.regions:
            if other == g or w_row[other] == 0:
                continue
            lvl = col["category"][r]
            if lvl == "O":
                hit = col["oblast4"][cand] == col["oblast4"][r]
            elif lvl == "P":
                hit = col["raion_code"][cand] == col["katottg"][r]
            else:
                hit = col["hromada_code"][cand] == col["katottg"][r]
            gain = s._W_REGION[lvl] * w_row[other] * wr
            out[hit] += gain
            if hit.any():
                notes.append((hit, gain, ("region", r, other)))
        # in the hromada named after another place of the document
        by_text = self.by_text(texts)
        for k, h in enumerate(col["hromada"][cand]):
            if isinstance(h, str):
                for other in by_text.get(fold(h), ()):
                    if other != g:
                        gain = s._W_NAMED_AFTER * w_row[other]
                        out[k] += gain
                        mask = np.zeros(len(cand), dtype=bool)
                        mask[k] = True
                        notes.append((mask, gain, ("named", None, other)))
        self.notes[g] = notes
        # distance to the other places of the document
        mask = self.seg != g
        located = np.flatnonzero(~np.isnan(col["lon"][cand]))
        if not mask.any() or located.size == 0:
            return out
        pts, pw, seg = self.places[mask], self.weights[mask], self.seg[mask]
        bear = np.where(same_sentence[seg], group_bearing[seg], np.nan)
        has = ~np.isnan(bear)
        km, az = s._approx_distances(
            col["lon"][cand[located]][:, None],
            col["lat"][cand[located]][:, None],
            col["lon"][pts][None, :],
            col["lat"][pts][None, :],
            azimuth=bool(has.any()),
        )
        scale = np.where(self.direction[seg], s._DIRECTION_SCALE_KM, s._ANCHOR_SCALE_KM)
        kernel = np.exp(-km / scale)
        if az is not None:
            factor = 0.5 + 0.5 * np.cos(np.radians((az + 180.0) - np.nan_to_num(bear)))
            kernel = np.where(has, kernel * factor, kernel)
        value = kernel * pw
        starts = np.flatnonzero(np.concatenate(([True], seg[1:] != seg[:-1])))
        best = np.maximum.reduceat(value, starts, axis=1)
        gain = s._W_ANCHOR * best * w_row[seg[starts]]
        gain[gain < 0.05] = 0.0
        out[located] += gain.sum(axis=1)
        self.detail[g] = (cand, located, pts, seg, starts, value, gain, bear)
        return out

    def explain(self, g: int, k: int, most: int = 6) -> list[str]:
        """Why candidate number *k* of group *g* scored as it did: the largest context terms."""
        s, col = self.s, self.col
        items = []
        for mask, gain, (what, r, other) in self.notes.get(g, ()):
            if not mask[k]:
                continue
            if what == "region":
                text = (
                    f"in {col['name'][r]} {col['kind'][r]} named in the text "
                    f"({self.display[other]!r}): +{gain:.1f}"
                )
            else:
                text = f"in the hromada named after {self.display[other]!r}: +{gain:.2f}"
            items.append((gain, text))
        detail = self.detail.get(g)
        if detail is not None:
            cand, located, pts, seg, starts, value, gain, bear = detail
            rows = np.flatnonzero(located == k)
            if rows.size:
                row = rows[0]
                ends = np.append(starts[1:], len(seg))
                top = [a for a in np.argsort(-gain[row])[:most] if gain[row, a] > 0]
                if top:
                    js = [starts[a] + int(np.argmax(value[row, starts[a] : ends[a]])) for a in top]
                    places = pts[js]
                    n = len(js)
                    # one geodesic call for all the pairs reported
                    kms, azs = s._distances(
                        col["lon"][places],
                        col["lat"][places],
                        np.full(n, col["lon"][cand[k]]),
                        np.full(n, col["lat"][cand[k]]),
                    )
                    for a, j, km, az in zip(top, js, kms, azs, strict=True):
                        other = seg[j]
                        text = (
                            f"{float(km):.1f} km from {col['name'][pts[j]]} "
                            f"({self.display[other]!r} in the text"
                        )
                        if not np.isnan(bear[j]):
                            text += f"; bearing {float(az):.0f}° vs {bear[j]:.0f}° stated"
                        if self.direction[other]:
                            text += "; direction/axis"
                        items.append((float(gain[row, a]), text + f"): +{gain[row, a]:.2f}"))
        items.sort(key=lambda t: -t[0])
        return [text for _, text in items[:most]]

    def by_text(self, texts) -> dict[str, list[int]]:
        """Folded mention text -> the groups spelled so (built once per layer)."""
        if self._by_text is None:
            self._by_text = {}
            for g, t in enumerate(texts):
                self._by_text.setdefault(t, []).append(g)
        return self._by_text


def _softmax(logits: np.ndarray) -> np.ndarray:
    e = np.exp(logits - logits.max())
    return e / e.sum()


def _precision(m: Mention, place: Place) -> int:
    if place.category in ("O",):
        return 3
    if place.category in ("P", "H") or m.cue in ("direction", "near", "outside", "around"):
        return 2
    return 1


def _region_checks(
    text: str, m: Mention, place: Place, mentions: list[Mention], store
) -> dict | None:
    """Polygon vs codifier, border distance, and what the text itself says of the region."""
    if place.category not in ("K", "M", "T", "X", "C"):
        return None
    col = store.col
    pid = store.katottg_index[place.katottg]
    poly = col["polygon_oblast_code"][pid]
    unit = oblast_by(poly) if isinstance(poly, str) else None
    out = {
        "oblast_by_polygon": unit.name if unit else None,
        "agrees_with_codifier": place.agrees_with_codifier,
        "km_to_oblast_border": place.km_to_oblast_border,
        "across_border": place.across_border,
        "source": "geoBoundaries ADM1; KATOTTG codifier",
    }
    # "Zorya in the nearby Donetsk region", "Pokrovsk, Donetsk Oblast"
    for other in mentions:
        if other.kind != "oblast" or other.start < m.end or other.start - m.end > 45:
            continue
        if not _STATED_REGION_GAP.match(text[m.end : other.start]):
            continue
        stated = {oblast_by(col["oblast4"][p]).name for p in other.candidates}
        out["stated_region"] = other.text
        out["stated_region_agrees"] = place.oblast in stated
        if unit is not None and unit.name not in stated:
            out["geometry_contradicts_text"] = True
        break
    return out
