"""The spatial index over the boundary layers: points -> oblast / raion / hromada polygons,
and geodesic distance to the nearest other oblast.

Geometry only (shapely 2, pyproj): the data build uses it to check every settlement, and
:mod:`tracker.regions` answers "which region is this point in?" with it. The oblast comes from
the accurate ADM1 layer (geoBoundaries, coast clipped) with ``covers`` semantics: a point on a
shared border is in both, and the answer says so. Raion and hromada come from the generalised
OPORA layers and are flagged as such. Everything is vectorised over arrays of coordinates.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from pyproj import Transformer

from .geod import geod

__all__ = ["METRIC_CRS", "OUTSIDE_TOLERANCE_KM", "RegionIndex", "geod"]

#: Lambert conformal conic fitted to Ukraine: metres, scale error < 0.2 % inside the country.
METRIC_CRS = (
    "+proj=lcc +lat_1=45.5 +lat_2=51.5 +lat_0=48.5 +lon_0=31 +ellps=WGS84 +units=m +no_defs"
)

#: How far outside every oblast polygon a point may be and still be given the nearest
#: oblast (coastline and border generalisation), in km.
OUTSIDE_TOLERANCE_KM = 1.0


#: Below this many points a first call does not build the grid (not worth it for one point).
_GRID_MIN_POINTS = 4096
#: About this many grid cells (~1.5 x 1.5 km over Ukraine; 1 MB as int16).
_GRID_TARGET_CELLS = 1 << 19
#: Cell value: an outline crosses the cell, decide its points exactly.
_MIXED = -2
#: Safety margin (degrees) around cells and outline segments, far above float rounding.
_GRID_EPS = 1e-9


class _OblastGrid:
    """Regular lon/lat grid over the oblast layer for :meth:`RegionIndex.oblast_index`.

    ``cells[iy * nx + ix]`` is the oblast index for every point of cell ``(ix, iy)``,
    -1 for no oblast, or :data:`_MIXED` where a polygon outline (exterior or hole)
    comes within :data:`_GRID_EPS` of the cell. A cell no outline touches lies wholly
    in the interior or the exterior of each polygon, so the exact answer at any point
    of it (here: the centre of the first cell of each horizontal run of such cells)
    is the answer for all of it, with ``on_border`` False. Building takes a
    fraction of a second: outlines are cut into pieces shorter than half a cell and
    each piece marks the (at most 2 x 2) cells its bounding box overlaps.
    """

    usable = False
    cells: np.ndarray
    nx: int
    ny: int
    x0: float
    y0: float
    inv_dx: float
    inv_dy: float

    @classmethod
    def build(cls, index: RegionIndex) -> _OblastGrid:
        self = cls()
        geoms = index.oblast_geoms
        bounds = index._bounds
        ok = np.isfinite(bounds).all(axis=1)
        if not ok.any():
            return self
        xmin, ymin = bounds[ok, 0].min(), bounds[ok, 1].min()
        xmax, ymax = bounds[ok, 2].max(), bounds[ok, 3].max()
        width, height = max(xmax - xmin, 1e-6), max(ymax - ymin, 1e-6)
        side = float(np.sqrt(width * height / _GRID_TARGET_CELLS))
        # One spare cell on each side: a finite point off the grid is off every polygon.
        nx = int(np.ceil(width / side)) + 2
        ny = int(np.ceil(height / side)) + 2
        dx = dy = side
        x0, y0 = xmin - dx, ymin - dy

        mixed = np.zeros(ny * nx, dtype=bool)
        rings = shapely.get_parts(shapely.boundary(geoms[ok]))
        rings = shapely.segmentize(rings, 0.45 * side)
        coords, which = shapely.get_coordinates(rings, return_index=True)
        seg = np.flatnonzero(which[:-1] == which[1:])
        a, b = coords[seg], coords[seg + 1]
        lo = np.minimum(a, b) - _GRID_EPS
        hi = np.maximum(a, b) + _GRID_EPS
        ix_lo = np.floor((lo[:, 0] - x0) / dx).astype(np.intp)
        ix_hi = np.floor((hi[:, 0] - x0) / dx).astype(np.intp)
        iy_lo = np.floor((lo[:, 1] - y0) / dy).astype(np.intp)
        iy_hi = np.floor((hi[:, 1] - y0) / dy).astype(np.intp)
        if seg.size and (
            (ix_hi - ix_lo).max() > 1
            or (iy_hi - iy_lo).max() > 1
            or min(ix_lo.min(), iy_lo.min()) < 0
            or ix_hi.max() >= nx
            or iy_hi.max() >= ny
        ):  # cannot happen with pieces < half a cell; never answer wrongly if it does
            return self
        for iy in (iy_lo, iy_hi):
            for ix in (ix_lo, ix_hi):
                mixed[iy * nx + ix] = True

        # Runs of outline-free cells along each row share one answer.
        clear = ~mixed
        starts = clear.copy()
        starts[1:] &= ~clear[:-1] | (np.arange(1, clear.size) % nx == 0)
        first = np.flatnonzero(starts)
        run = np.cumsum(starts) - 1
        cx = x0 + (first % nx + 0.5) * dx
        cy = y0 + (first // nx + 0.5) * dy
        value, touching = index._oblast_index_exact(cx, cy)
        value = np.where(touching, _MIXED, value)  # cannot happen either; stay exact
        cells = np.full(ny * nx, _MIXED, dtype=np.int16 if len(geoms) < 32000 else np.int32)
        cells[clear] = value[run[clear]]

        self.cells, self.nx, self.ny = cells, nx, ny
        self.x0, self.y0, self.inv_dx, self.inv_dy = x0, y0, 1.0 / dx, 1.0 / dy
        self.usable = True
        return self


class RegionIndex:
    """Spatial index over the boundary layers.

    Parameters
    ----------
    oblasts
        GeoDataFrame (EPSG:4326) with ``oblast_code`` (KATOTTG prefix, e.g. ``UA12``).
    borders
        Border pieces from :func:`tracker.data.boundaries.border_pieces` (metric CRS).
    raions, hromadas
        OPORA polygons with ``raion_code`` / ``hromada_code`` (may be None).
    """

    def __init__(self, oblasts, borders, raions=None, hromadas=None) -> None:
        self.oblast_codes = oblasts["oblast_code"].to_numpy()
        self.oblast_geoms = np.asarray(oblasts.geometry.values)
        for geom in self.oblast_geoms:
            shapely.prepare(geom)
        self._bounds = shapely.bounds(self.oblast_geoms)
        self._oblast_tree = shapely.STRtree(self.oblast_geoms)
        self._to_metric = Transformer.from_crs(4326, METRIC_CRS, always_xy=True)
        self._to_lonlat = Transformer.from_crs(METRIC_CRS, 4326, always_xy=True)
        self._border_trees: dict[str, tuple[shapely.STRtree, np.ndarray, np.ndarray]] = {}
        pieces = np.asarray(borders.geometry.values)
        from_code = borders["from_code"].to_numpy()
        to_code = borders["to_code"].to_numpy().astype(object)
        # pieces towards another state carry its ISO 3166-1 code ("RU"); oblasts a KATOTTG prefix
        state = np.asarray([len(str(c)) == 2 for c in to_code], dtype=bool)
        for code in np.unique(from_code[~state]):
            sel = (from_code == code) & ~state
            self._border_trees[code] = (shapely.STRtree(pieces[sel]), pieces[sel], to_code[sel])
        self._state = (shapely.STRtree(pieces[state]), pieces[state], to_code[state])
        self._units = {}
        for name, layer in (("raion", raions), ("hromada", hromadas)):
            if layer is None:
                continue
            geoms = np.asarray(layer.geometry.values)
            self._units[name] = (shapely.STRtree(geoms), layer[f"{name}_code"].to_numpy())

    # -- oblast --------------------------------------------------------------------------------
    def oblast_index(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Index into the oblast arrays for each point (-1 outside), and an on-border flag.

        A point in the interior of an oblast gets that oblast; a point on a border is
        covered by both oblasts (``covers``): it gets the first and ``on_border`` is True.

        Large batches go through a regular grid over the layer (built on first use,
        see :class:`_OblastGrid`): a cell that no polygon outline touches answers for
        every point in it, and only the points in cells crossed by an outline are
        decided exactly (:meth:`_oblast_index_exact`). Same answer either way.
        """
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        grid: _OblastGrid | None = getattr(self, "_grid", None)
        if grid is None and lon.size < _GRID_MIN_POINTS:
            return self._oblast_index_exact(lon, lat)
        if grid is None:
            grid = self._grid = _OblastGrid.build(self)
        if not grid.usable:
            return self._oblast_index_exact(lon, lat)
        flat_lon, flat_lat = lon.ravel(), lat.ravel()
        out = np.full(flat_lon.shape, -1, dtype=np.int32)
        on_border = np.zeros(flat_lon.shape, dtype=bool)
        fx = (flat_lon - grid.x0) * grid.inv_dx
        fy = (flat_lat - grid.y0) * grid.inv_dy
        in_grid = (fx >= 0.0) & (fx < grid.nx) & (fy >= 0.0) & (fy < grid.ny)  # False for NaN
        hit = np.flatnonzero(in_grid)
        cell = grid.cells[fy[hit].astype(np.intp) * grid.nx + fx[hit].astype(np.intp)]
        out[hit] = cell
        # Mixed cells, and non-finite input (whatever the exact method makes of it); finite
        # points off the grid are more than a cell away from every polygon: -1.
        exact = np.concatenate(
            [hit[cell == _MIXED], np.flatnonzero(~in_grid & ~np.isfinite(fx + fy))]
        )
        if exact.size:
            out[exact], on_border[exact] = self._oblast_index_exact(
                flat_lon[exact], flat_lat[exact]
            )
        return out.reshape(lon.shape), on_border.reshape(lon.shape)

    def _oblast_index_exact(
        self, lon: np.ndarray, lat: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`oblast_index` point by point, without the grid.

        Interior points are found with prepared ``contains_xy`` (first oblast in
        order); the points left with prepared ``intersects_xy`` (on an outline: ``on_border``).
        """
        out = np.full(lon.shape, -1, dtype=np.int32)
        for i, geom in enumerate(self.oblast_geoms):
            x0, y0, x1, y1 = self._bounds[i]
            cand = np.flatnonzero((out < 0) & (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))
            if cand.size:
                inside = shapely.contains_xy(geom, lon[cand], lat[cand])
                out[cand[inside]] = i
        on_border = np.zeros(lon.shape, dtype=bool)
        left = np.flatnonzero(out < 0)
        for i, geom in enumerate(self.oblast_geoms):  # on an outline: covered, not contained
            if not left.size:
                break
            x0, y0, x1, y1 = self._bounds[i]
            lx, ly = lon[left], lat[left]
            cand = np.flatnonzero((lx >= x0) & (lx <= x1) & (ly >= y0) & (ly <= y1))
            if cand.size:
                hit = cand[shapely.intersects_xy(geom, lx[cand], ly[cand])]
                out[left[hit]] = i
                on_border[left[hit]] = True
                left = np.delete(left, hit)
        return out, on_border

    def nearest_oblast(self, lon: float, lat: float) -> tuple[int, float]:
        """The nearest oblast to a point outside every polygon, and the geodesic km to it."""
        pt = shapely.Point(lon, lat)
        idx = int(self._oblast_tree.nearest(pt))
        near = shapely.shortest_line(pt, self.oblast_geoms[idx])
        (x0, y0), (x1, y1) = shapely.get_coordinates(near)
        return idx, geod().inv(x0, y0, x1, y1)[2] / 1000.0

    # -- borders -------------------------------------------------------------------------------
    def border_distance(
        self, lon: np.ndarray, lat: np.ndarray, codes: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Geodesic km from each point to the nearest border of its oblast with another oblast.

        Returns ``(km, across_code)``; NaN / None where the oblast is unknown or has
        no neighbour. The nearest piece is found in a metric projection, the
        distance to the nearest point on it is geodesic (WGS84).
        """
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        km = np.full(lon.shape, np.nan)
        across = np.full(lon.shape, None, dtype=object)
        x, y = self._to_metric.transform(lon, lat)
        import pandas as pd  # not at import: a parse needs only geod()

        for code in pd.unique(codes[pd.notna(codes)]):
            entry = self._border_trees.get(code)
            if entry is None:
                continue
            tree, pieces, to_code = entry
            sel = np.flatnonzero(codes == code)
            ip, ipiece, dist = self._nearest_km(tree, pieces, lon[sel], lat[sel], x[sel], y[sel])
            km[sel[ip]] = dist
            across[sel[ip]] = to_code[ipiece]
        return km, across

    def _nearest_km(
        self,
        tree: shapely.STRtree,
        pieces: np.ndarray,
        lon: np.ndarray,
        lat: np.ndarray,
        x: np.ndarray,
        y: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(point index, piece index, km)``: the nearest border piece to each point, found
        in the metric projection (*x*, *y*), and the geodesic km to the nearest point on it."""
        pts = shapely.points(x, y)
        ip, ipiece = tree.query_nearest(pts, all_matches=False)
        ends = shapely.get_coordinates(shapely.shortest_line(pts[ip], pieces[ipiece]))
        ends = ends.reshape(-1, 2, 2)
        elon, elat = self._to_lonlat.transform(ends[:, 1, 0], ends[:, 1, 1])
        return ip, ipiece, geod().inv(lon[ip], lat[ip], elon, elat)[2] / 1000.0

    def state_border_distance(self, lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
        """Geodesic km from each point to Ukraine's nearest land border with another state, and
        that state's ISO 3166-1 code (NaN / None when the build has no state border)."""
        lon = np.atleast_1d(np.asarray(lon, dtype=float))
        lat = np.atleast_1d(np.asarray(lat, dtype=float))
        km = np.full(lon.shape, np.nan)
        country = np.full(lon.shape, None, dtype=object)
        tree, pieces, codes = self._state
        ok = np.isfinite(lon) & np.isfinite(lat)
        if len(pieces) == 0 or not ok.any():
            return km, country
        x, y = self._to_metric.transform(lon[ok], lat[ok])
        ip, ipiece, dist = self._nearest_km(tree, pieces, lon[ok], lat[ok], x, y)
        sel = np.flatnonzero(ok)[ip]
        km[sel] = dist
        country[sel] = codes[ipiece]
        return km, country

    def neighbours(self) -> dict[str, list[str]]:
        """Each oblast's KATOTTG prefix -> the prefixes of the oblasts it borders, sorted."""
        return {code: sorted(set(entry[2])) for code, entry in self._border_trees.items()}

    def km_to_border_with(self, lon: Any, lat: Any, codes: Any, other: str) -> np.ndarray:
        """Geodesic km from each point, in oblast *codes*, to its oblast's border with oblast
        *other* (NaN where the two oblasts do not touch or the point is unknown)."""
        lon = np.atleast_1d(np.asarray(lon, dtype=float))
        lat = np.atleast_1d(np.asarray(lat, dtype=float))
        codes = np.atleast_1d(np.asarray(codes, dtype=object))
        km = np.full(lon.shape, np.nan)
        import pandas as pd  # not at import: a parse needs only geod()

        for code in set(codes[pd.notna(codes)]):
            entry = self._border_trees.get(code)
            if entry is None:
                continue
            _, pieces, to_code = entry
            mine = pieces[to_code == other]
            sel = np.flatnonzero((codes == code) & np.isfinite(lon) & np.isfinite(lat))
            if mine.size == 0 or sel.size == 0:
                continue
            x, y = self._to_metric.transform(lon[sel], lat[sel])
            ip, _, dist = self._nearest_km(shapely.STRtree(mine), mine, lon[sel], lat[sel], x, y)
            km[sel[ip]] = dist
        return km

    def all_borders(
        self, lon: float, lat: float, code: str, within_km: float = 25.0
    ) -> list[tuple[str, float]]:
        """Geodesic km from one point to each neighbour of oblast *code*, nearest first.

        The nearest neighbour is always listed; others only within *within_km*.
        """
        entry = self._border_trees.get(code)
        if entry is None:
            return []
        _, pieces, to_code = entry
        x, y = self._to_metric.transform(lon, lat)
        pt = shapely.Point(x, y)
        dist = shapely.distance(pt, pieces)
        import pandas as pd  # not at import: a parse needs only geod()

        out = []
        for neighbour in pd.unique(to_code):
            sel = np.flatnonzero(to_code == neighbour)
            j = sel[int(np.argmin(dist[sel]))]
            (_, _), (ex, ey) = shapely.get_coordinates(shapely.shortest_line(pt, pieces[j]))
            elon, elat = self._to_lonlat.transform(ex, ey)
            out.append((str(neighbour), geod().inv(lon, lat, elon, elat)[2] / 1000.0))
        out.sort(key=lambda t: t[1])
        return [t for i, t in enumerate(out) if i == 0 or t[1] <= within_km]

    # -- raion / hromada -----------------------------------------------------------------------
    def unit_codes(self, lon: np.ndarray, lat: np.ndarray, level: str) -> np.ndarray:
        """KATOTTG code of the raion or hromada polygon (generalised) covering each point."""
        out = np.full(np.shape(lon), None, dtype=object)
        if level not in self._units:
            return out
        tree, codes = self._units[level]
        pts = shapely.points(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        ip, iu = tree.query(pts, predicate="intersects")
        if ip.size:
            import pandas as pd  # not at import: a parse needs only geod()

            first = pd.Series(iu).groupby(ip).first()
            out[first.index.to_numpy()] = codes[first.to_numpy()]
        return out

    # -- everything ----------------------------------------------------------------------------
    def lookup(
        self, lon, lat, *, borders: bool = True, units: bool = False
    ) -> dict[str, np.ndarray]:
        """Oblast (and optionally border distance, raion, hromada) for arrays of points."""
        idx, on_border = self.oblast_index(lon, lat)
        codes = self.oblast_codes[np.maximum(idx, 0)].astype(object)
        codes[idx < 0] = None
        out: dict[str, np.ndarray] = {
            "polygon_oblast_index": idx,  # into oblast_codes; -1 outside Ukraine
            "polygon_oblast_code": codes,
            "on_border": on_border,
        }
        if borders:
            km, across = self.border_distance(lon, lat, codes)
            km[on_border] = 0.0
            out["km_to_oblast_border"] = km
            out["across_border_code"] = across
            out["km_to_state_border"], out["state_border_code"] = self.state_border_distance(
                lon, lat
            )
        if units:
            out["raion_code"] = self.unit_codes(lon, lat, "raion")
            out["hromada_code"] = self.unit_codes(lon, lat, "hromada")
        return out
