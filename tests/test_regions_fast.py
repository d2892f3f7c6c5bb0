"""The grid fast path of ``RegionIndex.oblast_index`` answers exactly like ``covers``.

Three tiny oblasts built in code (no data files): two squares sharing an edge (the
left one with a hole) and a triangle on top of both, meeting them at a tri-point.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from tracker.data.boundaries import border_pieces
from tracker.spatial import _GRID_MIN_POINTS, RegionIndex

# Edges on binary fractions, so points "exactly on the shared edge" really are.
LEFT = shapely.Polygon(
    [(30.0, 48.0), (30.25, 48.0), (30.25, 48.25), (30.0, 48.25)],
    holes=[[(30.0625, 48.0625), (30.125, 48.0625), (30.125, 48.125), (30.0625, 48.125)]],
)
RIGHT = shapely.box(30.25, 48.0, 30.5, 48.25)
TOP = shapely.Polygon([(30.0, 48.25), (30.5, 48.25), (30.25, 48.5)])
GEOMS = np.array([LEFT, RIGHT, TOP])
BBOX = (29.9, 47.9, 30.6, 48.6)


def _index() -> RegionIndex:
    oblasts = gpd.GeoDataFrame(
        {"oblast_code": ["UA12", "UA14", "UA23"]}, geometry=list(GEOMS), crs=4326
    )
    return RegionIndex(oblasts, border_pieces(oblasts))


def _points(n: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Random points in and around the oblasts, plus points exactly on every outline."""
    rng = np.random.default_rng(seed)
    lon = [rng.uniform(BBOX[0], BBOX[2], n)]
    lat = [rng.uniform(BBOX[1], BBOX[3], n)]
    k = 20_000
    # The shared edge LEFT | RIGHT, its ends, and beyond them.
    lon.append(np.full(k, 30.25))
    lat.append(rng.uniform(47.95, 48.55, k))
    # The shared edge (LEFT, RIGHT) | TOP, the outer edges and the hole's edges.
    for y, (x0, x1) in ((48.25, (29.95, 30.55)), (48.0, (29.95, 30.55)), (48.0625, (30.0, 30.2))):
        lon.append(rng.uniform(x0, x1, k))
        lat.append(np.full(k, y))
    for x, (y0, y1) in ((30.0, (47.95, 48.3)), (30.5, (47.95, 48.3)), (30.125, (48.0, 48.2))):
        lon.append(np.full(k, x))
        lat.append(rng.uniform(y0, y1, k))
    # Every vertex (tri-point included), and points on the triangle's slanted sides.
    coords = shapely.get_coordinates(GEOMS)
    lon.append(coords[:, 0])
    lat.append(coords[:, 1])
    on_sides = shapely.line_interpolate_point(
        shapely.boundary(TOP), rng.uniform(0, 1, k), normalized=True
    )
    lon.append(shapely.get_x(on_sides))
    lat.append(shapely.get_y(on_sides))
    return np.concatenate(lon), np.concatenate(lat)


def _expected(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(interior index or -1, covered by [n, 3], on a border) straight from shapely."""
    pts = shapely.points(lon, lat)
    interior = np.column_stack([shapely.contains_xy(g, lon, lat) for g in GEOMS])
    covered = np.column_stack([shapely.covers(g, pts) for g in GEOMS])
    inside = np.where(interior.any(axis=1), interior.argmax(axis=1), -1)
    return inside, covered, covered.any(axis=1) & ~interior.any(axis=1)


def _check_against_covers(lon, lat, idx, on_border) -> None:
    inside, covered, border = _expected(lon, lat)
    assert np.array_equal(on_border, border)
    assert np.array_equal(idx[~border], inside[~border])
    # On a border: one of the oblasts that cover the point.
    b = np.flatnonzero(border)
    assert (idx[b] >= 0).all()
    assert covered[b, idx[b]].all()
    assert np.array_equal(idx < 0, ~covered.any(axis=1))


def test_fast_path_matches_covers_and_exact_method():
    index = _index()
    lon, lat = _points(1_000_000)
    assert lon.size >= _GRID_MIN_POINTS
    idx, on_border = index.oblast_index(lon, lat)
    assert getattr(index, "_grid", None) is not None and index._grid.usable
    # Identical to the point-by-point method ...
    exact_idx, exact_border = index._oblast_index_exact(lon, lat)
    assert np.array_equal(idx, exact_idx)
    assert np.array_equal(on_border, exact_border)
    # ... and to covers semantics.
    _check_against_covers(lon, lat, idx, on_border)
    # The edge cases are really there.
    assert on_border.sum() > 80_000
    assert (idx == -1).sum() > 10_000
    assert {0, 1, 2} <= set(idx[~on_border].tolist())


def test_shared_edge_and_outside_points():
    index = _index()
    index.oblast_index(*_points(_GRID_MIN_POINTS))  # build the grid
    lon = np.array([30.25, 30.25, 30.2, 30.4, 30.25, 30.09, 29.0, 30.25, 30.0, 31.0])
    lat = np.array([48.1, 48.25, 48.1, 48.1, 48.4, 48.09, 48.1, 48.6, 48.0, 48.0])
    idx, on_border = index.oblast_index(lon, lat)
    codes = [index.oblast_codes[i] if i >= 0 else None for i in idx]
    assert codes[0] in {"UA12", "UA14"}  # on the shared edge
    assert codes[1] in {"UA12", "UA14", "UA23"}  # the tri-point
    assert codes[2:] == ["UA12", "UA14", "UA23", None, None, None, "UA12", None]
    assert on_border.tolist() == [True, True, False, False, False, False, False, False, True, False]


def test_small_batches_before_and_after_the_grid():
    index = _index()
    lon, lat = _points(2000, seed=3)
    # Small first call: no grid yet, exact method.
    small = index.oblast_index(lon[:100], lat[:100])
    assert getattr(index, "_grid", None) is None
    index.oblast_index(lon, lat)  # big enough: builds it
    assert index._grid is not None
    again = index.oblast_index(lon[:100], lat[:100])
    assert np.array_equal(small[0], again[0]) and np.array_equal(small[1], again[1])
    _check_against_covers(lon[:100], lat[:100], *again)


@pytest.mark.parametrize("shape", [(), (5,), (2, 3)])
def test_shapes_and_non_finite(shape):
    index = _index()
    index.oblast_index(*_points(_GRID_MIN_POINTS))
    lon = np.full(shape, 30.1)
    lat = np.full(shape, 48.2)
    idx, on_border = index.oblast_index(lon, lat)
    assert idx.shape == on_border.shape == np.shape(lon)
    assert (idx == 0).all() and not on_border.any()
    lon = np.array([np.nan, 30.1, np.inf, -np.inf, 30.1])
    lat = np.array([48.2, np.nan, 48.2, 48.2, 48.2])
    idx, on_border = index.oblast_index(lon, lat)
    exact = index._oblast_index_exact(lon, lat)
    assert np.array_equal(idx, exact[0]) and np.array_equal(on_border, exact[1])
    assert idx.tolist() == [-1, -1, -1, -1, 0]
