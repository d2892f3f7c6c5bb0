"""Mentions -> places: one place per mention (or an explicit "unresolved"), with evidence.

The resolver reads an article the way a careful reader does, with the one ranking model of
:mod:`tracker.ranking` that also answers ``tracker where --context``:

* one sense per document: mentions with the same spelling and kind name the same place (a
  long document is read in sections of at most ``section_chars`` characters, cut at paragraph
  breaks, so that time stays linear);
* every other place and region named in the document is context, weighted by how close it
  stands in the text (same sentence, same paragraph, nearby, elsewhere); compass phrases in
  the same sentence ("near Pokrovka (southeast of Sumy City)") count as bearings;
* two passes: first each name with its size and front-line priors only, then each name
  against the other names' beliefs from the first pass, so that a village near the other
  villages of the story wins (spatial coherence) and a region named in the sentence decides
  ambiguity.

The confidence is the candidate's probability under the model, with a temperature
calibrated on the development set (``confidence.temperature`` in ``knowledge/ranking.toml``).
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from . import ranking
from .context import bearing_before
from .models import Mention, Place, RegionCheck, ResolvedMention, Status
from .names import fold
from .stated import Stated, border_with, stated_regions
from .units import oblast_by

if TYPE_CHECKING:
    from .gazetteer import Gazetteer

__all__ = ["resolve_mentions"]

_SETTLEMENTS = ("K", "M", "T", "X", "C")
_NEWLINE = re.compile("\n")
#: Between a name and "northeast of <anchor>" right after it: "B (northeast of A)", "B, NE of".
_APPOSITIVE_BEARING = re.compile(
    r"^\s*[(,]\s*(?:(?:both|all|each|just|roughly|about|some)\s+)?"
    r"(?:\d+(?:\.\d+)?\s*(?:km|kilomet\w+)\s+)?[a-z\-]+\s+(?:of|from)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _found(m: Mention) -> ranking.Found:
    sims = m.similarity or (100.0,) * len(m.candidates)
    sources = m.sources or ("",) * len(m.candidates)
    return {p: (s, m.text, src) for p, s, src in zip(m.candidates, sims, sources, strict=True)}


@dataclass
class _Memo:
    """What a document's sections compute once for the whole document."""

    #: the prior terms and first-pass beliefs of each set of candidates (:func:`_prior`)
    priors: dict[Any, Any] = field(default_factory=dict)
    #: what each anchor row reads off the gazetteer (:meth:`ranking.Anchors.build`)
    anchor_rows: dict[Any, Any] = field(default_factory=dict)


@dataclass
class _Frontline:
    """What the two front-line helpers below read (a gazetteer's columns and the archive)."""

    col: dict[str, np.ndarray]
    frontline: Any


def resolve_mentions(
    text: str,
    mentions: list[Mention],
    gazetteer: Gazetteer,
    *,
    frontline: Any = None,
    date: str | None = None,
    temperature: float | None = None,
) -> list[ResolvedMention]:
    """Resolve every mention of one document (see the module docstring).

    Parameters
    ----------
    text
        The document text (mention offsets point into it).
    mentions
        Its mentions, in order (:func:`tracker.mentions.find_mentions`).
    gazetteer
        The gazetteer the mentions' candidates come from.
    frontline
        The DeepState archive (:class:`tracker.frontline.Frontline`); with the article's
        *date*, the front-line prior uses the snapshot of that day (distance of each candidate
        to the line of contact then) instead of the archive-wide distance, and every resolved
        settlement gets its front-line status.
    date
        The article date, YYYY-MM-DD.
    temperature
        Softmax temperature of the confidences (default: the calibrated one).
    """
    p = ranking.params()
    temperature = p.temperature if temperature is None else temperature
    from .mentions import sentence_spans

    sentences = sentence_spans(text)
    sent_starts = [s for s, _ in sentences]
    stated = stated_regions(text, mentions, gazetteer, sent_starts)
    beside = border_with(text, mentions, gazetteer, sent_starts)
    ctx = _Frontline(gazetteer.col, frontline)
    dated = None
    if frontline is not None and date:
        dated = _dated_front(ctx, date, [q for m in mentions for q in m.candidates])
    decided: dict[int, tuple[Any, ...]] = {}
    memo = _Memo()
    for lo, hi in _sections(text, mentions, p.section_chars):
        decided.update(
            _resolve_section(
                text, mentions, lo, hi, gazetteer, sent_starts, dated, stated, beside, p, memo
            )
        )
    out = []
    chosen: dict[int, tuple[Place, float, tuple[tuple[Place, float], ...]]] = {}
    # what is the same wherever a name stands: a place's checks where the text states no
    # region for it (by KATOTTG code), a sentence's text (by its index)
    checks: dict[str, RegionCheck | None] = {}
    sentence_text: dict[int, str] = {}
    for i, m in enumerate(mentions):
        k = _index(sent_starts, m.start) if sentences else -1
        sentence = sentence_text.get(k)
        if sentence is None:
            s0, s1 = sentences[k] if sentences else (0, len(text))
            sentence = sentence_text[k] = text[s0:s1].strip()
        if m.foreign is not None:
            out.append(
                ResolvedMention(
                    m, sentence, None, 1.0, status="foreign",
                    geo_precision=1 if m.kind == "city" else 3,
                )
            )  # fmt: skip
            continue
        if i not in decided:
            status: Status = "river" if m.kind == "river" else "unresolved"
            out.append(ResolvedMention(m, sentence, None, 0.0, status=status))
            continue
        pids, probs, evidence = decided[i]
        ranked = chosen.get(id(probs))  # (the mentions of one name share their probabilities)
        if ranked is None:
            order = np.argsort(-probs)
            best = int(order[0])
            place = gazetteer.place(pids[best])
            alternatives = tuple((gazetteer.place(pids[j]), float(probs[j])) for j in order[1:4])
            ranked = chosen[id(probs)] = (place, float(probs[best]), alternatives)
        place, confidence, alternatives = ranked
        if not confidence >= p.abstain_below:
            out.append(_region_only(m, sentence, pids, probs, evidence, gazetteer, p))
            continue
        if stated[i] is not None:
            regions = _region_checks(place, stated[i], gazetteer)
        elif place.katottg in checks:
            regions = checks[place.katottg]
        else:
            regions = checks[place.katottg] = _region_checks(place, None, gazetteer)
        out.append(
            ResolvedMention(
                mention=m,
                sentence=sentence,
                place=place,
                confidence=confidence,
                alternatives=alternatives,
                evidence=evidence,
                geo_precision=_precision(m, place),
                regions=regions,
                status="resolved",
            )
        )
    if date and frontline is not None:
        out = _with_frontline(out, ctx, date)
    return out


def _region_only(
    m: Mention,
    sentence: str,
    pids: list[int],
    probs: np.ndarray,
    evidence: tuple[str, ...],
    gaz: Gazetteer,
    p: ranking.RankingParams,
) -> ResolvedMention:
    """An uncertain settlement: unresolved, unless its candidates agree on the raion (then
    that raion, ACLED geo_precision 2) or on the oblast (that oblast, precision 3), with the
    candidate settlements as alternatives."""
    order = np.argsort(-probs)
    candidates = tuple((gaz.place(pids[j]), float(probs[j])) for j in order[:4])
    col = gaz.col
    idx = np.asarray(pids, dtype=int)
    for level, column, precision in (("raion", "raion_code", 2), ("oblast", "oblast_code", 3)):
        codes = col[column][idx]
        if m.kind != "settlement" or not all(isinstance(c, str) for c in codes):
            continue
        mass: dict[str, float] = {}
        for code, prob in zip(codes, probs, strict=True):
            mass[code] = mass.get(code, 0.0) + float(prob)
        code, share = max(mass.items(), key=lambda t: t[1])
        region = gaz.katottg_index.get(code)
        if share < p.region_agreement or region is None:
            continue
        unit = gaz.place(region)
        note = (
            f"the settlement is uncertain (best {probs[order[0]]:.2f}), but its candidates agree "
            f"on {unit.name} {level} ({share:.2f})"
        )
        return ResolvedMention(
            mention=m, sentence=sentence, place=unit, confidence=share, alternatives=candidates,
            evidence=(*evidence, note), geo_precision=precision, status="resolved",
        )  # fmt: skip
    return ResolvedMention(
        mention=m, sentence=sentence, place=None, confidence=float(probs[order[0]]),
        alternatives=candidates, evidence=evidence, geo_precision=None, status="unresolved",
    )  # fmt: skip


def _index(starts: list[int], pos: int) -> int:
    return max(0, bisect_right(starts, pos) - 1)


def _sections(text: str, mentions: list[Mention], most: int) -> list[tuple[int, int]]:
    """Mention index ranges ``[lo, hi)`` of consecutive sections of at most *most* characters,
    cut at paragraph breaks (a paragraph longer than *most* is cut at a mention)."""
    if not mentions:
        return []
    if len(text) <= most:
        return [(0, len(mentions))]
    out, lo = [], 0
    start = mentions[0].start
    for i in range(1, len(mentions)):
        if mentions[i].start - start <= most:
            continue
        cut = text.rfind("\n", start, mentions[i].start)
        j = i
        if cut > start:  # end the section at the last paragraph break before mention i
            j = bisect_left([m.start for m in mentions[lo:i]], cut) + lo
            j = max(j, lo + 1)
        out.append((lo, j))
        lo, start = j, mentions[j].start
    out.append((lo, len(mentions)))
    return out


def _resolve_section(
    text: str,
    mentions: list[Mention],
    lo: int,
    hi: int,
    gaz: Gazetteer,
    sent_starts: list[int],
    dated: tuple[dict[int, float], str | None] | None,
    stated: list[Stated | None],
    beside: list[Stated | None],
    p: ranking.RankingParams,
    memo: _Memo,
) -> dict[int, tuple[list[int], np.ndarray, tuple[str, ...]]]:
    """Resolve mentions ``lo..hi-1``: mention index -> (candidates, probabilities, evidence)
    (*memo*: what the document's sections compute once)."""
    groups = _senses(mentions, lo, hi, stated)
    keys = list(groups)
    if not keys:
        return {}
    first = [mentions[groups[k][0]] for k in keys]
    constraint = [_constraint(gaz, groups[k], mentions, stated) for k in keys]
    priors = [_prior(gaz, found, dated, p, memo.priors) for found, _ in constraint]
    base = [prior for prior, _ in priors]
    members = [groups[k] for k in keys]
    weight = _proximity(text, mentions, members, sent_starts, p)
    bearing, direction = _relations(text, mentions, members, sent_starts)
    anchors = ranking.Anchors.build(
        gaz, [(m.text, *belief) for m, (_, belief) in zip(first, priors, strict=True)],
        memo=memo.anchor_rows,
    )  # fmt: skip
    out: dict[int, tuple[list[int], np.ndarray, tuple[str, ...]]] = {}
    # one coherence pass: every group against the others' first-pass beliefs (a second pass
    # was measured to be slower and no more accurate on the development set)
    group_of = {i: g for g, k in enumerate(keys) for i in groups[k]}
    where = {id(mentions[i]): i for i in range(lo, hi)}  # this section's (group_of's) only
    rows = weight.copy()
    extras: list[tuple[np.ndarray, str | None]] = []
    for g, k in enumerate(keys):
        extra, note = np.zeros(len(base[g].pids)), None
        said = next((beside[i] for i in groups[k] if beside[i] is not None), None)
        if said is not None and mentions[groups[k][0]].kind == "settlement":
            # "X, near the border with the Y region": Y is X's neighbour, not its oblast
            region_group = group_of.get(where.get(id(said.region), -1))
            if region_group is not None:
                rows[g, region_group] = 0.0
            extra = ranking.border_terms(gaz, base[g].pids, said.oblast4, p)
            note = said.region.text
        extras.append((extra, note))
    context = ranking.context_terms_many(
        gaz, [prior.pids for prior in base], anchors, weight=rows, bearing=bearing,
        direction=direction, p=p,
    )  # fmt: skip
    probs = [
        ranking.softmax(b.logits + c.logits + extra, temperature=p.temperature)
        for b, c, (extra, _) in zip(base, context, extras, strict=True)
    ]
    best = [int(np.argmax(pr)) for pr in probs]
    context_lines = ranking.context_evidence_pairs(
        gaz, list(zip(context, best, strict=True)), ranking.DOCUMENT, p
    )  # the distances of every name's evidence in one geodesic call
    for g, k in enumerate(keys):
        prior, (extra, note), b = base[g], extras[g], best[g]
        evidence = tuple(
            ranking.prior_evidence(gaz, prior, b, p)
            + [line for line in (constraint[g][1],) if line]
            + (
                [f"near the border with {note!r}, as the text says: +{extra[b]:.2f}"]
                if note is not None and extra[b] > 0
                else []
            )
            + context_lines[g]
        )
        for i in groups[k]:
            out[i] = (prior.pids, probs[g], evidence)
    return out


def _senses(
    mentions: list[Mention], lo: int, hi: int, stated: list[Stated | None]
) -> dict[tuple[str, str, str], list[int]]:
    """One sense per document: mentions with one spelling and kind are one place, unless the
    text puts them in different oblasts ("Stepove, Zaporizhzhia Oblast ... Stepove, Donetsk
    Oblast"): then each stated oblast is a sense of its own, and a mention that states none
    joins the sense of the nearest earlier one that did (the first, before any)."""
    by_name: dict[tuple[str, str], list[int]] = {}
    for i in range(lo, hi):
        m = mentions[i]
        if m.candidates and m.foreign is None:
            by_name.setdefault((fold(m.text), m.kind), []).append(i)
    groups: dict[tuple[str, str, str], list[int]] = {}
    for (name, kind), members in by_name.items():
        oblasts = [s.oblast4 if (s := stated[i]) else "" for i in members]
        distinct = list(dict.fromkeys(o for o in oblasts if o))
        if len(distinct) <= 1:
            groups[(name, kind, distinct[0] if distinct else "")] = members
            continue
        current = distinct[0]
        for i, oblast in zip(members, oblasts, strict=True):
            current = oblast or current
            groups.setdefault((name, kind, current), []).append(i)
    return groups


def _constraint(
    gaz: Gazetteer, members: list[int], mentions: list[Mention], stated: list[Stated | None]
) -> tuple[ranking.Found, str | None]:
    """The candidates of a sense, kept to the oblast the text states (when it has any there),
    and the evidence line saying so."""
    found = _found(mentions[members[0]])
    said = next((s for i in members if (s := stated[i])), None)
    if said is None:
        return found, None
    inside = {q: v for q, v in found.items() if gaz.col["oblast4"][q] == said.oblast4}
    if not inside:
        return found, None
    unit = oblast_by(said.oblast4)
    name = unit.name if unit else said.oblast4
    return inside, f"in {name} oblast, as the text states ({said.region.text!r})"


def _proximity(
    text: str,
    mentions: list[Mention],
    groups: list[list[int]],
    sent_starts: list[int],
    p: ranking.RankingParams,
) -> np.ndarray:
    """Text proximity of every pair of groups (1 same sentence, 0.6 same paragraph, ...);
    0 on the diagonal. Set block by block: the groups of each sentence and paragraph."""
    n = len(groups)
    starts = [mentions[i].start for g in groups for i in g]
    lo = min(starts)
    hi = max(starts)
    line_starts = [lo] + [nl.end() for nl in _NEWLINE.finditer(text, lo, hi)]
    sent_ids: list[list[int]] = []
    par_ids: list[list[int]] = []
    for g in groups:
        sent_ids.append(sorted({_index(sent_starts, mentions[i].start) for i in g}))
        par_ids.append(sorted({_index(line_starts, mentions[i].start) for i in g}))
    # the strongest relation wins: nearby paragraphs, then the same paragraph, then sentence
    # (each relation's pairs of groups written at once, block by block)
    weight = np.full((n, n), p.elsewhere)
    by_par = _members(par_ids)
    d = p.nearby_paragraphs
    nearby = (
        (here, sorted({k for j in range(q - d, q + d + 1) for k in by_par.get(j, ())}))
        for q, here in by_par.items()
    )
    weight[_block_pairs(nearby)] = p.nearby_paragraph
    weight[_block_pairs((here, here) for here in by_par.values())] = p.same_paragraph
    sentences = _members(sent_ids).values()
    weight[_block_pairs((here, here) for here in sentences)] = p.same_sentence
    # "A-B": hyphen-joined names are on one axis
    group_of = {i: g for g, ms in enumerate(groups) for i in ms}
    order = sorted(group_of)
    for a, b in itertools.pairwise(order):
        if text[mentions[a].end : mentions[b].start] == "-":
            ga, gb = group_of[a], group_of[b]
            weight[ga, gb] = weight[gb, ga] = p.hyphen_pair
    np.fill_diagonal(weight, 0.0)
    return weight


def _members(ids: list[list[int]]) -> dict[int, list[int]]:
    """Sentence (or paragraph) -> the groups with a mention in it, in order."""
    out: dict[int, list[int]] = {}
    for k, where in enumerate(ids):
        for q in where:
            out.setdefault(q, []).append(k)
    return out


def _block_pairs(blocks: Iterable[tuple[list[int], list[int]]]) -> tuple[list[int], list[int]]:
    """(rows, columns) of every cell of the blocks ``rows x columns``: one index for them all
    (a block at a time, ``np.ix_``, costs a NumPy call per block)."""
    rows: list[int] = []
    cols: list[int] = []
    for here, there in blocks:
        for a in here:
            rows.extend([a] * len(there))
            cols.extend(there)
    return rows, cols


def _relations(
    text: str, mentions: list[Mention], groups: list[list[int]], sent_starts: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """What the text says of each name (row) relative to each other name (column): the
    compass bearing stated for it ("northeast of A near B and C; south of A near D": B and C
    NE of A, D S of A — a bearing governs its clause, up to ";" or the sentence end, and a
    parenthesis right after a name: "B (northeast of A)"), NaN where none; and whether the
    other name is used there as a direction/axis (its nearest mention says "direction", or
    the two are joined by a hyphen: "the Orikhiv-Zaporizhzhia corridor")."""
    group_of = {i: g for g, ms in enumerate(groups) for i in ms}
    order = sorted(group_of)
    bearing = _stated_bearings(text, mentions, len(groups), group_of, order, sent_starts)
    direction = _used_as_direction(text, mentions, groups, group_of, order)
    return bearing, direction


def _stated_bearings(
    text: str,
    mentions: list[Mention],
    n: int,
    group_of: dict[int, int],
    order: list[int],
    sent_starts: list[int],
) -> np.ndarray:
    """(name, other name) -> the compass bearing the text states for the first from the
    second: a bearing governs the rest of its clause, and a parenthesis right after a name."""
    bearing = np.full((n, n), np.nan)
    clause = [_clause_id(text, mentions[i].start, sent_starts) for i in order]
    stated = {
        i: b
        for i in order
        if (
            b := bearing_before(
                text[max(0, mentions[i].start - 40) : mentions[i].start], strict=True
            )
        )
        is not None
    }
    current: dict[int, float] = {}
    for k, i in enumerate(order):
        if k and clause[k] != clause[k - 1]:
            current = {}
        g = group_of[i]
        for a, b in current.items():
            if a != g and np.isnan(bearing[g, a]):
                bearing[g, a] = b
        if i in stated:  # "northeast of <i>": later names of the clause lie NE of i
            current[group_of[i]] = stated[i]
            prev = order[k - 1] if k else None  # "<prev> (northeast of <i>)"
            if prev is not None and clause[k - 1] == clause[k]:
                gap = text[mentions[prev].end : mentions[i].start]
                a = group_of[prev]
                fresh = a != group_of[i] and np.isnan(bearing[a, group_of[i]])
                if fresh and _APPOSITIVE_BEARING.match(gap):
                    bearing[a, group_of[i]] = stated[i]
    return bearing


def _used_as_direction(
    text: str,
    mentions: list[Mention],
    groups: list[list[int]],
    group_of: dict[int, int],
    order: list[int],
) -> np.ndarray:
    """(name, other name) -> whether the other is used as an axis for the first: joined by a
    hyphen ("Orikhiv-Zaporizhzhia"), or its mention nearest to the name says "direction"."""
    n = len(groups)
    direction = np.zeros((n, n), dtype=bool)
    for x, y in itertools.pairwise(order):  # "A-B": an axis, at the direction scale
        if text[mentions[x].end : mentions[y].start] == "-" and group_of[x] != group_of[y]:
            direction[group_of[x], group_of[y]] = direction[group_of[y], group_of[x]] = True
    # every mention of the section, by group, and its position
    pos = np.asarray([mentions[t].start for ms in groups for t in ms], dtype=np.int64)
    firsts = np.concatenate(([0], np.cumsum([len(ms) for ms in groups])[:-1]))
    for a, ms in enumerate(groups):
        flags = np.asarray([mentions[i].cue == "direction" for i in ms], dtype=np.int64)
        if not flags.any():
            continue
        # each mention's nearest mention of group a (either side), as 2 * distance + flag:
        # the smallest per group is the nearest, a tie going to the one without "direction"
        starts = np.asarray([mentions[i].start for i in ms], dtype=np.int64)
        j = np.searchsorted(starts, pos, side="left")
        left, right = np.maximum(j - 1, 0), np.minimum(j, len(ms) - 1)
        key_left = np.where(j > 0, 2 * np.abs(starts[left] - pos) + flags[left], _FAR)
        key_right = np.where(j < len(ms), 2 * np.abs(starts[right] - pos) + flags[right], _FAR)
        nearest = np.minimum.reduceat(np.minimum(key_left, key_right), firsts)
        hit = (nearest & 1).astype(bool)
        hit[a] = False
        direction[:, a] |= hit
    return direction


#: Larger than any 2 * distance + flag in a text.
_FAR = np.iinfo(np.int64).max


def _clause_id(text: str, pos: int, sent_starts: list[int]) -> tuple[int, int]:
    """(sentence, clause within it): clauses are cut at ";"."""
    s = _index(sent_starts, pos)
    return s, text.count(";", sent_starts[s] if sent_starts else 0, pos)


def _prior(
    gaz: Gazetteer,
    found: ranking.Found,
    dated: tuple[dict[int, float], str | None] | None,
    p: ranking.RankingParams,
    memo: dict[Any, Any],
) -> tuple[ranking.PriorTerms, tuple[list[int], list[float]]]:
    """The prior terms of a sense's candidates and its first-pass beliefs (the best
    candidates as an anchor, each weighted by its probability relative to the best, those
    below ``min_belief`` left out), once per document for the same candidates."""
    key = tuple(found.items())
    got = memo.get(key)
    if got is None:
        if dated is None:
            prior = ranking.prior_terms(gaz, found, p=p)
        else:
            km_by_pid, label = dated
            km = np.asarray([km_by_pid.get(q, np.nan) for q in found])
            prior = ranking.prior_terms(gaz, found, front_km=km, front_label=label, p=p)
        got = memo[key] = (prior, ranking.beliefs(prior, p))
    return got


def _dated_front(
    store, date: str | None, pids: list[int]
) -> tuple[dict[int, float], str | None] | None:
    """Distance of candidate settlements to the line of contact on *date*: ({pid: km}, label).

    After the newest snapshot the newest one stands in (and the label says so); before the
    oldest there is none (the archive-wide prior stands).
    """
    if not date:
        return None
    front = store.frontline
    snap = front.nearest(date)
    if snap.position == "before":
        return None  # before the archive: the archive-wide prior stands
    i = snap.index
    col = store.col
    ids = np.unique(np.asarray(pids, dtype=int))
    ids = ids[col["is_settlement"][ids] & ~np.isnan(col["lon"][ids])]
    if ids.size == 0:
        return {}, None
    km = front.km_to_line(col["lon"][ids], col["lat"][ids], i)
    newest = ", the newest" if snap.position == "after" else ""
    label = f"on {date} (DeepStateMap snapshot {snap.used.isoformat()}{newest})"
    return dict(zip(ids.tolist(), km.tolist(), strict=True)), label


def _with_frontline(out: list[ResolvedMention], store, date: str) -> list[ResolvedMention]:
    """Attach the front-line status on *date* to every resolved settlement with coordinates.

    A date outside the archive is answered from the nearest snapshot (the newest or the
    oldest), and the status carries a ``note`` naming it (``Frontline.status``).
    """
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
    places = [out[i].place for i in todo]
    statuses = store.frontline.status(
        [pl.lon for pl in places if pl], [pl.lat for pl in places if pl], date
    )
    out = list(out)
    for i, status in zip(todo, statuses, strict=True):
        out[i] = replace(out[i], frontline=status)
    return out


def _precision(m: Mention, place: Place) -> int:
    if place.category in ("O",):
        return 3
    if place.category in ("P", "H") or m.cue in ("direction", "near", "outside", "around"):
        return 2
    return 1


def _region_checks(place: Place, said: Stated | None, gaz: Gazetteer) -> RegionCheck | None:
    """Polygon vs codifier, border distance, and what the text itself says of the region."""
    if place.category not in _SETTLEMENTS:
        return None
    pid = gaz.katottg_index[place.katottg]
    poly = gaz.col["polygon_oblast_code"][pid]
    unit = oblast_by(poly) if isinstance(poly, str) else None
    stated = None
    if said is not None:  # "Zorya in the nearby Donetsk region", "Pokrovsk, Donetsk Oblast"
        stated_unit = oblast_by(said.oblast4)
        stated = stated_unit.name if stated_unit else None
    return RegionCheck(
        oblast_by_polygon=unit.name if unit else None,
        agrees_with_codifier=place.agrees_with_codifier,
        km_to_oblast_border=place.km_to_oblast_border,
        across_border=place.across_border,
        stated_region=said.region.text if said is not None else None,
        stated_region_agrees=(place.oblast == stated) if said is not None else None,
        geometry_contradicts_text=bool(
            said is not None and unit is not None and unit.name != stated
        ),
    )
