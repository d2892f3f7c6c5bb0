"""Points -> oblast / raion / hromada, and geodesic distance to the nearest other oblast.

The oblast comes from the accurate ADM1 layer (geoBoundaries, coast clipped) with
``covers`` semantics: a point on a shared border is in both, and the answer says so.
Raion and hromada come from the generalised OPORA layers and are flagged as such.
Everything is vectorised over arrays of coordinates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from pyproj import Geod, Transformer

__all__ = ["RegionIndex"]

_GEOD = Geod(ellps="WGS84")
#: How far outside every oblast polygon a point may be and still be given the nearest
#: oblast (coastline and border generalisation), in km.
OUTSIDE_TOLERANCE_KM = 1.0


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
        from .data.boundaries import METRIC_CRS

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
        to_code = borders["to_code"].to_numpy()
        for code in np.unique(from_code):
            sel = from_code == code
            self._border_trees[code] = (shapely.STRtree(pieces[sel]), pieces[sel], to_code[sel])
        self._units = {}
        for name, layer in (("raion", raions), ("hromada", hromadas)):
            if layer is None:
                continue
            geoms = np.asarray(layer.geometry.values)
            self._units[name] = (shapely.STRtree(geoms), layer[f"{name}_code"].to_numpy())

    # -- oblast --------------------------------------------------------------------------------
    def oblast_index(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Index into the oblast arrays for each point (-1 outside), and an on-border flag.

        Interior points are found with prepared ``contains_xy`` (fast); the few
        left are decided with ``covers`` (a point on a border is covered by both
        oblasts: it gets the first and ``on_border`` is True).
        """
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        out = np.full(lon.shape, -1, dtype=np.int32)
        for i, geom in enumerate(self.oblast_geoms):
            x0, y0, x1, y1 = self._bounds[i]
            cand = np.flatnonzero((out < 0) & (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))
            if cand.size:
                inside = shapely.contains_xy(geom, lon[cand], lat[cand])
                out[cand[inside]] = i
        on_border = np.zeros(lon.shape, dtype=bool)
        left = np.flatnonzero(out < 0)
        if left.size:
            pts = shapely.points(lon[left], lat[left])
            ip, io = self._oblast_tree.query(pts, predicate="intersects")
            if ip.size:
                first = pd.Series(io).groupby(ip).first()
                out[left[first.index.to_numpy()]] = first.to_numpy()
                on_border[left[first.index.to_numpy()]] = True
        return out, on_border

    def nearest_oblast(self, lon: float, lat: float) -> tuple[int, float]:
        """The nearest oblast to a point outside every polygon, and the geodesic km to it."""
        pt = shapely.Point(lon, lat)
        idx = int(self._oblast_tree.nearest(pt))
        near = shapely.shortest_line(pt, self.oblast_geoms[idx])
        (x0, y0), (x1, y1) = shapely.get_coordinates(near)
        return idx, _GEOD.inv(x0, y0, x1, y1)[2] / 1000.0

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
        for code in pd.unique(codes[pd.notna(codes)]):
            entry = self._border_trees.get(code)
            if entry is None:
                continue
            tree, pieces, to_code = entry
            sel = np.flatnonzero(codes == code)
            pts = shapely.points(x[sel], y[sel])
            ip, ipiece = tree.query_nearest(pts, all_matches=False)
            lines = shapely.shortest_line(pts[ip], pieces[ipiece])
            ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)
            elon, elat = self._to_lonlat.transform(ends[:, 1, 0], ends[:, 1, 1])
            dist = _GEOD.inv(lon[sel][ip], lat[sel][ip], elon, elat)[2] / 1000.0
            km[sel[ip]] = dist
            across[sel[ip]] = to_code[ipiece]
        return km, across

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
        out = []
        for neighbour in pd.unique(to_code):
            sel = np.flatnonzero(to_code == neighbour)
            j = sel[int(np.argmin(dist[sel]))]
            (_, _), (ex, ey) = shapely.get_coordinates(shapely.shortest_line(pt, pieces[j]))
            elon, elat = self._to_lonlat.transform(ex, ey)
            out.append((str(neighbour), _GEOD.inv(lon, lat, elon, elat)[2] / 1000.0))
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
            first = pd.Series(iu).groupby(ip).first()
            out[first.index.to_numpy()] = codes[first.to_numpy()]
        return out

    # -- everything ----------------------------------------------------------------------------
    def lookup(
        self, lon, lat, *, borders: bool = True, units: bool = False
    ) -> dict[str, np.ndarray]:
        """Oblast (and optionally border distance, raion, hromada) for arrays of points."""
        idx, on_border = self.oblast_index(lon, lat)
        codes = np.where(idx >= 0, self.oblast_codes[np.maximum(idx, 0)], None).astype(object)
        out: dict[str, np.ndarray] = {"polygon_oblast_code": codes, "on_border": on_border}
        if borders:
            km, across = self.border_distance(lon, lat, codes)
            km[on_border] = 0.0
            out["km_to_oblast_border"] = km
            out["across_border_code"] = across
        if units:
            out["raion_code"] = self.unit_codes(lon, lat, "raion")
            out["hromada_code"] = self.unit_codes(lon, lat, "hromada")
        return out
