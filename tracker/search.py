"""Names -> ranked places (``where``) and points -> regions (``region_at``).

Ranking is a small log-linear model whose terms a reader can check, each
recorded as evidence on the candidate: how well the spelling matched, a prior
for size (city before village), the oblast asked for, distance to a place or
point given with ``near``, and the anchors found in ``context`` (places named
there, compass bearings such as "SE of X", "X direction", regions named). The
terms are turned into scores that sum to 1 over the candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from .context import Anchor, find_anchors
from .data.store import Store, load
from .errors import InvalidQuery, OutsideUkraine, PlaceNotFound, UnknownRegion
from .models import Candidate, LonLat, Place, RegionMatch, parse_lonlat
from .names import fold
from .units import OBLASTS, Oblast, oblast_by

__all__ = ["anchor_terms", "find_oblast", "prior_terms", "region_at", "where"]

_KATOTTG = re.compile(r"^UA\d{17}$", re.IGNORECASE)
_PREFIX = re.compile(
    r"^(?:the\s+)?(?:(?:village|town|city|settlement|urban[- ]type\s+settlement|hamlet|selyshche|"
    r"smt|selo)\s+of\s+|(?:village|selo|smt|selyshche)\s+|(?:с|м|смт|сщ)\.\s*)",
    re.IGNORECASE,
)
_LEVEL_SUFFIX = re.compile(
    r"\s+(?P<word>oblast'?|region|province|raion|rayon|district|hromada|(?:territorial\s+)?"
    r"community|city|town|village|область|район|громада)$",
    re.IGNORECASE,
)
_LEVEL_OF_WORD = {
    "oblast": "O",
    "oblast'": "O",
    "region": "O",
    "province": "O",
    "область": "O",
    "raion": "P",
    "rayon": "P",
    "district": "P",
    "район": "P",
    "hromada": "H",
    "community": "H",
    "territorial community": "H",
    "громада": "H",
    "city": "S",
    "town": "S",
    "village": "S",
}
_SETTLEMENT = ("K", "M", "T", "X", "C")
_CATEGORY_PRIOR = {"K": 3.0, "M": 1.5, "T": 0.6, "X": 0.6, "C": 0.0, "O": 1.0, "P": -0.5, "H": -0.5}
_W_POPULATION = 0.3
#: War reporting names places near the fighting: a prior for closeness to the DeepState
#: line of contact at any time in the archive (km scale of the decay below).
_W_FRONT = 2.5
_FRONT_SCALE_KM = 15.0
_W_OBLAST = 6.0
_W_NEAR = 6.0
_W_ANCHOR = 6.0
_W_NAMED_AFTER = 2.0
_ANCHOR_SCALE_KM = 20.0
#: Spellings that are not a place's own name today: GeoNames alternates (noisy) and former names.
_WEAK_SOURCES = ("geonames", "old-name")
_W_WEAK_SOURCE = 2.5
_DIRECTION_SCALE_KM = 40.0
_W_REGION = {"O": 4.0, "P": 5.0, "H": 5.0}


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def _num(value) -> float | None:
    return None if value is None or value is pd.NA or value != value else float(value)


def _row_place(store: Store, pid: int) -> Place:
    cached = store.place_cache.get(pid)
    if cached is not None:
        return cached
    place = store.place_cache[pid] = _build_place(store, pid)
    return place


def _build_place(store: Store, pid: int) -> Place:
    c = store.col
    across = _text(c["across_border_code"][pid])
    km = _num(c["km_to_oblast_border"][pid])
    gid = _num(c["geonameid"][pid])
    agrees = c["agrees_with_codifier"][pid]
    return Place(
        katottg=c["katottg"][pid],
        name=c["name"][pid],
        name_uk=c["name_uk"][pid],
        category=c["category"][pid],
        kind=c["kind"][pid],
        oblast=c["oblast"][pid],
        oblast_iso=c["oblast_iso"][pid],
        raion=_text(c["raion"][pid]),
        raion_uk=_text(c["raion_uk"][pid]),
        raion_code=_text(c["raion_code"][pid]),
        hromada=_text(c["hromada"][pid]),
        hromada_uk=_text(c["hromada_uk"][pid]),
        hromada_code=_text(c["hromada_code"][pid]),
        lon=_num(c["lon"][pid]),
        lat=_num(c["lat"][pid]),
        population=int(c["population"][pid]) or None,
        geonameid=int(gid) if gid is not None else None,
        coord_quality=_text(c["coord_quality"][pid]),
        km_to_oblast_border=round(km, 3) if km is not None else None,
        across_border=oblast_by(across).name if across else None,
        agrees_with_codifier=bool(agrees)
        if agrees is not None and agrees is not pd.NA and agrees == agrees
        else None,
    )


def _float(value) -> float | None:
    return None if value is None else float(value)


def find_oblast(name: str) -> Oblast:
    """Return the first-level unit called *name* (any common spelling, ISO code or KATOTTG code).

    Raises
    ------
    UnknownRegion
        Naming the value and the closest known oblast names.

    Examples
    --------
    >>> find_oblast("Zaporizhia Oblast").name
    'Zaporizhzhia'
    """
    text = (name or "").strip()
    direct = oblast_by(text)
    if direct:
        return direct
    key = fold(_LEVEL_SUFFIX.sub("", text))
    for unit in OBLASTS:
        forms = (unit.name, unit.name_uk, *unit.aliases, *unit.occupation_names)
        if key in {fold(f) for f in forms} or key == fold(unit.name_uk.split()[0]):
            return unit
    from rapidfuzz import process

    names = [u.name for u in OBLASTS]
    close = [m[0] for m in process.extract(text, names, limit=3, score_cutoff=50)]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UnknownRegion(
        f"`oblast` was {name!r}, which is not an oblast of Ukraine{hint} "
        f"(expected one of: {', '.join(names)})"
    )


def _parse_query(name: str) -> tuple[str, str | None, str | None]:
    """-> (name, level, context): strips "village of", "X Oblast", and ", Region" tails."""
    text = " ".join(str(name).split())
    context = None
    if "," in text:
        text, context = (part.strip() for part in text.split(",", 1))
    text = _PREFIX.sub("", text).strip()
    level = None
    match = _LEVEL_SUFFIX.search(text)
    if match:
        level = _LEVEL_OF_WORD.get(match["word"].lower())
    return text, level, context


def _candidates(
    store: Store, text: str, level: str | None, fuzzy: bool = False
) -> dict[int, tuple[float, str, str]]:
    """place id -> (spelling similarity 0..100, matched spelling, source of the spelling).

    Raions and hromadas match a bare name only exactly ("Pokrovska"); with a
    level word ("Pokrovsk raion") only that level is kept.
    """
    from rapidfuzz import fuzz

    from .names import skeleton

    forms = [text]
    if level:
        forms.append(_LEVEL_SUFFIX.sub("", text))
    found: dict[int, tuple[float, str, str]] = {}
    cats = store.col["category"]
    for form in forms:
        key = fold(form)
        if not key:
            continue
        for pid, source in store.lookup_key(key).items():
            found.setdefault(pid, (100.0, form, source))
        for pid, variant in store.lookup_skeleton(skeleton(form)):
            sim = fuzz.ratio(key, variant)
            if sim >= 75 and sim > found.get(pid, (0.0, "", ""))[0]:
                source = store.lookup_key(variant).get(pid, "")
                found[pid] = (sim, form, source)
        if found:
            break
    if not found and fuzzy:  # a misspelling: closest spellings in the whole index
        from rapidfuzz import process

        key = fold(forms[-1])
        if len(key) >= 5:
            for variant, sim, _ in process.extract(
                key, store.all_keys, scorer=fuzz.ratio, limit=10, score_cutoff=85
            ):
                for pid, source in store.lookup_key(variant).items():
                    if sim > found.get(pid, (0.0, "", ""))[0]:
                        found[pid] = (sim, forms[-1], source)
    if not level:
        found = {p: v for p, v in found.items() if cats[p] not in ("P", "H") or v[0] >= 100}
    if level and found:
        wanted = _SETTLEMENT if level == "S" else (level, "K") if level == "O" else (level,)
        found = {p: v for p, v in found.items() if cats[p] in wanted} or (
            found if level == "S" else {}
        )
    return found


def _suggest(store: Store, text: str, limit: int = 5) -> list[str]:
    from rapidfuzz import fuzz, process

    hits = process.extract(
        text, store.display_names, scorer=fuzz.WRatio, limit=limit, score_cutoff=60
    )
    return [h[0] for h in hits]


def _resolve_near(store: Store, near) -> tuple[LonLat, str]:
    if isinstance(near, LonLat):
        return near, f"{near.lat:.4f},{near.lon:.4f}"
    if isinstance(near, tuple | list) and len(near) == 2:
        point = LonLat(float(near[0]), float(near[1]))
        return point, f"{point.lat:.4f},{point.lon:.4f}"
    text = str(near)
    point = parse_lonlat(text)
    if point is not None:
        return point, text
    best = where(text, store=store, limit=1)[0]
    if best.lon is None:
        raise InvalidQuery(
            f"`near` was {text!r}, a place without coordinates; give LAT,LON instead"
        )
    return LonLat(best.lon, best.lat), f"{best.name} ({best.oblast})"


@lru_cache(maxsize=1)
def _geod():
    from pyproj import Geod  # imported on first use: keeps `tracker where NAME` start-up fast

    return Geod(ellps="WGS84")


def _approx_distances(
    lon0, lat0, lon1, lat1, *, azimuth: bool = True
) -> tuple[np.ndarray, np.ndarray | None]:
    """Local equirectangular km (and azimuth): within 0.5 % of geodesic at the tens of km
    that ranking needs, and ~50x cheaper; exact figures are computed for the pairs reported."""
    mean_lat = np.radians((np.asarray(lat0) + np.asarray(lat1)) / 2.0)
    dx = (np.asarray(lon1) - np.asarray(lon0)) * (111.320 * np.cos(mean_lat))
    dy = (np.asarray(lat1) - np.asarray(lat0)) * 110.574
    az = np.degrees(np.arctan2(dx, dy)) % 360.0 if azimuth else None
    return np.hypot(dx, dy), az


def _distances(lon0, lat0, lon1, lat1) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic km and forward azimuth (WGS84) from point(s) 0 to point(s) 1, vectorised."""
    az, _, dist = _geod().inv(lon0, lat0, lon1, lat1)
    return np.asarray(dist) / 1000.0, np.asarray(az) % 360.0


def anchor_terms(
    store: Store,
    pids: list[int],
    anchors: Iterable[Anchor],
    logits: np.ndarray,
    evidence: list[list[str]] | None,
    *,
    max_evidence: int = 6,
) -> None:
    """Add the context terms of *anchors* to the candidates' *logits* (and *evidence*).

    A region anchor (oblast, raion, hromada) favours candidates inside it; a place
    anchor favours candidates near one of its places, more so in the compass
    direction the text gives ("SE of X"), or in the hromada named after it. Each
    anchor's terms are scaled by its ``weight``. Vectorised over all anchors at
    once; pass ``evidence=None`` to skip the explanations.
    """
    col = store.col
    cats, lon, lat, oblast4 = col["category"], col["lon"], col["lat"], col["oblast4"]
    raion, hromada, names = col["raion_code"], col["hromada_code"], col["name"]
    codes, kinds, hromada_names = col["katottg"], col["kind"], col["hromada"]
    cand = np.asarray(pids)
    n_c = len(cand)
    own = set(pids)
    notes: list[list[tuple[float, str]]] = [[] for _ in range(n_c)]
    seg_places: list[np.ndarray] = []
    seg_weights: list[np.ndarray] = []
    seg_anchor: list[Anchor] = []
    for anchor in anchors:
        apids = np.asarray([p for p in anchor.places if p not in own], dtype=int)
        if apids.size == 0:
            continue
        regional = col["is_region"][apids]
        for r in apids[regional]:
            lvl = cats[r]
            if lvl == "O":
                hit = oblast4[cand] == oblast4[r]
            elif lvl == "P":
                hit = raion[cand] == codes[r]
            else:
                hit = hromada[cand] == codes[r]
            gain = _W_REGION[lvl] * anchor.weight
            logits[hit] += gain
            for k in np.flatnonzero(hit):
                notes[k].append(
                    (
                        gain,
                        f"in {names[r]} {kinds[r]} named in context ({anchor.text!r}): +{gain:.1f}",
                    )
                )
        settlements = apids[~regional]
        if settlements.size == 0:
            continue
        sims = dict(zip(anchor.places, anchor.similarity, strict=True))
        # in the hromada named after the anchor ("near Malynivka (same hromada)")
        key = fold(anchor.text)
        named_after = np.asarray(
            [isinstance(h, str) and fold(h) == key for h in hromada_names[cand]], dtype=bool
        )
        if named_after.any():
            gain = _W_NAMED_AFTER * anchor.weight
            logits[named_after] += gain
            for k in np.flatnonzero(named_after):
                notes[k].append((gain, f"in the hromada named after {anchor.text!r}: +{gain:.2f}"))
        if anchor.same_hromada or anchor.near:
            anchor_hromadas = set(hromada[settlements]) - {None}
            unlocated = np.isnan(lon[cand]) & np.isin(hromada[cand], list(anchor_hromadas))
            gain = _W_ANCHOR * 0.6 * anchor.weight
            logits[unlocated] += gain
            for k in np.flatnonzero(unlocated):
                notes[k].append(
                    (gain, f"same hromada as {anchor.text!r} (no coordinates): +{gain:.2f}")
                )
        points = settlements[~np.isnan(lon[settlements])]
        if points.size:
            seg_places.append(points)
            seg_weights.append(np.asarray([sims[p] / 100.0 for p in points]))
            seg_anchor.append(anchor)
    located = np.flatnonzero(~np.isnan(lon[cand]))
    if not seg_places or located.size == 0:
        _attach(notes, evidence, max_evidence)
        return
    points = np.concatenate(seg_places)
    weights = np.concatenate(seg_weights)
    starts = np.cumsum([0] + [len(p) for p in seg_places[:-1]])
    seg_of = np.repeat(np.arange(len(seg_places)), [len(p) for p in seg_places])
    scale = np.asarray(
        [_DIRECTION_SCALE_KM if a.direction else _ANCHOR_SCALE_KM for a in seg_anchor]
    )[seg_of]
    bearing = np.asarray([np.nan if a.bearing is None else a.bearing for a in seg_anchor])[seg_of]
    given_km = np.asarray([np.nan if a.km is None else a.km for a in seg_anchor])[seg_of]
    c_lon, c_lat = lon[cand[located]], lat[cand[located]]
    km, az = _approx_distances(
        c_lon[:, None], c_lat[:, None], lon[points][None, :], lat[points][None, :]
    )
    from_anchor = (az + 180.0) % 360.0  # bearing from the anchor place to the candidate
    kernel = np.where(
        np.isnan(given_km), np.exp(-km / scale), np.exp(-np.abs(km - np.nan_to_num(given_km)) / 5.0)
    )
    has_bearing = ~np.isnan(bearing)
    if has_bearing.any():
        factor = 0.5 + 0.5 * np.cos(np.radians(from_anchor - np.nan_to_num(bearing)))
        kernel = np.where(has_bearing, kernel * factor, kernel)
    value = kernel * weights
    best = np.maximum.reduceat(value, starts, axis=1)  # (located candidates, anchors)
    aw = np.asarray([a.weight for a in seg_anchor])
    gain = _W_ANCHOR * best * aw
    same_flag = np.asarray([a.same_hromada for a in seg_anchor])
    if same_flag.any():
        for a in np.flatnonzero(same_flag):
            seg = slice(starts[a], starts[a] + len(seg_places[a]))
            arg = np.argmax(value[:, seg], axis=1)
            same = hromada[cand[located]] == hromada[seg_places[a][arg]]
            gain[:, a] += np.where(same & (hromada[cand[located]] != None), 2.0, 0.0)  # noqa: E711
    gain[gain < 0.05] = 0.0
    logits[located] += gain.sum(axis=1)
    if evidence is None:
        return
    for row, k in enumerate(located):
        top = np.argsort(-gain[row])[:max_evidence]
        for a in top:
            g = gain[row, a]
            if g <= 0:
                break
            seg = slice(starts[a], starts[a] + len(seg_places[a]))
            j = int(np.argmax(value[row, seg]))
            place = seg_places[a][j]
            exact_km, exact_az = _distances(lon[place], lat[place], lon[cand[k]], lat[cand[k]])
            anchor = seg_anchor[a]
            text = f"{float(exact_km):.1f} km from {names[place]} ({anchor.text!r} in context"
            if anchor.bearing is not None:
                text += f"; bearing {float(exact_az):.0f}° vs {anchor.bearing:.0f}° asked"
            if anchor.direction:
                text += "; direction/axis"
            notes[k].append((g, text + f"): +{g:.2f}"))
    _attach(notes, evidence, max_evidence)


def _attach(
    notes: list[list[tuple[float, str]]], evidence: list[list[str]] | None, most: int
) -> None:
    if evidence is None:
        return
    for k, items in enumerate(notes):
        items.sort(key=lambda t: -t[0])
        evidence[k].extend(text for _, text in items[:most])


class PriorEvidence:
    """The explanation of :func:`prior_terms`, rendered only for the candidates shown."""

    def __init__(
        self, store: Store, pids, sims, sources, weak, prior, front_gain, front_km, front_label
    ) -> None:
        self._args = (store, pids, sims, sources, weak, prior, front_gain, front_km, front_label)

    def __len__(self) -> int:
        return len(self._args[1])

    def __getitem__(self, k: int) -> list[str]:
        store, pids, sims, sources, weak, prior, front_gain, front_km, label = self._args
        col = store.col
        sim, source, pid = sims[k], sources[k], pids[k]
        lines = [
            ("name: exact" if sim >= 100 else f"name: spelling {sim:.0f}% similar")
            + (f" ({source})" if source else "")
        ]
        if weak[k]:
            lines.append(
                f"another place has this name officially; this one only as a "
                f"{source} spelling: -{_W_WEAK_SOURCE:.2f}"
            )
        elif source == "old-name":
            lines.append("matched a former name (renamed): -1.00")
        pop = int(col["population"][pid])
        lines.append(
            f"prior: {col['kind'][pid]}"
            + (f", population {pop:,}" if pop else "")
            + f": {prior[k]:+.2f}"
        )
        if front_gain[k] >= 0.05:
            where = label or "at its nearest (DeepStateMap archive)"
            lines.append(
                f"{front_km[k]:.1f} km from the line of contact {where}: +{front_gain[k]:.2f}"
            )
        return lines


def prior_terms(
    store: Store,
    found: dict[int, tuple[float, str, str]],
    *,
    front_km: np.ndarray | None = None,
    front_label: str | None = None,
) -> tuple[list[int], np.ndarray, PriorEvidence]:
    """Name-match and prior terms for candidates: ``(place ids, logits, evidence)``.

    The terms every ranking starts from: how well the spelling matched (official or
    transliterated names before GeoNames alternates and former names), a size prior,
    and closeness to the DeepState line of contact at any time in the archive.
    Vectorised; ``evidence[k]`` renders candidate *k*'s explanation on demand. With
    *front_km* (km to the line on an article's date, per candidate; NaN where unknown)
    that replaces the archive-wide distance, and *front_label* names the snapshot.
    """
    pids = list(found)
    col = store.col
    idx = np.asarray(pids)
    values = list(found.values())
    sims = np.asarray([v[0] for v in values], dtype=float)
    sources = [v[2] for v in values]
    cats = col["category"][idx]
    official_hit = bool(((sims >= 100) & ~np.asarray([s in _WEAK_SOURCES for s in sources])).any())
    is_weak = np.asarray([src in _WEAK_SOURCES for src in sources])
    weak = is_weak & official_hit & (sims >= 100)
    old = np.asarray([src == "old-name" for src in sources]) & ~weak
    prior = np.asarray([_CATEGORY_PRIOR.get(c, 0.0) for c in cats]) + _W_POPULATION * np.log10(
        1.0 + col["population"][idx].astype(float) / 100.0
    )
    prior -= 0.3 * (np.isnan(col["lon"][idx]) & col["is_settlement"][idx])
    front = col["front_km"][idx] if front_km is None else np.abs(front_km)
    front_gain = np.where(
        np.isnan(front), 0.0, _W_FRONT * np.exp(-np.nan_to_num(front) / _FRONT_SCALE_KM)
    )
    logits = -(100.0 - sims) / 10.0 - _W_WEAK_SOURCE * weak - 1.0 * old + prior + front_gain
    return (
        pids,
        logits,
        PriorEvidence(store, pids, sims, sources, weak, prior, front_gain, front, front_label),
    )


def where(
    name: str,
    *,
    oblast: str | None = None,
    near: LonLat | tuple[float, float] | str | None = None,
    context: str | None = None,
    limit: int | None = None,
    fuzzy: bool = False,
    store: Store | None = None,
) -> list[Candidate]:
    """Every place that *name* may mean, best first.

    Parameters
    ----------
    name
        A place name as news spell it ("Novoheorhiivka", "Novogeorgievka", "village of
        Zorya", "Krasnoarmeysk", "Donetsk Oblast", "Polohy, Zaporizhia Oblast") or a
        KATOTTG code.
    oblast
        Prefer places in this oblast (any spelling); the others are still listed.
    near
        Prefer places near this point (``LonLat``, ``(lon, lat)``, ``"LAT,LON"``) or place name.
    context
        Free text a reader would give ("SE of Oleksandrivka", "near Mezhova", a paragraph).
    limit
        At most this many candidates (default: all).
    fuzzy
        Also accept names that are merely close (>= 85 % similar) to a known spelling,
        for misspelt text; by default an unknown spelling raises :class:`PlaceNotFound`.

    Returns
    -------
    list of Candidate
        Scores sum to 1 over all candidates (before *limit*).

    Raises
    ------
    InvalidQuery
        For an empty name or a bad limit.
    PlaceNotFound
        When nothing matches; carries up to five close spellings.
    UnknownRegion
        When *oblast* is not an oblast.

    Examples
    --------
    >>> best = where("Novoheorhiivka", oblast="Dnipropetrovsk")[0]  # doctest: +SKIP
    >>> best.katottg, best.hromada                                  # doctest: +SKIP
    ('UA12140050080041206', 'Velykomykhailivka')
    """
    if name is None or not str(name).strip():
        raise InvalidQuery("`name` is empty; give a place name such as 'Novoheorhiivka'")
    if limit is not None and limit < 1:
        raise InvalidQuery(f"`limit` was {limit!r}; expected a positive number")
    wanted = find_oblast(oblast) if oblast else None
    store = store or load()
    text, level, tail = _parse_query(name)
    if _KATOTTG.match(text):
        pid = store.katottg_index.get(text.upper())
        if pid is None:
            raise PlaceNotFound(text, [])
        found = {pid: (100.0, text.upper(), "katottg")}
    else:
        found = _candidates(store, text, level, fuzzy)
    if not found:
        raise PlaceNotFound(text, _suggest(store, text))
    pids, logits, prior_evidence = prior_terms(store, found)
    evidence = [prior_evidence[k] for k in range(len(pids))]
    col = store.col
    if wanted is not None:
        hit = col["oblast4"][pids] == wanted.katottg_prefix
        logits[hit] += _W_OBLAST
        for k in np.flatnonzero(hit):
            evidence[k].append(f"in {wanted.name} oblast as asked: +{_W_OBLAST:.1f}")
    if near is not None:
        point, label = _resolve_near(store, near)
        lon = col["lon"][pids]
        lat = col["lat"][pids]
        ok = ~np.isnan(lon)
        if ok.any():
            km, _ = _distances(
                np.full(ok.sum(), point.lon), np.full(ok.sum(), point.lat), lon[ok], lat[ok]
            )
            gain = _W_NEAR * np.exp(-km / 25.0)
            logits[ok] += gain
            for k, d, g in zip(np.flatnonzero(ok), km, gain, strict=True):
                evidence[k].append(f"{d:.1f} km from {label} (near): +{g:.2f}")
    hints = " ; ".join(t for t in (context, tail) if t)
    if hints:
        exclude = {fold(text), fold(_LEVEL_SUFFIX.sub("", text))}
        anchors = find_anchors(hints, store, exclude=exclude)
        anchor_terms(store, pids, anchors, logits, evidence)
    probs = np.exp(logits - logits.max())
    probs /= probs.sum()
    order = np.argsort(-probs, kind="stable")
    if limit is not None:
        order = order[:limit]
    return [
        Candidate(
            place=_row_place(store, pids[k]),
            score=float(probs[k]),
            matched=found[pids[k]][1],
            evidence=tuple(evidence[k]),
        )
        for k in order
    ]


def region_at(lon: float, lat: float, *, store: Store | None = None) -> RegionMatch:
    """Which oblast / raion / hromada a point is in, and how far from an oblast border.

    Parameters
    ----------
    lon, lat
        WGS84 degrees.

    Raises
    ------
    InvalidCoordinates
        When the numbers are out of range.
    OutsideUkraine
        When the point is farther than 1 km from every Ukrainian unit.

    Examples
    --------
    >>> region_at(36.56987, 47.86949).oblast  # doctest: +SKIP
    'Dnipropetrovsk'
    """
    point = LonLat(float(lon), float(lat))
    store = store or load()
    index = store.regions
    res = index.lookup(np.array([point.lon]), np.array([point.lat]), borders=True, units=True)
    code = res["polygon_oblast_code"][0]
    note = None
    if code is None:
        from .regions import OUTSIDE_TOLERANCE_KM

        idx, km = index.nearest_oblast(point.lon, point.lat)
        nearest = oblast_by(index.oblast_codes[idx])
        if km > OUTSIDE_TOLERANCE_KM:
            raise OutsideUkraine(
                f"point {point.lat:.5f},{point.lon:.5f} (LAT,LON) is outside Ukraine "
                f"({km:.1f} km from {nearest.name} oblast); give a point inside Ukraine, LAT first"
            )
        code = nearest.katottg_prefix
        note = f"{km:.2f} km outside the {nearest.name} polygon (coast or border generalisation)"
        res["km_to_oblast_border"], res["across_border_code"] = index.border_distance(
            np.array([point.lon]), np.array([point.lat]), np.array([code], dtype=object)
        )
    unit = oblast_by(code)
    borders = index.all_borders(point.lon, point.lat, code, within_km=25.0)
    by_code = store.katottg_index

    def unit_name(c):
        return store.col["name"][by_code[c]] if isinstance(c, str) and c in by_code else None

    ids, slon, slat = store.located
    near_ids = store.settlement_tree.query(
        __import__("shapely").Point(point.lon, point.lat).buffer(0.25)
    )
    if near_ids.size == 0:
        near_ids = np.atleast_1d(
            store.settlement_tree.nearest(__import__("shapely").Point(point.lon, point.lat))
        )
    km, _ = _distances(
        np.full(near_ids.size, point.lon),
        np.full(near_ids.size, point.lat),
        slon[near_ids],
        slat[near_ids],
    )
    j = int(np.argmin(km))
    across = res["across_border_code"][0]
    dist = res["km_to_oblast_border"][0]
    return RegionMatch(
        lon=point.lon,
        lat=point.lat,
        oblast=unit.name,
        oblast_iso=unit.iso,
        oblast_code=store.oblast_katottg.get(unit.katottg_prefix, unit.katottg_prefix),
        on_border=bool(res["on_border"][0]),
        km_to_oblast_border=None if dist is None or np.isnan(dist) else round(float(dist), 3),
        across_border=oblast_by(across).name if across else None,
        borders=tuple((oblast_by(c).name, round(k, 3)) for c, k in borders),
        raion=unit_name(res["raion_code"][0]),
        raion_code=res["raion_code"][0],
        hromada=unit_name(res["hromada_code"][0]),
        hromada_code=res["hromada_code"][0],
        units_generalised=True,
        nearest_settlement=_row_place(store, int(ids[near_ids[j]])),
        km_to_nearest_settlement=round(float(km[j]), 3),
        note=note,
    )
