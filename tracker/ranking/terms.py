"""The one candidate-scoring model: terms a reader can check, summed into logits.

Every ranking — a ``tracker where`` question or a name in an article — scores the candidate
places of a name with the same terms:

* **prior** (:func:`prior_terms`): how well the spelling matched (official or transliterated
  names before GeoNames alternates and former names), a size prior (city before village) and
  closeness to the DeepState line of contact;
* **asked** (:func:`oblast_terms`, :func:`near_terms`): the oblast or the point a user gave;
* **context** (:func:`context_terms`): the anchors — places and regions named in the context
  (a hint, or the other names of a document): candidates inside a named region, in the hromada
  named after an anchor, near an anchor's places (more so in the compass direction the text
  gives, at the distance it gives, along a named direction/axis), in the same hromada.

A question is the one-row case of a document: ``where --context`` builds its :class:`Anchors`
from the hint (:meth:`Anchors.from_context`), the resolver from the other names of the
document and their first-pass beliefs (:meth:`Anchors.from_beliefs`), and both call
:func:`context_terms`. Each term's record is kept so that :mod:`tracker.ranking.explain` can
say why a candidate won, from the very numbers that made it win.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..names import fold
from .params import RankingParams, params

if TYPE_CHECKING:
    from ..context import Anchor
    from ..gazetteer import Gazetteer

__all__ = [
    "Anchors",
    "ContextTerms",
    "Found",
    "PriorTerms",
    "approx_distances",
    "beliefs",
    "border_terms",
    "context_terms",
    "geodesic",
    "near_terms",
    "oblast_terms",
    "prior_terms",
    "softmax",
]

#: place id -> (spelling similarity 0..100, the spelling matched, source of that spelling)
Found = dict[int, tuple[float, str, str]]


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Probabilities from logits (stable; *temperature* > 1 flattens)."""
    z = np.asarray(logits, dtype=float) / temperature
    e = np.exp(z - z.max())
    return e / e.sum()


def approx_distances(
    lon0: Any, lat0: Any, lon1: Any, lat1: Any, *, azimuth: bool = True
) -> tuple[np.ndarray, np.ndarray | None]:
    """Local equirectangular km (and azimuth, degrees from north) from points 0 to points 1.

    Within 0.5 % of geodesic at the tens of km that ranking needs, and ~50x cheaper; exact
    figures (:func:`geodesic`) are computed only for the pairs reported as evidence.
    """
    mean_lat = np.radians((np.asarray(lat0) + np.asarray(lat1)) / 2.0)
    # km per degree on the WGS84 ellipsoid at the mean latitude
    per_lon = 111.41288 * np.cos(mean_lat) - 0.09350 * np.cos(3.0 * mean_lat)
    per_lat = 111.13295 - 0.55982 * np.cos(2.0 * mean_lat)
    dx = (np.asarray(lon1) - np.asarray(lon0)) * per_lon
    dy = (np.asarray(lat1) - np.asarray(lat0)) * per_lat
    az = np.degrees(np.arctan2(dx, dy)) % 360.0 if azimuth else None
    return np.hypot(dx, dy), az


def geodesic(lon0: Any, lat0: Any, lon1: Any, lat1: Any) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic km and forward azimuth (WGS84) from point(s) 0 to point(s) 1, vectorised.

    Karney's algorithm either way: a few pairs (the evidence of a short text) with
    GeographicLib's Python port, which loads in a twentieth of the time PROJ does (pyproj
    and shapely took a fifth of a one-line parse's start); more with PROJ's vectorised
    ``Geod.inv``. The two agree to 1e-12 (relative), far below the 0.1 km and 1° shown.
    """
    lon0, lat0, lon1, lat1 = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (lon0, lat0, lon1, lat1))
    )
    if lon0.size > _FEW_PAIRS:
        from ..geod import geod

        az, _, dist = geod().inv(lon0, lat0, lon1, lat1)
        return np.asarray(dist) / 1000.0, np.asarray(az) % 360.0
    from geographiclib.geodesic import Geodesic

    wgs84, mask = Geodesic.WGS84, Geodesic.DISTANCE | Geodesic.AZIMUTH
    km, az = np.empty(lon0.shape), np.empty(lon0.shape)
    for i in np.ndindex(lon0.shape):
        line = wgs84.Inverse(lat0[i], lon0[i], lat1[i], lon1[i], mask)
        km[i], az[i] = line["s12"] / 1000.0, line["azi1"] % 360.0
    return km, az


#: Up to this many pairs, :func:`geodesic` computes them one by one without loading PROJ.
_FEW_PAIRS = 64


# -- prior ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriorTerms:
    """The name-match and prior terms of a name's candidates (what :func:`prior_terms` made)."""

    pids: list[int]
    logits: np.ndarray
    similarity: np.ndarray
    sources: list[str]
    weak: np.ndarray  # another candidate has the name officially; this one only weakly
    old: np.ndarray  # matched a former name
    prior: np.ndarray
    front_gain: np.ndarray
    front_km: np.ndarray
    front_label: str | None


def prior_terms(
    gaz: Gazetteer,
    found: Found,
    *,
    front_km: np.ndarray | None = None,
    front_label: str | None = None,
    p: RankingParams | None = None,
) -> PriorTerms:
    """Name-match and prior terms for candidates, vectorised.

    With *front_km* (km to the line on an article's date, per candidate; NaN where unknown)
    that replaces the archive-wide distance, and *front_label* names the snapshot.
    """
    p = p or params()
    pids = list(found)
    col = gaz.col
    idx = np.asarray(pids, dtype=int)
    values = list(found.values())
    sims = np.asarray([v[0] for v in values], dtype=float)
    sources = [v[2] for v in values]
    is_weak = np.asarray([src in p.weak_sources for src in sources], dtype=bool)
    official_hit = bool(((sims >= 100) & ~is_weak).any())
    weak = is_weak & official_hit & (sims >= 100)
    old = np.asarray([src == "old-name" for src in sources], dtype=bool) & ~weak
    cats = col["category"][idx]
    prior = np.asarray([p.category_prior.get(c, 0.0) for c in cats]) + p.population_weight * (
        np.log10(1.0 + col["population"][idx].astype(float) / 100.0)
    )
    prior -= p.unlocated_penalty * (np.isnan(col["lon"][idx]) & col["is_settlement"][idx])
    # a centre is named often by its own name: no bonus when matched by a weak spelling
    centre = p.regional_centre * col["is_regional_centre"][idx]
    centre = centre + p.hromada_centre * col["is_hromada_centre"][idx]
    prior += np.where(is_weak, 0.0, centre)
    front = col["front_km"][idx] if front_km is None else np.abs(front_km)
    front_gain = np.where(
        np.isnan(front), 0.0, p.front_weight * np.exp(-np.nan_to_num(front) / p.front_scale_km)
    )
    logits = (
        -(100.0 - sims) / p.spelling_scale
        - np.asarray([p.weak_source_penalty.get(src, 0.0) for src in sources]) * weak
        - p.old_name_penalty * old
        + prior
        + front_gain
    )
    return PriorTerms(pids, logits, sims, sources, weak, old, prior, front_gain, front, front_label)


def beliefs(prior: PriorTerms, p: RankingParams | None = None) -> tuple[list[int], list[float]]:
    """A name's candidates as context: the ``top_places`` most probable under its prior terms,
    each weighted by its probability relative to the best, those below ``min_belief`` left
    out. Used for the names of a document and of a hint alike."""
    p = p or params()
    probs = softmax(prior.logits)
    top = np.argsort(-probs, kind="stable")[: p.top_places]
    w = probs[top] / (probs[top].max() or 1.0)
    keep = w >= p.min_belief
    return np.asarray(prior.pids)[top[keep]].tolist(), w[keep].tolist()


# -- asked ---------------------------------------------------------------------------------------


def oblast_terms(
    gaz: Gazetteer, pids: Sequence[int], oblast_prefix: str, p: RankingParams | None = None
) -> np.ndarray:
    """``where --oblast``: the gain of each candidate inside the oblast (KATOTTG prefix)."""
    p = p or params()
    hit = gaz.col["oblast4"][np.asarray(pids, dtype=int)] == oblast_prefix
    return np.where(hit, p.oblast_weight, 0.0)


def border_terms(
    gaz: Gazetteer, pids: Sequence[int], oblast_prefix: str, p: RankingParams | None = None
) -> np.ndarray:
    """ "near the border with the Y region": candidates outside oblast Y gain
    ``border_weight * exp(-km / border_scale_km)``, km to their oblast's border with Y."""
    p = p or params()
    idx = np.asarray(pids, dtype=int)
    col = gaz.col
    outside = col["oblast4"][idx] != oblast_prefix
    km = gaz.km_to_border_with(idx, oblast_prefix)  # the distance to that very border
    if km is None:  # a gazetteer made in code: the nearest other oblast's border, if it is that one
        across = np.asarray([a == oblast_prefix for a in col["across_border_code"][idx]])
        km = np.where(across, col["km_to_oblast_border"][idx], np.nan)
    hit = outside & ~np.isnan(km)
    return np.where(hit, p.border_weight * np.exp(-np.nan_to_num(km) / p.border_scale_km), 0.0)


def near_terms(
    gaz: Gazetteer, pids: Sequence[int], lon: float, lat: float, p: RankingParams | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``where --near``: ``(gain, geodesic km)`` per candidate (NaN km without coordinates)."""
    p = p or params()
    idx = np.asarray(pids, dtype=int)
    clon, clat = gaz.col["lon"][idx], gaz.col["lat"][idx]
    ok = ~np.isnan(clon)
    km = np.full(len(idx), np.nan)
    gain = np.zeros(len(idx))
    if ok.any():
        km[ok], _ = geodesic(np.full(ok.sum(), lon), np.full(ok.sum(), lat), clon[ok], clat[ok])
        gain[ok] = p.near_weight * np.exp(-km[ok] / p.near_scale_km)
    return gain, km


# -- context -------------------------------------------------------------------------------------


@dataclass
class Anchors:
    """Named places and regions that rank other names, as arrays (one row per anchor).

    ``place``/``belief``/``seg`` list every located settlement an anchor may mean, grouped by
    anchor (``seg`` is the anchor's row); ``regions`` the region places (oblast, raion,
    hromada) as ``(anchor, place id, belief)``; ``hromadas`` every hromada an anchor's
    settlements lie in (also unlocated ones). ``belief`` is how much that place counts
    (spelling similarity for a hint, first-pass probability in a document).
    """

    text: list[str]
    weight: np.ndarray
    bearing: np.ndarray
    km: np.ndarray
    direction: np.ndarray
    near: np.ndarray
    same_hromada: np.ndarray
    place: np.ndarray
    belief: np.ndarray
    seg: np.ndarray
    regions: list[tuple[int, int, float]] = field(default_factory=list)
    hromadas: list[set[str]] = field(default_factory=list)
    _keys: list[str] | None = field(default=None, init=False, repr=False, compare=False)
    _by_key: dict[str, list[int]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _region_keys: list[tuple[int, int, float, str, str, Any]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __len__(self) -> int:
        return len(self.text)

    @property
    def keys(self) -> list[str]:
        """Folded anchor texts (for "the hromada named after X"), folded once."""
        if self._keys is None or len(self._keys) != len(self.text):
            self._keys = [fold(t) for t in self.text]
        return self._keys

    def region_keys(
        self, col: Mapping[str, np.ndarray]
    ) -> list[tuple[int, int, float, str, str, Any]]:
        """``(anchor, region place id, belief, level, column, code)`` of every region anchor:
        a candidate is inside when its ``column`` is ``code`` (built once)."""
        if self._region_keys is None:
            rows = []
            for a, r, belief in self.regions:
                lvl = col["category"][r]
                if lvl == "O":
                    column, key = "oblast4", col["oblast4"][r]
                elif lvl == "P":
                    column, key = "raion_code", col["katottg"][r]
                else:
                    column, key = "hromada_code", col["katottg"][r]
                rows.append((a, r, belief, lvl, column, key))
            self._region_keys = rows
        return self._region_keys

    def by_key(self) -> dict[str, list[int]]:
        """Folded anchor text -> the anchor rows of that text, in order (built once)."""
        if self._by_key is None or len(self._keys or ()) != len(self.text):
            by_key: dict[str, list[int]] = {}
            for a, key in enumerate(self.keys):
                by_key.setdefault(key, []).append(a)
            self._by_key = by_key
        return self._by_key

    @classmethod
    def build(
        cls,
        gaz: Gazetteer,
        rows: Sequence[tuple[str, Sequence[int], Sequence[float]]],
        *,
        weight: Sequence[float] | None = None,
        bearing: Sequence[float | None] | None = None,
        km: Sequence[float | None] | None = None,
        direction: Sequence[bool] | None = None,
        near: Sequence[bool] | None = None,
        same_hromada: Sequence[bool] | None = None,
        exclude: set[int] | frozenset[int] = frozenset(),
        memo: dict[Any, Any] | None = None,
    ) -> Anchors:
        """Anchors from ``(text, place ids, beliefs)`` rows and per-anchor attributes.

        Places in *exclude* (the candidates being ranked, for a single question) are left out.
        *memo* keeps what each ``(place ids, beliefs)`` row reads off the gazetteer, for a
        document whose sections name the same places again.
        """
        col = gaz.col
        n = len(rows)

        def arr(values: Sequence[Any] | None, default: Any, dtype: Any) -> np.ndarray:
            if values is None:
                return np.full(n, default, dtype=dtype)
            return np.asarray([default if v is None else v for v in values], dtype=dtype)

        places, beliefs, segs = [], [], []
        regions: list[tuple[int, int, float]] = []
        hromadas: list[set[str]] = []
        kept = memo if not exclude else None  # (a question's exclusions are its own)
        for a, (_, pids, belief) in enumerate(rows):
            key = (tuple(pids), tuple(belief))
            row = kept.get(key) if kept is not None else None
            if row is None:
                row = _anchor_row(col, pids, belief, exclude)  # (shared from here: read-only)
                if kept is not None:
                    kept[key] = row
            region_pairs, hromada_set, located_places, located_beliefs = row
            regions += [(a, r, b) for r, b in region_pairs]
            hromadas.append(hromada_set)
            places.append(located_places)
            beliefs.append(located_beliefs)
            segs.append(np.full(len(located_places), a, dtype=int))
        return cls(
            text=[r[0] for r in rows],
            weight=arr(weight, 1.0, float),
            bearing=arr(bearing, np.nan, float),
            km=arr(km, np.nan, float),
            direction=arr(direction, False, bool),
            near=arr(near, False, bool),
            same_hromada=arr(same_hromada, False, bool),
            place=np.concatenate(places) if places else np.zeros(0, dtype=int),
            belief=np.concatenate(beliefs) if beliefs else np.zeros(0),
            seg=np.concatenate(segs) if segs else np.zeros(0, dtype=int),
            regions=regions,
            hromadas=hromadas,
        )

    @classmethod
    def from_context(
        cls, gaz: Gazetteer, anchors: Sequence[Anchor], *, exclude: set[int] | frozenset[int]
    ) -> Anchors:
        """Anchors of a hint (:func:`tracker.context.find_anchors`). A region counts fully; the
        settlements a name may mean count by their prior belief, as a document's names do
        (:func:`beliefs`: spelling, size, hromada centre, front line; the best first, those
        all but ruled out left out). An anchor that can only mean one of the candidates being
        ranked (*exclude*) names the asked place itself and is left out."""
        col = gaz.col
        anchors = [a for a in anchors if set(a.places) - set(exclude)]
        rows = []
        for a in anchors:
            sources = a.sources or ("",) * len(a.places)
            found = {
                q: (s, a.text, src)
                for q, s, src in zip(a.places, a.similarity, sources, strict=True)
            }
            settle = {q: v for q, v in found.items() if not col["is_region"][q]}
            pids, bel = beliefs(prior_terms(gaz, settle)) if settle else ([], [])
            regions = [q for q in a.places if col["is_region"][q]]
            rows.append((a.text, [*regions, *pids], [1.0] * len(regions) + list(bel)))
        return cls.build(
            gaz,
            rows,
            weight=[a.weight for a in anchors],
            bearing=[a.bearing for a in anchors],
            km=[a.km for a in anchors],
            direction=[a.direction for a in anchors],
            near=[a.near for a in anchors],
            same_hromada=[a.same_hromada for a in anchors],
            exclude=exclude,
        )


def _anchor_row(
    col: Mapping[str, np.ndarray], pids: Sequence[int], belief: Sequence[float],
    exclude: set[int] | frozenset[int],
) -> tuple[list[tuple[int, float]], set[str], np.ndarray, np.ndarray]:  # fmt: skip
    """What one anchor reads off the gazetteer: its regions ``(place id, belief)``, the
    hromadas of its settlements, and its located settlements with their beliefs."""
    ids = np.asarray([q for q in pids if q not in exclude], dtype=int)
    bel = np.asarray(
        [b for q, b in zip(pids, belief, strict=True) if q not in exclude], dtype=float
    )
    regional = col["is_region"][ids] if ids.size else np.zeros(0, dtype=bool)
    regions = [(int(r), float(b)) for r, b in zip(ids[regional], bel[regional], strict=True)]
    settle, sbel = ids[~regional], bel[~regional]
    hromadas = {h for h in col["hromada_code"][settle] if isinstance(h, str)}
    located = ~np.isnan(col["lon"][settle])
    return regions, hromadas, settle[located], sbel[located]


@dataclass
class ContextTerms:
    """The context terms of one name's candidates, with what :mod:`.explain` needs.

    ``gain`` has a row per located candidate (``located``) and a column per anchor this name
    counts; ``best_place`` is, in the same shape, that anchor's place the candidate is
    closest to by value (the first such, as ``argmax``), an index into ``places`` (whose anchor
    is ``seg``). ``bearing`` and ``direction`` are per anchor row."""

    logits: np.ndarray
    anchors: Anchors
    pids: np.ndarray
    weight: np.ndarray
    # (candidate mask, gain, kind, anchor row, region place id or -1)
    notes: list[tuple[np.ndarray, float, str, int, int]]
    located: np.ndarray
    places: np.ndarray
    seg: np.ndarray
    best_place: np.ndarray
    gain: np.ndarray
    bearing: np.ndarray  # per anchor: the bearing stated for this name from it (NaN: none)
    direction: np.ndarray  # per anchor: used as a direction/axis for this name


#: (candidates it applies to, gain, kind, anchor index, region place id or -1)
_Note = tuple[np.ndarray, float, str, int, int]


def context_terms(
    gaz: Gazetteer,
    pids: Sequence[int],
    anchors: Anchors,
    *,
    weight: np.ndarray | None = None,
    bearing: np.ndarray | None = None,
    direction: np.ndarray | None = None,
    p: RankingParams | None = None,
) -> ContextTerms:
    """The context terms of candidates *pids* given *anchors*, vectorised over both.

    Parameters
    ----------
    weight
        Per anchor, how much it counts for this name (a document: its text proximity; 0 leaves
        an anchor out). Multiplies the anchors' own weights. Default: the anchors' weights.
    bearing
        Per anchor, the compass bearing stated for this name from it (NaN: none); replaces the
        anchors' own bearings (a document: the bearing of the clause the name stands in).
    direction
        Per anchor, whether it is used as a direction/axis for this name; replaces the
        anchors' own flags.
    """
    rows = (None if x is None else np.asarray(x)[None, :] for x in (weight, bearing, direction))
    w, b, d = rows
    return context_terms_many(gaz, [pids], anchors, weight=w, bearing=b, direction=d, p=p)[0]


def context_terms_many(
    gaz: Gazetteer,
    names: Sequence[Sequence[int]],
    anchors: Anchors,
    *,
    weight: np.ndarray | None = None,
    bearing: np.ndarray | None = None,
    direction: np.ndarray | None = None,
    p: RankingParams | None = None,
) -> list[ContextTerms]:
    """:func:`context_terms` of several names against the same *anchors* at once (the names of
    a document section): one row of *weight*, *bearing* and *direction* (names x anchors) per
    name; the terms of each name are those :func:`context_terms` gives it alone."""
    p = p or params()
    col = gaz.col
    sizes = [len(c) for c in names]
    n = len(names)
    cand = np.asarray([q for c in names for q in c], dtype=int)
    offs = np.concatenate(([0], np.cumsum(sizes))).astype(int)
    group = np.repeat(np.arange(n), sizes)
    w = np.broadcast_to(anchors.weight, (n, len(anchors)))
    if weight is not None:
        w = anchors.weight * np.asarray(weight)
    axis = np.broadcast_to(anchors.direction, (n, len(anchors)))
    if direction is not None:
        axis = np.asarray(direction, dtype=bool)
    bearings = np.broadcast_to(anchors.bearing, (n, len(anchors)))
    if bearing is not None:
        bearings = np.asarray(bearing, dtype=float)
    out = np.zeros(len(cand))
    notes: list[list[_Note]] = [[] for _ in range(n)]
    _region_terms_many(col, cand, group, offs, anchors, w, p, out, notes)
    _named_after_terms_many(col, cand, group, offs, anchors, w, p, out, notes)
    unlocated = np.isnan(col["lon"][cand])
    if unlocated.any() and (anchors.near | anchors.same_hromada).any():
        for g in range(n):
            lo, hi = offs[g], offs[g + 1]
            if unlocated[lo:hi].any():
                _unlocated_terms(
                    col, cand[lo:hi], unlocated[lo:hi], anchors, w[g], p, out[lo:hi], notes[g]
                )
    if anchors.same_hromada.any():  # the bonus reads every value: name by name
        return [
            _located_terms(
                col, cand[offs[g] : offs[g + 1]], anchors, w[g], bearings[g], axis[g], p,
                out[offs[g] : offs[g + 1]].copy(), notes[g], unlocated[offs[g] : offs[g + 1]],
            )
            for g in range(n)
        ]  # fmt: skip
    return _located_terms_many(
        col, cand, group, offs, anchors, w, bearings, axis, p, out, notes, unlocated
    )


def _located_terms(
    col: Mapping[str, np.ndarray], cand: np.ndarray, anchors: Anchors, w: np.ndarray,
    bearing: np.ndarray, axis: np.ndarray, p: RankingParams, out: np.ndarray,
    notes: list[_Note], unlocated: np.ndarray,
) -> ContextTerms:  # fmt: skip
    """The distance terms of one name's located candidates (the rest of its terms in *out*)."""
    located = np.flatnonzero(~unlocated)
    keep = w[anchors.seg] != 0 if anchors.seg.size else np.zeros(0, dtype=bool)
    places, seg = anchors.place[keep], anchors.seg[keep]
    if places.size == 0 or located.size == 0:
        none = np.zeros((len(located), 0), dtype=np.intp)
        return ContextTerms(
            out, anchors, cand, w, notes, located, places, seg, none, np.zeros(none.shape),
            bearing, axis,
        )  # fmt: skip
    bear = bearing[seg]
    worth = p.anchor_weight * w[seg] * anchors.belief[keep]  # the most a place's value gains
    value = _kernel(col, cand[located], anchors, places, seg, bear, axis[seg], p, worth)
    value *= anchors.belief[keep]
    starts = np.flatnonzero(np.concatenate(([True], seg[1:] != seg[:-1])))
    best = np.maximum.reduceat(value, starts, axis=1)  # (located candidates, anchors)
    ends = np.append(starts[1:], len(seg))
    best_place = np.stack(
        [a + np.argmax(value[:, a:b], axis=1) for a, b in zip(starts, ends, strict=True)], axis=1
    )
    gain = p.anchor_weight * best * w[seg[starts]]
    _same_hromada_bonus(col, cand[located], anchors, places, seg[starts], best_place, gain, p)
    gain[gain < p.min_gain] = 0.0
    out[located] += gain.sum(axis=1)
    return ContextTerms(
        out, anchors, cand, w, notes, located, places, seg, best_place, gain, bearing, axis
    )  # fmt: skip


def _located_terms_many(
    col: Mapping[str, np.ndarray], cand: np.ndarray, group: np.ndarray, offs: np.ndarray,
    anchors: Anchors, w: np.ndarray, bearings: np.ndarray, axis: np.ndarray, p: RankingParams,
    out: np.ndarray, notes: list[list[_Note]], unlocated: np.ndarray,
) -> list[ContextTerms]:  # fmt: skip
    """:func:`_located_terms` of every name at once: the kernel of every located candidate
    and every anchor place within reach, each anchor's best place and its gain computed in
    one go; each name's terms then cut out of them (the same values in the same shapes, so
    the same sums). Only the pairs within reach hold a value: each anchor's best of them is
    found among them (:func:`_best_of_segments`), never in a candidates x places matrix."""
    n = len(offs) - 1
    seg_all, place_all = anchors.seg, anchors.place
    located_all = np.flatnonzero(~unlocated)
    lgroup = group[located_all]
    lo_rows = np.searchsorted(located_all, offs[:-1])
    hi_rows = np.searchsorted(located_all, offs[1:])
    w_places = w[:, seg_all]  # (names, anchor places)
    kept = w_places != 0
    # the anchors that have located places: segments of seg_all, and their first places
    firsts = np.zeros(0, dtype=int)
    if seg_all.size:
        firsts = np.flatnonzero(np.concatenate(([True], seg_all[1:] != seg_all[:-1])))
    sizes = np.diff(np.append(firsts, len(seg_all)))
    seg_anchor = seg_all[firsts]
    w_anchor = w[:, seg_anchor]  # (names, anchors with located places)
    shape = (len(located_all), len(firsts))
    gain_all = np.zeros(shape)
    at_all = np.broadcast_to(firsts, shape)  # each anchor's best place (none: its first)
    if located_all.size and place_all.size:
        scale = np.where(axis[:, seg_all], p.direction_scale_km, p.anchor_scale_km)
        lon0, lat0 = col["lon"][cand[located_all]], col["lat"][cand[located_all]]
        lon1, lat1 = col["lon"][place_all], col["lat"][place_all]
        worth = p.anchor_weight * w_places * anchors.belief[None, :]
        near = _within_reach_all(lon0, lat0, lon1, lat1, scale, worth, anchors, p, lgroup)
        rows, cols = near if near is not None else np.nonzero(kept[lgroup])
        best = np.zeros(shape)  # (located candidates, anchors)
        if rows.size:
            name, anchor = lgroup[rows], seg_all[cols]
            # (no anchor with a distance given, the usual case: one NaN stands for them all)
            given = np.array(np.nan) if np.isnan(anchors.km).all() else anchors.km[anchor]
            value = _closeness(
                lon0[rows], lat0[rows], lon1[cols], lat1[cols], given, scale[name, cols],
                bearings[name, anchor], p,
            )  # fmt: skip
            value *= anchors.belief[cols]
            segment = np.repeat(np.arange(len(firsts)), sizes)[cols]
            best, at_all = _best_of_segments(rows, segment, cols, value, firsts, shape)
        gain_all = p.anchor_weight * best * w_anchor[lgroup]
        gain_all[gain_all < p.min_gain] = 0.0
    terms = []
    no_cols = np.zeros(0, dtype=int)
    for g in range(n):
        lo, hi = offs[g], offs[g + 1]
        located = located_all[lo_rows[g] : hi_rows[g]] - lo
        counted = np.flatnonzero(w_anchor[g] != 0)  # the anchors this name counts
        if counted.size == 0 or located.size == 0:
            none = np.zeros((len(located), 0), dtype=np.intp)
            terms.append(ContextTerms(
                out[lo:hi].copy(), anchors, cand[lo:hi], w[g], notes[g], located,
                place_all[no_cols], seg_all[no_cols], none, np.zeros(none.shape), bearings[g],
                axis[g],
            ))  # fmt: skip
            continue
        # (read-only from here on: the rows of the section's block, every place's column)
        gain = gain_all[lo_rows[g] : hi_rows[g]]
        at = at_all[lo_rows[g] : hi_rows[g]]
        if counted.size != len(firsts):
            gain, at = gain[:, counted], at[:, counted]
        logits = out[lo:hi].copy()
        logits[located] += gain.sum(axis=1)
        terms.append(ContextTerms(
            logits, anchors, cand[lo:hi], w[g], notes[g], located, place_all, seg_all, at, gain,
            bearings[g], axis[g],
        ))  # fmt: skip
    return terms


def _best_of_segments(
    rows: np.ndarray, segment: np.ndarray, cols: np.ndarray, value: np.ndarray,
    firsts: np.ndarray, shape: tuple[int, int],
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Per (row, segment) of *shape*, the largest *value* of its pairs and the first column
    holding it: what ``np.maximum.reduceat`` and ``argmax`` give over the segments (columns
    ``firsts[s]`` on) of a matrix that is zero but at the pairs (values are >= 0; a cell
    without a positive value has its segment's first column)."""
    n_seg = shape[1]
    key = rows * n_seg + segment
    best = np.zeros(shape[0] * n_seg)
    np.maximum.at(best, key, value)
    top = (value > 0) & (value == best[key])
    first = np.full(best.shape, np.iinfo(np.intp).max, dtype=np.intp)
    np.minimum.at(first, key[top], cols[top])
    at = np.where(first == np.iinfo(np.intp).max, np.tile(firsts, shape[0]), first)
    return best.reshape(shape), at.reshape(shape)


def _region_terms_many(
    col: Mapping[str, np.ndarray], cand: np.ndarray, group: np.ndarray, offs: np.ndarray,
    anchors: Anchors, w: np.ndarray, p: RankingParams, out: np.ndarray,
    notes: list[list[_Note]],
) -> None:  # fmt: skip
    """Regions named in the context: candidates inside gain, by the region's level (each
    name by its own weight of the region's anchor, a weight of 0 leaving it out).

    Only the regions whose code one of the candidates has are compared (the others gain
    nothing and note nothing), in the anchors' order."""
    if not anchors.regions or not cand.size:
        return
    codes: dict[str, np.ndarray] = {}
    present: dict[str, set[Any]] = {}
    for a, r, belief, lvl, column, key in anchors.region_keys(col):
        wa = w[:, a]
        if not wa.any():
            continue
        if column not in codes:
            codes[column] = col[column][cand]
            present[column] = set(codes[column].tolist())
        if key not in present[column]:
            continue
        hit = codes[column] == key
        on = hit & (wa[group] != 0)
        if not on.any():
            continue
        gains = p.region_weight[lvl] * wa * belief  # per name
        out[on] += gains[group[on]]
        names = group[on]  # sorted (names are consecutive): their distinct values in order
        for g in names[np.concatenate(([True], names[1:] != names[:-1]))].tolist():
            notes[g].append((hit[offs[g] : offs[g + 1]], gains[g], "region", a, r))


def _named_after_terms_many(
    col: Mapping[str, np.ndarray], cand: np.ndarray, group: np.ndarray, offs: np.ndarray,
    anchors: Anchors, w: np.ndarray, p: RankingParams, out: np.ndarray,
    notes: list[list[_Note]],
) -> None:  # fmt: skip
    """A candidate in the hromada named after an anchor ("Mezhova" for Mezhova hromada)."""
    by_key = anchors.by_key()
    if not by_key or not w.any():
        return
    hromadas = col["hromada"][cand].tolist()
    named = {  # each hromada name of the candidates once: the anchors named like it
        h: rows for h in set(hromadas) if isinstance(h, str) and (rows := by_key.get(fold(h)))
    }
    for k in [k for k, h in enumerate(hromadas) if h in named]:
        rows = named[hromadas[k]]
        g = int(group[k])
        for a in rows:
            if w[g, a] == 0:
                continue
            gain = p.named_after_weight * w[g, a]
            out[k] += gain
            mask = np.zeros(offs[g + 1] - offs[g], dtype=bool)
            mask[k - offs[g]] = True
            notes[g].append((mask, gain, "named", a, -1))


def _unlocated_terms(
    col: Mapping[str, np.ndarray], cand: np.ndarray, unlocated: np.ndarray, anchors: Anchors,
    w: np.ndarray, p: RankingParams, out: np.ndarray, notes: list[_Note],
) -> None:  # fmt: skip
    """ "near X" / "same hromada": unlocated candidates in one of X's hromadas."""
    for a in np.flatnonzero((anchors.near | anchors.same_hromada) & (w != 0)).tolist():
        hit = unlocated & np.isin(col["hromada_code"][cand], list(anchors.hromadas[a]))
        if hit.any():
            gain = p.anchor_weight * p.unlocated_factor * w[a]
            out[hit] += gain
            notes.append((hit, gain, "unlocated", a, -1))


def _kernel(
    col: Mapping[str, np.ndarray], located: np.ndarray, anchors: Anchors, places: np.ndarray,
    seg: np.ndarray, bear: np.ndarray, axis: np.ndarray, p: RankingParams,
    worth: np.ndarray | None = None,
) -> np.ndarray:  # fmt: skip
    """(located candidates, anchor places): closeness by distance, by the distance the text
    gives ("10 km from X") and by the stated bearing ("NE of X").

    With *worth* (per anchor place, the most its value can gain: anchor weight x weight x
    belief), pairs too far apart for a gain of ``min_gain`` are left at 0 without computing
    them: a gain below ``min_gain`` is dropped anyway, and an anchor's best place (what gains,
    and what evidence names) is always within reach when its gain counts."""
    scale = np.where(axis, p.direction_scale_km, p.anchor_scale_km)
    lon0, lat0 = col["lon"][located], col["lat"][located]
    lon1, lat1 = col["lon"][places], col["lat"][places]
    pairs = None if worth is None else _within_reach(lon0, lat0, lon1, lat1, scale, worth, seg,
                                                     anchors, p)  # fmt: skip
    if pairs is None:
        return _closeness(
            lon0[:, None], lat0[:, None], lon1[None, :], lat1[None, :], anchors.km[seg],
            scale, bear, p,
        )  # fmt: skip
    rows, cols = pairs
    value = np.zeros((len(located), len(places)))
    if rows.size:
        value[rows, cols] = _closeness(
            lon0[rows], lat0[rows], lon1[cols], lat1[cols], anchors.km[seg][cols],
            scale[cols], bear[cols], p,
        )  # fmt: skip
    return value


def _closeness(
    lon0: np.ndarray, lat0: np.ndarray, lon1: np.ndarray, lat1: np.ndarray, given: np.ndarray,
    scale: np.ndarray, bear: np.ndarray, p: RankingParams,
) -> np.ndarray:  # fmt: skip
    """The kernel of candidate points 0 and anchor places 1 (arrays that broadcast, the
    place's given km, scale and bearing broadcasting with points 1), element by element."""
    has_bearing = ~np.isnan(bear)
    km, az = approx_distances(lon0, lat0, lon1, lat1, azimuth=bool(has_bearing.any()))
    kernel = np.exp(-km / scale)
    if not np.isnan(given).all():
        kernel = np.where(
            np.isnan(given), kernel, np.exp(-np.abs(km - np.nan_to_num(given)) / p.given_km_scale)
        )
    if az is not None:  # the bearing from the anchor place to the candidate
        factor = 0.5 + 0.5 * np.cos(np.radians((az + 180.0) - np.nan_to_num(bear)))
        kernel = np.where(has_bearing, kernel * factor, kernel)
    return kernel


#: km per degree of latitude on the WGS84 ellipsoid, at least (``approx_distances``)
_KM_PER_LAT_MIN = 111.13295 - 0.55982


def _within_reach_all(
    lon0: np.ndarray, lat0: np.ndarray, lon1: np.ndarray, lat1: np.ndarray, scale: np.ndarray,
    worth: np.ndarray, anchors: Anchors, p: RankingParams, rows: np.ndarray,
) -> tuple[np.ndarray, np.ndarray] | None:  # fmt: skip
    """:func:`_within_reach` of candidate points 0 and anchor places 1, with *scale* and
    *worth* per name and place (names x places; *rows*: each candidate's name); places worth
    nothing (a weight of 0) are never within reach."""
    if p.min_gain <= 0 or anchors.same_hromada.any() or not np.isnan(anchors.km).all():
        return None
    return _pairs_within(lon0, lat0, lon1, lat1, _reach(scale, worth, p), rows)


def _within_reach(
    lon0: np.ndarray, lat0: np.ndarray, lon1: np.ndarray, lat1: np.ndarray, scale: np.ndarray,
    worth: np.ndarray, seg: np.ndarray, anchors: Anchors, p: RankingParams,
) -> tuple[np.ndarray, np.ndarray] | None:  # fmt: skip
    """(rows, columns) of the pairs whose value may gain ``min_gain`` or more; None to compute
    them all (no gain floor, a given distance or "same hromada" among the anchors).

    A value is at most ``exp(-km / scale)`` (bearing factor and belief are at most 1), so a
    pair gains less than ``min_gain`` when ``km > scale * ln(worth / min_gain)``; *km* is
    bounded below by the latitude and the longitude difference alone (``approx_distances``'
    km per degree of longitude only falls towards the poles), with a margin of 1 %."""
    if p.min_gain <= 0 or anchors.same_hromada.any() or not np.isnan(anchors.km[seg]).all():
        return None
    reach = _reach(scale, worth, p)[None, :]
    return _pairs_within(lon0, lat0, lon1, lat1, reach, np.zeros(len(lon0), dtype=int))


def _reach(scale: np.ndarray, worth: np.ndarray, p: RankingParams) -> np.ndarray:
    """The km beyond which a place worth *worth* at *scale* gains less than ``min_gain``
    (inf: no floor known, compute; -inf: worth nothing, never)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        reach = scale * (np.log(worth / p.min_gain) + 0.01)
    reach[np.isnan(reach)] = np.inf
    reach[worth == 0] = -np.inf
    return reach


def _pairs_within(
    lon0: np.ndarray, lat0: np.ndarray, lon1: np.ndarray, lat1: np.ndarray, reach: np.ndarray,
    rows: np.ndarray,
) -> tuple[np.ndarray, np.ndarray] | None:  # fmt: skip
    """``(candidates, places)`` of the pairs whose km bound is within ``reach[rows[c], p]``
    (None near a pole: compute them all).

    The bound is the latitude or the longitude difference alone, at the fewest km per degree
    any pair can have (:func:`approx_distances` never gives less). Only the pairs whose
    coordinates are both close enough are looked at: the candidates are sorted into strips of
    longitude and by latitude within each, and each place reads, in each strip its largest
    reach spans, the window of latitudes it spans. The pairs are those of the bound of every
    pair, without a candidates x places matrix."""
    top = float(max(np.abs(lat0).max(initial=0.0), np.abs(lat1).max(initial=0.0)))
    if top >= 80.0:
        return None
    top_lat = np.radians(top)
    per_lon = max(0.0, 111.41288 * np.cos(top_lat) - 0.09350 * np.cos(3.0 * top_lat))
    per_lon *= 1.0 - 1e-9  # against rounding
    per_lat = _KM_PER_LAT_MIN * (1.0 - 1e-9)
    widest = reach.max(axis=0, initial=-np.inf)
    with np.errstate(invalid="ignore"):
        half = np.where(widest >= 0, widest / per_lat * (1.0 + 1e-6) + 1e-9, -1.0)
        half_lon = np.where(widest >= 0, widest / per_lon * (1.0 + 1e-6) + 1e-9, -1.0)
    # strips about as wide as a typical reach (a place reads about three)
    finite = half_lon[(half_lon >= 0) & np.isfinite(half_lon)]
    width = max(float(np.median(finite)) if finite.size else 1.0, 0.05)
    strip = np.floor(lon0 / width)
    first_strip = float(strip.min(initial=0.0))
    strip -= first_strip
    last = float(strip.max(initial=0.0))
    # one sorted key: strip * 1000 + latitude (rounding keeps the order, so every candidate a
    # latitude window holds is in its key window; strips never overlap)
    order = np.lexsort((lat0, strip))
    key = (strip * 1000.0 + lat0)[order]
    lo_strip = np.clip(np.floor((lon1 - half_lon) / width) - first_strip, 0.0, last)
    hi_strip = np.clip(np.floor((lon1 + half_lon) / width) - first_strip, 0.0, last)
    n_strips = np.where(half < 0, 0, (hi_strip - lo_strip + 1).astype(np.int64))
    place = np.repeat(np.arange(len(lat1)), n_strips)  # one query per place and strip
    at = np.repeat(lo_strip, n_strips) + (
        np.arange(int(n_strips.sum())) - np.repeat(np.cumsum(n_strips) - n_strips, n_strips)
    )
    # (a window without bound, from no floor known, stays inside its strip's keys)
    south, north = np.maximum(lat1 - half, -500.0), np.minimum(lat1 + half, 500.0)
    lo = np.searchsorted(key, at * 1000.0 + south[place], side="left")
    hi = np.searchsorted(key, at * 1000.0 + north[place], side="right")
    counts = np.maximum(hi - lo, 0)
    cols = np.repeat(place, counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    cand = order[np.arange(int(counts.sum())) - first + np.repeat(lo, counts)]
    dy = np.abs(lat0[cand] - lat1[cols]) * per_lat
    dx = np.abs(lon0[cand] - lon1[cols]) * per_lon
    hit = np.maximum(dx, dy) <= reach[rows[cand], cols]
    return cand[hit], cols[hit]


def _same_hromada_bonus(
    col: Mapping[str, np.ndarray], located: np.ndarray, anchors: Anchors, places: np.ndarray,
    anchor: np.ndarray, best_place: np.ndarray, gain: np.ndarray, p: RankingParams,
) -> None:  # fmt: skip
    """ "(same hromada)": a candidate in the hromada of the anchor's best place gains
    (*anchor*: each gain column's anchor; *best_place*: as :class:`ContextTerms` has it)."""
    same = anchors.same_hromada[anchor]
    if not same.any():
        return
    cand_h = col["hromada_code"][located]
    for j in np.flatnonzero(same):
        arg = best_place[:, j]
        hit = (cand_h == col["hromada_code"][places[arg]]) & np.asarray(
            [isinstance(h, str) for h in cand_h]
        )
        gain[:, j] += np.where(hit, p.same_hromada_bonus, 0.0)
