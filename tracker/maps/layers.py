"""The geometry a map draws, as GeoJSON: the basemap and the front line.

The basemap is our own (no tiles needed): Ukraine's land, the oblast borders (from the built
border pieces) and the state border with each neighbour, the oblasts of the story emphasised
with their shared border, raion borders and names around the story, and the gazetteer's
settlements around it by size (cities, towns, villages), in Latin and Ukrainian. Border lines
near the story keep ~20 m of detail, the rest ~250 m. The mirror has no water bodies (GeoNames
has rivers and reservoirs as points only), so none are drawn.

What does not depend on the articles (the land, each oblast's fill and outline, the border
pieces at both details, each raion's outline) is made once per data build into a
:class:`Kit` of GeoJSON texts, kept in memory and in the user cache directory
(``$TRACKER_MAP_CACHE``, ``off`` to keep none), so that a map only joins texts.

The front line of a date is the DeepState occupied area (unsimplified: a snapshot has a few
thousand vertices), its line of contact (the outline where it runs inside Ukraine, 3 km off
the state border and the coast) and the change since an earlier date.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely

__all__ = [
    "CITY_KM",
    "VILLAGE_KM",
    "Kit",
    "RawJSON",
    "basemap",
    "front_state",
    "geometry",
    "hromada_outlines",
    "kit",
    "nearest_km",
    "story_oblasts",
]

#: Villages and towns within this many km of a place of the story are drawn ...
VILLAGE_KM = 40.0
#: ... cities within this many.
CITY_KM = 150.0
#: At most this many villages and towns (the nearest to the story first).
MAX_SMALL = 5000
#: Border lines within this many km of the story keep their detail.
DETAIL_KM = 80.0
#: Raions whose centre is within this many km of the story are outlined and named.
RAION_KM = 80.0
#: More oblasts than this are a compilation, not a story: none is emphasised.
MAX_STORY_OBLASTS = 4
#: An oblast the articles name is one of the story's when its border with the oblast of a
#: place of the story runs this close to that place.
NAMED_OBLAST_KM = 10.0
#: Gained or lost pieces smaller than this (km²) are slivers of redrawing, not changes.
MIN_CHANGE_KM2 = 0.01
_FINE_M, _COARSE_M = 20.0, 250.0
_FILL_DEG, _OUTLINE_DEG = 0.0005, 0.0002
_KM_LON = 111.32 * math.cos(math.radians(48.5))
_KM_LAT = 110.57
_KIT_VERSION = 1
#: The cache keeps the kits of this many data builds.
KEEP_KITS = 3
_CACHE_ENV = "TRACKER_MAP_CACHE"


class RawJSON(str):
    """A JSON text that the page's JSON document takes as it is (made by this module from our
    own geometry: numbers and GeoJSON keys only)."""


def _xy(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """Approximate km (equirectangular at 48.5° N: < 3 % off across Ukraine)."""
    return np.asarray(lon, dtype=float) * _KM_LON, np.asarray(lat, dtype=float) * _KM_LAT


def nearest_km(lon: Any, lat: Any, to_lon: Sequence[Any], to_lat: Sequence[Any]) -> np.ndarray:
    """Approximate km from each point to the nearest of the *to* points (inf when none)."""
    lon = np.atleast_1d(np.asarray(lon, dtype=float))
    if not len(to_lon) or not len(lon):
        return np.full(lon.shape, np.inf)
    tx, ty = _xy(to_lon, to_lat)
    tree = shapely.STRtree(shapely.points(tx, ty))
    x, y = _xy(lon, lat)
    idx, dist = tree.query_nearest(shapely.points(x, y), return_distance=True, all_matches=False)
    out = np.full(lon.shape, np.inf)
    out[idx[0]] = dist
    return out


def geometry(geom: Any, precision: float = 1e-5) -> RawJSON | None:
    """A shapely geometry as GeoJSON text (coordinates rounded, polygons oriented: exterior
    rings counter-clockwise), None when empty."""
    if geom is None or shapely.is_empty(geom):
        return None
    geom = shapely.set_precision(geom, precision)
    if shapely.get_type_id(geom) in (3, 6, 7):
        geom = shapely.orient_polygons(geom)
    return RawJSON(shapely.to_geojson(geom))


def _features(geoms: Sequence[str]) -> RawJSON | None:
    """A FeatureCollection of GeoJSON geometry texts (None when there are none)."""
    geoms = [g for g in geoms if g]
    if not geoms:
        return None
    feats = ",".join(f'{{"type":"Feature","properties":{{}},"geometry":{g}}}' for g in geoms)
    return RawJSON(f'{{"type":"FeatureCollection","features":[{feats}]}}')


def _lines(parts: Sequence[str]) -> RawJSON | None:
    """One MultiLineString feature from coordinate-array texts of lines."""
    parts = [p for p in parts if p]
    if not parts:
        return None
    return _features([f'{{"type":"MultiLineString","coordinates":[{",".join(parts)}]}}'])


def _coords(line: Any) -> str:
    """The coordinates of a linestring (degrees) as JSON text."""
    xy = np.round(shapely.get_coordinates(line), 5)
    return json.dumps(xy.tolist(), separators=(",", ":"))


# -- the kit: what every map of one data build shares --------------------------------------


@dataclass
class Kit:
    """GeoJSON texts of one data build (see the module docstring)."""

    land: str
    oblast_codes: list[str]
    oblast_names: list[str]
    oblast_fill: list[str]
    oblast_outline: list[str]
    oblast_label: list[list[float]]  # [lat, lon]
    piece_from: list[str]
    piece_to: list[str]
    piece_mid: list[list[float]]  # [lon, lat]
    piece_fine: list[str]
    piece_coarse: list[str]
    raion_codes: list[str]
    raion_label: list[list[Any]]  # [lat, lon, "Synelnykove raion"]
    raion_outline: list[str]  # coordinate arrays of its lines, joined by commas


_kits: dict[str, Kit] = {}


def _cache_file(store: Any) -> Path | None:
    value = os.environ.get(_CACHE_ENV)
    if value and value.lower() == "off":
        return None
    if value:
        base = Path(value)
    else:
        from platformdirs import user_cache_dir

        base = Path(user_cache_dir("frontline-tracker")) / "maps"
    return base / f"kit-{_KIT_VERSION}-{store.build_id}.json"


def kit(store: Any) -> Kit:
    """The :class:`Kit` of *store*'s build: from memory, the cache file, or made (and kept)."""
    key = f"{store.directory}:{getattr(store, 'build_id', '')}"
    found = _kits.get(key)
    if found is not None:
        return found
    path = _cache_file(store) if getattr(store, "build_id", None) else None
    if path is not None and path.is_file():
        try:
            found = Kit(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            found = None
    if found is None:
        found = _make_kit(store)
        if path is not None:
            try:
                from ..outputs import write_atomic

                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, json.dumps(asdict(found), separators=(",", ":")))
                kits = sorted(path.parent.glob("kit-*.json"), key=lambda f: f.stat().st_mtime)
                for old in kits[:-KEEP_KITS]:  # the kits of older builds
                    old.unlink(missing_ok=True)
            except Exception:  # a cache that cannot be written is only slower
                pass
    _kits[key] = found
    return found


def _metric() -> tuple[Any, Any]:
    from pyproj import Transformer

    from ..data.boundaries import METRIC_CRS

    return (
        Transformer.from_crs(4326, METRIC_CRS, always_xy=True),
        Transformer.from_crs(METRIC_CRS, 4326, always_xy=True),
    )


def _to_degrees(lines: np.ndarray, back: Any) -> np.ndarray:
    def fn(coords: np.ndarray) -> np.ndarray:
        x, y = back.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(lines, fn)


def _make_kit(store: Any) -> Kit:
    fwd, back = _metric()
    ob = store.oblasts
    geoms = ob.geometry.values
    fills = shapely.simplify(geoms, _FILL_DEG, preserve_topology=True)
    land = shapely.union_all(fills)
    land = shapely.polygons(shapely.get_exterior_ring(shapely.get_parts(land)))  # no slivers
    outlines = shapely.simplify(shapely.boundary(geoms), _OUTLINE_DEG)
    reps = shapely.point_on_surface(geoms)
    frame = store.read_table("borders")
    lines = shapely.from_wkb(frame["geometry"].to_numpy())
    a = frame["from_code"].to_numpy().astype(str)
    b = frame["to_code"].to_numpy().astype(str)
    inner = np.char.startswith(b, "UA")
    keep = ~inner | (a < b)  # a border between two oblasts once (stored both ways)
    if not (inner & (a > b)).any():
        keep = np.ones(len(a), dtype=bool)
    lines, a, b = lines[keep], a[keep], b[keep]
    mids = _to_degrees(shapely.line_interpolate_point(lines, 0.5, normalized=True), back)
    fine = _to_degrees(shapely.simplify(lines, _FINE_M), back)
    coarse = _to_degrees(shapely.simplify(lines, _COARSE_M), back)
    raion_codes, raion_label, raion_outline = _raion_kit(store, shapely.STRtree(lines), fwd, back)
    return Kit(
        land=str(geometry(shapely.multipolygons(shapely.get_parts(land)), 1e-4)),
        oblast_codes=[str(c) for c in ob["oblast_code"]],
        oblast_names=[str(n) for n in ob["oblast"]],
        oblast_fill=[str(geometry(g, 1e-5) or "") for g in fills],
        oblast_outline=[str(geometry(g, 1e-5) or "") for g in outlines],
        oblast_label=[
            [round(float(shapely.get_y(p)), 4), round(float(shapely.get_x(p)), 4)] for p in reps
        ],
        piece_from=a.tolist(),
        piece_to=b.tolist(),
        piece_mid=np.round(shapely.get_coordinates(mids), 4).tolist(),
        piece_fine=[_coords(g) for g in fine],
        piece_coarse=[_coords(g) for g in coarse],
        raion_codes=raion_codes,
        raion_label=raion_label,
        raion_outline=raion_outline,
    )


def _raion_kit(
    store: Any, borders: Any, fwd: Any, back: Any, gap_m: float = 2000.0
) -> tuple[list[str], list[list[Any]], list[str]]:
    """Each raion's label and outline. The raion layer is generalised (up to ~1.7 km off), so
    the parts of an outline within *gap_m* of an oblast or state border are left out: the
    precise border is drawn there instead."""
    ra = store.raions
    places = store.places
    units = places[places["category"] == "P"]
    names = dict(zip(units["katottg"], units["name"], strict=True))
    codes, labels, outlines = [], [], []
    reps = shapely.point_on_surface(ra.geometry.values)
    for code, geom, rep in zip(ra["raion_code"], ra.geometry.values, reps, strict=True):
        parts = []
        for ring in shapely.get_parts(shapely.boundary(geom)):
            xy = shapely.get_coordinates(ring)
            x, y = fwd.transform(xy[:, 0], xy[:, 1])
            near = np.zeros(len(x), dtype=bool)
            hit = borders.query(shapely.points(x, y), predicate="dwithin", distance=gap_m)[0]
            near[hit] = True
            # runs of vertices away from every border
            edges = np.flatnonzero(np.diff(np.concatenate([[1], near.astype(np.int8), [1]])))
            for start, stop in zip(edges[::2], edges[1::2], strict=True):
                if stop - start >= 2:
                    run = shapely.simplify(
                        shapely.linestrings(np.column_stack([x[start:stop], y[start:stop]])), 50.0
                    )
                    parts.append(_coords(_to_degrees(np.asarray([run]), back)[0]))
        codes.append(str(code))
        name = names.get(code)
        labels.append(
            [
                round(float(shapely.get_y(rep)), 4),
                round(float(shapely.get_x(rep)), 4),
                f"{name} raion" if name else "",
            ]
        )
        outlines.append(",".join(parts))
    return codes, labels, outlines


# -- per map ------------------------------------------------------------------------------


def story_oblasts(store: Any, story_places: Sequence[Any], named: set[str]) -> set[str]:
    """The oblasts to emphasise (KATOTTG prefixes): those holding the story's places, and
    those the articles name whose border with such an oblast runs within
    :data:`NAMED_OBLAST_KM` of one of the places (NBC's two villages in Dnipropetrovsk oblast,
    0.7 km from the Donetsk border the article speaks of: Dnipropetrovsk and Donetsk). More
    than :data:`MAX_STORY_OBLASTS` is a compilation: none is emphasised."""
    codes = {p.katottg[:4] for p in story_places}
    wanted = named - codes
    if wanted and story_places and len(codes) <= MAX_STORY_OBLASTS:
        k = kit(store)
        mid = np.asarray(k.piece_mid)
        km = nearest_km(mid[:, 0], mid[:, 1], [p.lon for p in story_places],
                        [p.lat for p in story_places])  # fmt: skip
        near = np.flatnonzero(km <= NAMED_OBLAST_KM)
        for j in near:
            pair = {k.piece_from[j], k.piece_to[j]}
            if pair & codes and pair & wanted:
                codes |= pair & wanted
    return codes if len(codes) <= MAX_STORY_OBLASTS else set()


def basemap(
    store: Any,
    story_places: Sequence[Any],
    story_codes: set[str],
    *,
    offline: bool,
) -> dict[str, Any]:
    """The basemap layers around the story (see the module docstring).

    Parameters
    ----------
    store
        The loaded data (:func:`tracker.data.store.load`).
    story_places
        The :class:`~tracker.models.Place` objects the story is about.
    story_codes
        The oblasts to emphasise (KATOTTG prefixes, ``"UA12"``), with their shared border.
    offline
        Draw the land (the map has no tiles under it).
    """
    k = kit(store)
    s_lon = [p.lon for p in story_places]
    s_lat = [p.lat for p in story_places]
    out: dict[str, Any] = {}
    if offline:
        out["land"] = RawJSON(k.land)
    story = [i for i, c in enumerate(k.oblast_codes) if c in story_codes]
    if story:
        if offline:
            out["story_fill"] = _features([k.oblast_fill[i] for i in story])
        out["story_lines"] = _features([k.oblast_outline[i] for i in story])
    mid = np.asarray(k.piece_mid)
    near = nearest_km(mid[:, 0], mid[:, 1], s_lon, s_lat) <= DETAIL_KM
    text = [k.piece_fine[j] if near[j] else k.piece_coarse[j] for j in range(len(near))]
    to = np.asarray(k.piece_to)
    frm = np.asarray(k.piece_from)
    inner = np.char.startswith(to, "UA")
    out["oblast_lines"] = _lines([text[j] for j in np.flatnonzero(inner)])
    out["state"] = _lines([text[j] for j in np.flatnonzero(~inner)])
    codes = list(story_codes)
    shared = inner & np.isin(frm, codes) & np.isin(to, codes)
    out["shared_lines"] = _lines([text[j] for j in np.flatnonzero(shared)])
    out["oblast_labels"] = [
        [*k.oblast_label[i], k.oblast_names[i], k.oblast_codes[i] in story_codes]
        for i in range(len(k.oblast_codes))
    ]
    if story_places:
        lab = np.asarray([r[:2] for r in k.raion_label], dtype=float).reshape(-1, 2)
        close = np.flatnonzero(nearest_km(lab[:, 1], lab[:, 0], s_lon, s_lat) <= RAION_KM)
        out["raions"] = _lines([k.raion_outline[i] for i in close])
        out["raion_labels"] = [k.raion_label[i] for i in close if k.raion_label[i][2]]
        out["settlements"] = _settlements(store, s_lon, s_lat)
    return {key: v for key, v in out.items() if v is not None}


def _settlements(store: Any, s_lon: Sequence[float], s_lat: Sequence[float]) -> list[list[Any]]:
    """``[lon, lat, name, name_uk, tier, population, katottg, "raion, oblast"]`` of the
    settlements around the story: tier 1 cities (shown from zoom 6), 2 towns (9), 3 villages
    (11)."""
    p = store.places
    cat = p["category"].to_numpy().astype(str)
    lon = p["lon"].to_numpy(dtype=float)
    lat = p["lat"].to_numpy(dtype=float)
    tier = np.select([np.isin(cat, ["K", "M"]), np.isin(cat, ["T", "X"]), cat == "C"], [1, 2, 3], 0)
    idx = np.flatnonzero((tier > 0) & ~np.isnan(lon))
    km = nearest_km(lon[idx], lat[idx], s_lon, s_lat)
    t = tier[idx]
    keep = np.where(t == 1, km <= CITY_KM, km <= VILLAGE_KM)
    small = np.flatnonzero(keep & (t > 1))
    if len(small) > MAX_SMALL:  # a story spread over the country: the nearest villages only
        keep[small[np.argsort(km[small], kind="stable")[MAX_SMALL:]]] = False
    idx = idx[keep]
    pop = p["population"].fillna(0).to_numpy()[idx]
    names, uk = p["name"].to_numpy()[idx], p["name_uk"].to_numpy()[idx]
    codes = p["katottg"].to_numpy()[idx]
    raion, oblast = p["raion"].to_numpy()[idx], p["oblast"].to_numpy()[idx]
    xs, ys = np.round(lon[idx], 5).tolist(), np.round(lat[idx], 5).tolist()
    out = []
    for k in range(len(idx)):
        r = raion[k]
        where = f"{r} raion, {oblast[k]}" if isinstance(r, str) else str(oblast[k])
        name = str(names[k])
        out.append(
            [xs[k], ys[k], name, uk[k] if isinstance(uk[k], str) else name, int(tier[idx[k]]),
             int(pop[k]), str(codes[k]), where]
        )  # fmt: skip
    return out


def hromada_outlines(store: Any, codes: set[Any]) -> dict[str, Any] | None:
    """The (generalised) outlines of the hromadas of the places shown, with their names."""
    codes = {c for c in codes if isinstance(c, str)}
    layer = store.hromadas
    sel = layer[layer["hromada_code"].isin(codes)]
    if sel.empty or len(sel) > 300:
        return None
    places = store.places
    units = places[places["category"] == "H"]
    names = dict(zip(units["katottg"], units["name"], strict=True))
    geoms = shapely.simplify(sel.geometry.values, 0.001, preserve_topology=True)
    feats = []
    for code, g in zip(sel["hromada_code"], geoms, strict=True):
        geo = geometry(g)
        if geo is not None:
            name = f"{names.get(code, '?')} hromada (generalised outline)"
            feats.append({"type": "Feature", "properties": {"name": name}, "geometry": geo})
    return {"type": "FeatureCollection", "features": feats} if feats else None


# -- the front line ---------------------------------------------------------------------------


def _km2(geom: Any) -> float:
    from pyproj import Geod

    if geom is None or shapely.is_empty(geom):
        return 0.0
    area, _ = Geod(ellps="WGS84").geometry_area_perimeter(geom)
    return abs(area) / 1e6


def _change(geom: Any) -> tuple[Any, float]:
    """*geom* without slivers, and its area in km²."""
    parts = [g for g in shapely.get_parts(geom) if shapely.get_type_id(g) == 3]
    areas = [_km2(g) for g in parts]
    kept = [g for g, a in zip(parts, areas, strict=True) if a >= MIN_CHANGE_KM2]
    if not kept:
        return None, 0.0
    return shapely.multipolygons(kept), sum(a for a in areas if a >= MIN_CHANGE_KM2)


def front_state(
    front: Any, store: Any, asked: str, before: str | None, *, source: str
) -> dict[str, Any]:
    """The front line of *asked* for the page: the occupied area, the line of contact, and
    the change since *before* (None: since the week before).

    *source* says where the date comes from ("the article date", ...) for the map's note.
    """
    from datetime import date as Date
    from datetime import timedelta

    snap = front.nearest(asked)
    i = snap.index
    used = snap.used.isoformat()
    qualifier = {"after": ", the newest snapshot", "before": ", the oldest snapshot"}.get(
        snap.position, ""
    )
    now = front.occupied(i)
    interior = getattr(store, "interior", None)
    line = shapely.intersection(shapely.boundary(now), interior) if interior is not None else None
    if before is None:
        before = max(front.dates[0], Date.fromisoformat(asked) - timedelta(days=7)).isoformat()
    then = front.nearest(before)
    state: dict[str, Any] = {
        "date": asked,
        "snapshot": used,
        "position": snap.position,
        "area": geometry(now),
        "area_label": f"Occupied area on {asked} (DeepStateMap {used}{qualifier})",
        "line": geometry(line),
        "gained": None,
        "lost": None,
        "since": None,
    }
    where = f"{asked}, {source}" if source else asked
    if snap.position in ("after", "before"):
        state["note"] = f"front line: {where}; DeepStateMap {used}{qualifier}"
    elif asked != used:
        state["note"] = f"front line: {where} (DeepStateMap snapshot {used})"
    else:
        state["note"] = f"front line: {where} (DeepStateMap)"
    if then.index != i:
        old = front.occupied(then.index)
        gained, g_km2 = _change(shapely.difference(now, old))
        lost, l_km2 = _change(shapely.difference(old, now))
        since = then.used.isoformat()
        state.update(
            since=since,
            gained=geometry(gained),
            lost=geometry(lost),
            gained_km2=round(g_km2, 1),
            lost_km2=round(l_km2, 1),
            gained_label=f"Newly occupied since {since}: {g_km2:,.1f} km² (DeepStateMap)",
            lost_label=f"No longer occupied since {since}: {l_km2:,.1f} km² (DeepStateMap)",
        )
    return state
