"""DeepState daily snapshots of Russian-occupied territory (attribute "DeepStateMap").

Each file is one MultiPolygon (CRS84) for one day. This module lists and reads
them; the line of contact is the part of the occupied area's outline that lies
inside Ukraine, away from the state border and the coast.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import SourceError
from .sources import DEEPSTATE_DIR

if TYPE_CHECKING:
    import shapely

__all__ = [
    "INTERIOR_MARGIN_M",
    "contact_line",
    "control_table",
    "list_snapshots",
    "read_snapshot",
]

#: Ukraine shrunk by this much is the "interior": the outline of the occupied area there is
#: the line of contact (elsewhere it follows the state border or the coast).
INTERIOR_MARGIN_M = 3000.0

_NAME = re.compile(r"deepstatemap_data_(\d{4})(\d{2})(\d{2})\.geojson$")


def list_snapshots(sources: Path) -> dict[date, Path]:
    """All daily snapshot files in the sources directory, by date (sorted)."""
    folder = sources / DEEPSTATE_DIR
    found = {}
    if folder.is_dir():
        for path in folder.iterdir():
            match = _NAME.search(path.name)
            if match:
                found[date(int(match[1]), int(match[2]), int(match[3]))] = path
    return dict(sorted(found.items()))


def read_snapshot(path: Path) -> shapely.Geometry:
    """The occupied area of one snapshot as a valid (Multi)Polygon (shapely's GEOS reader)."""
    import shapely  # not at import: a parse needs no geometry

    try:
        collection = shapely.from_geojson(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, shapely.errors.GEOSException) as err:
        raise SourceError(
            f"cannot read DeepState snapshot {str(path)!r}: {err}; re-fetch it"
        ) from err
    parts = [g for g in shapely.get_parts(collection) if shapely.get_type_id(g) in (3, 6)]
    if not parts:
        return shapely.MultiPolygon()
    merged = shapely.union_all(parts) if len(parts) > 1 else parts[0]
    return merged if shapely.is_valid(merged) else shapely.make_valid(merged)


def contact_line(occupied: shapely.Geometry, interior: shapely.Geometry) -> shapely.Geometry:
    """The outline of *occupied* inside *interior* (Ukraine shrunk away from border and coast)."""
    import shapely  # not at import: a parse needs no geometry

    return shapely.intersection(shapely.boundary(occupied), interior)


def sample_dates(dates: list[date], every_days: int = 30) -> list[date]:
    """Every *every_days*-th snapshot plus the newest."""
    if not dates:
        return []
    picked = [dates[0]]
    for d in dates[1:]:
        if (d - picked[-1]).days >= every_days:
            picked.append(d)
    if picked[-1] != dates[-1]:
        picked.append(dates[-1])
    return picked


def distance_to_lines_km(
    lon: np.ndarray, lat: np.ndarray, lines: list[shapely.Geometry], to_metric
) -> np.ndarray:
    """Smallest planar (metric CRS) distance in km from each point to any of *lines*."""
    import shapely  # not at import: a parse needs no geometry

    x, y = to_metric.transform(lon, lat)
    pts = shapely.points(x, y)
    best = np.full(len(pts), np.inf)
    for line in lines:
        parts = shapely.get_parts(line)
        if parts.size == 0:
            continue
        pieces = []
        for part in parts:
            coords = shapely.get_coordinates(part)
            for start in range(0, len(coords) - 1, 31):
                chunk = coords[start : start + 32]
                if len(chunk) >= 2:
                    pieces.append(shapely.linestrings(chunk))
        pieces = shapely.transform(
            np.asarray(pieces), lambda xy: np.column_stack(to_metric.transform(xy[:, 0], xy[:, 1]))
        )
        tree = shapely.STRtree(pieces)
        _, dist = tree.query_nearest(pts, return_distance=True, all_matches=False)
        best = np.minimum(best, dist / 1000.0)
    return best


def control_table(
    dates: list[str],
    geoms: list[shapely.Geometry],
    codes: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
) -> Any:
    """Status changes of points over the snapshots: ``katottg, date, occupied``.

    Vectorised: one prepared ``contains_xy`` per snapshot over the points inside the
    bounding box of all snapshots. The first row of a point is its status on the first
    snapshot; later rows only where it changed.
    """
    import pandas as pd
    import shapely  # not at import: a parse needs no geometry

    union_bounds = shapely.bounds(shapely.union_all([shapely.envelope(g) for g in geoms]))
    x0, y0, x1, y1 = union_bounds
    sel = np.flatnonzero((lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))
    state = np.zeros((len(dates), sel.size), dtype=bool)
    for d, geom in enumerate(geoms):
        shapely.prepare(geom)
        state[d] = shapely.contains_xy(geom, lon[sel], lat[sel])
    ever = state.any(axis=0)
    rows_code, rows_date, rows_occ = [], [], []
    for j in np.flatnonzero(ever):
        col = state[:, j]
        flips = np.flatnonzero(np.diff(col.astype(np.int8))) + 1
        for d in (0, *flips):
            rows_code.append(codes[sel[j]])
            rows_date.append(dates[d])
            rows_occ.append(bool(col[d]))
    return pd.DataFrame({"katottg": rows_code, "date": rows_date, "occupied": rows_occ})
