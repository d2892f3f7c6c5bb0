"""The WGS84 ellipsoid of every geodesic distance, azimuth and area (pyproj's ``Geod``).

A module of its own so that a parse, which needs distances but no geometry, loads PROJ
without shapely (:mod:`tracker.spatial` holds the geometry).

Examples
--------
>>> az, _, metres = geod().inv(37.18, 48.28, 37.55, 48.29)
>>> round(metres / 1000.0, 1)
27.5
"""

from __future__ import annotations

from functools import cache

from pyproj import Geod

__all__ = ["geod"]


@cache
def geod() -> Geod:
    """The WGS84 ellipsoid for geodesic distances, azimuths and areas."""
    return Geod(ellps="WGS84")
