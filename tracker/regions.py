"""Which region? Points -> oblast / raion / hromada and border distances; names -> oblasts.

* :func:`region_at` answers for one point, with every nearby oblast border and the nearest
  settlement;
* :func:`regions_for_points` answers for many points at once (vectorised);
* :func:`find_oblast` reads any spelling of a first-level unit ("Zaporizhia Oblast", "UA-12").

The geometry is :class:`tracker.spatial.RegionIndex` over the built boundary layers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import InvalidCoordinates, OutsideUkraine, UnknownRegion
from .knowledge import level_words
from .models import LonLat, RegionMatch
from .names import fold
from .units import OBLASTS, Oblast, oblast_by

if TYPE_CHECKING:
    import pandas as pd

    from .gazetteer import Gazetteer
    from .spatial import RegionIndex

__all__ = ["find_oblast", "region_at", "regions_for_points"]


def _strip_level(text: str) -> str:
    words = sorted((w.text for w in level_words("query") if w.level == "O"), key=len, reverse=True)
    low = text.lower()
    for word in words:
        if low.endswith(" " + word):
            return text[: -len(word) - 1].rstrip()
    return text


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
    >>> find_oblast("UA-12").name
    'Dnipropetrovsk'
    """
    text = (name or "").strip()
    direct = oblast_by(text) if text else None
    if direct:
        return direct
    key = fold(_strip_level(text))
    if key:
        for unit in OBLASTS:
            forms = (unit.name, unit.name_uk, *unit.aliases, *unit.occupation_names)
            if key in {fold(f) for f in forms} or key == fold(unit.name_uk.split()[0]):
                return unit
    from rapidfuzz import process

    names = [u.name for u in OBLASTS]
    close = [m[0] for m in process.extract(text, names, limit=3, score_cutoff=50)] if text else []
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UnknownRegion(
        f"`oblast` was {name!r}, which is not an oblast of Ukraine{hint} "
        f"(expected one of: {', '.join(names)})"
    )


def _index() -> RegionIndex:
    from .data.store import load

    return load().regions  # type: ignore[no-any-return]


def region_at(
    lon: float, lat: float, *, gazetteer: Gazetteer | None = None, index: RegionIndex | None = None
) -> RegionMatch:
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
    import shapely

    from .gazetteer import load as load_gazetteer
    from .ranking import geodesic
    from .spatial import OUTSIDE_TOLERANCE_KM

    point = LonLat(float(lon), float(lat))
    gaz = gazetteer or load_gazetteer()
    index = index or _index()
    res = index.lookup(np.array([point.lon]), np.array([point.lat]), borders=True, units=True)
    code = res["polygon_oblast_code"][0]
    note = None
    if code is None:
        idx, km = index.nearest_oblast(point.lon, point.lat)
        nearest = oblast_by(index.oblast_codes[idx])
        assert nearest is not None
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
    assert unit is not None
    borders = index.all_borders(point.lon, point.lat, code, within_km=25.0)
    by_code = gaz.katottg_index

    def unit_name(c: Any) -> str | None:
        return str(gaz.col["name"][by_code[c]]) if isinstance(c, str) and c in by_code else None

    ids, slon, slat = gaz.located
    here = shapely.Point(point.lon, point.lat)
    near_ids = gaz.settlement_tree.query(here.buffer(0.25))
    if near_ids.size == 0:
        near_ids = np.atleast_1d(gaz.settlement_tree.nearest(here))
    near_km, _ = geodesic(
        np.full(near_ids.size, point.lon), np.full(near_ids.size, point.lat),
        slon[near_ids], slat[near_ids],
    )  # fmt: skip
    j = int(np.argmin(near_km))
    across = res["across_border_code"][0]
    dist = res["km_to_oblast_border"][0]
    across_unit = oblast_by(across) if across else None
    return RegionMatch(
        lon=point.lon,
        lat=point.lat,
        oblast=unit.name,
        oblast_iso=unit.iso,
        oblast_code=gaz.oblast_katottg.get(unit.katottg_prefix, unit.katottg_prefix),
        on_border=bool(res["on_border"][0]),
        km_to_oblast_border=None if dist is None or np.isnan(dist) else round(float(dist), 3),
        across_border=across_unit.name if across_unit else None,
        borders=tuple((_name(c), round(k, 3)) for c, k in borders),
        state_border=_state(res["state_border_code"][0], res["km_to_state_border"][0]),
        raion=unit_name(res["raion_code"][0]),
        raion_code=res["raion_code"][0],
        hromada=unit_name(res["hromada_code"][0]),
        hromada_code=res["hromada_code"][0],
        units_generalised=True,
        nearest_settlement=gaz.place(int(ids[near_ids[j]])),
        km_to_nearest_settlement=round(float(near_km[j]), 3),
        note=note,
    )


def _state(code: Any, km: Any) -> tuple[str, float] | None:
    from .gazetteer import state_names

    if not isinstance(code, str) or km is None or np.isnan(km):
        return None
    return state_names().get(code, code), round(float(km), 3)


def _name(code: str) -> str:
    unit = oblast_by(code)
    return unit.name if unit else code


def _labels(codes: np.ndarray, labels: list[str]) -> pd.api.extensions.ExtensionArray:
    """``labels[codes]`` as a string column, missing where a code is -1: one vectorised take
    from the few labels, not a Python string per point."""
    import pandas as pd  # not at import: `where NAME` and a parse never need it

    return pd.array(labels, dtype="str").take(np.asarray(codes, dtype=np.intp), allow_fill=True)


def _point_coordinates(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """lon, lat of point geometries, vectorised (NaN for missing or empty points)."""
    import shapely

    kinds = shapely.get_type_id(geoms)
    other = (kinds != 0) & (kinds != -1)  # 0 point, -1 missing
    if other.any():
        first = shapely.get_type_id(geoms[other][0])
        raise InvalidCoordinates(
            f"`points` holds {int(other.sum()):,} geometries that are not points (the first of "
            f"type {_GEOMETRY_TYPES.get(int(first), first)}); pass points, e.g. "
            "gdf.representative_point()"
        )
    try:  # most inputs have no empty point: no pass over them to look for one
        return shapely.get_x(geoms), shapely.get_y(geoms)
    except shapely.errors.GEOSException:  # an empty point has no x: NaN, as a missing one
        geoms = geoms.copy()
        geoms[shapely.is_empty(geoms)] = None
        return shapely.get_x(geoms), shapely.get_y(geoms)


_GEOMETRY_TYPES = {1: "LineString", 2: "LinearRing", 3: "Polygon", 4: "MultiPoint",
                   5: "MultiLineString", 6: "MultiPolygon", 7: "GeometryCollection"}  # fmt: skip


def regions_for_points(
    points: Any, *, borders: bool = True, units: bool = True, index: RegionIndex | None = None
) -> pd.DataFrame:
    """Vectorised region lookup for many points.

    Parameters
    ----------
    points
        A GeoDataFrame/GeoSeries of points (any CRS; reprojected to EPSG:4326), or an
        ``(n, 2)`` array of ``lon, lat``.
    borders
        Also compute km to the nearest other-oblast border and which oblast that is.
    units
        Also look up raion and hromada (generalised OPORA polygons).

    Returns
    -------
    pandas.DataFrame
        One row per point: ``oblast, oblast_iso, oblast_code, on_border`` and, as asked,
        ``km_to_oblast_border, across_border, km_to_state_border, state_border_with,
        raion_code, hromada_code``; oblast is None outside Ukraine.

    Examples
    --------
    >>> regions_for_points([[36.56987, 47.86949]])["oblast"].tolist()  # doctest: +SKIP
    ['Dnipropetrovsk']
    """
    import pandas as pd

    if hasattr(points, "geometry") or hasattr(points, "crs"):
        series = points.geometry if hasattr(points, "geometry") else points
        if series.crs is not None and series.crs.to_epsg() != 4326:
            series = series.to_crs(4326)
        lon, lat = _point_coordinates(np.asarray(series.values))
        frame_index = points.index
    else:
        arr = np.asarray(points, dtype=float)
        if arr.ndim != 2 or arr.shape[1] != 2:
            raise InvalidCoordinates(
                f"`points` has shape {arr.shape}; expected (n, 2) lon, lat pairs or a GeoSeries"
            )
        lon, lat = arr[:, 0], arr[:, 1]
        frame_index = None
    index = index or _index()
    res = index.lookup(lon, lat, borders=borders, units=units)
    idx = res.pop("polygon_oblast_index")
    res.pop("polygon_oblast_code")
    prefixes = [u.katottg_prefix for u in OBLASTS]
    names = [u.name for u in OBLASTS]
    position = {p: k for k, p in enumerate(prefixes)}
    # polygon index -> position in OBLASTS, once per polygon, then one take per column
    unit_of_polygon = np.asarray([position.get(c, -1) for c in index.oblast_codes] + [-1])
    c = unit_of_polygon[idx]  # idx -1 picks the trailing -1
    columns: dict[str, Any] = {
        "oblast": _labels(c, names),
        "oblast_iso": _labels(c, [u.iso for u in OBLASTS]),
        "oblast_code": _labels(idx, [str(code) for code in index.oblast_codes]),
    }
    for key, values in res.items():
        if key == "across_border_code":
            columns["across_border"] = _labels(
                pd.Categorical(values, categories=prefixes).codes, names
            )
        elif key == "state_border_code":
            from .gazetteer import state_names

            states = state_names()
            sc = pd.Categorical(values, categories=list(states)).codes
            columns["state_border_with"] = _labels(sc, list(states.values()))
        else:
            columns[key] = values
    rows = frame_index if frame_index is not None else pd.RangeIndex(len(lon))
    return pd.DataFrame(columns, index=rows)
