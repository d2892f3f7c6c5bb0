"""Front-line tracker: turn war reporting into verified geography.

The flat public API::

    >>> import tracker
    >>> tracker.where("Novoheorhiivka", oblast="Dnipropetrovsk")[0].katottg  # doctest: +SKIP
    'UA12140050080041206'
    >>> tracker.region_at(36.56987, 47.86949).oblast                          # doctest: +SKIP
    'Dnipropetrovsk'
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import (
    DataNotBuilt,
    InvalidCoordinates,
    InvalidQuery,
    OutsideUkraine,
    PlaceNotFound,
    SourceError,
    TrackerError,
    UnknownRegion,
)
from .models import Candidate, LonLat, Place, RegionMatch, parse_lonlat

__all__ = [
    "Candidate",
    "DataNotBuilt",
    "InvalidCoordinates",
    "InvalidQuery",
    "LonLat",
    "OfflineGeocoder",
    "OutsideUkraine",
    "Place",
    "PlaceNotFound",
    "RegionMatch",
    "SourceError",
    "TrackerError",
    "UnknownRegion",
    "__version__",
    "area_stats",
    "build_data",
    "build_map",
    "control_history",
    "data_status",
    "evaluate_which_region",
    "find_oblast",
    "frontline_status",
    "parse",
    "parse_lonlat",
    "places_frame",
    "region_at",
    "regions_for_points",
    "where",
]


def __getattr__(name):
    if name == "OfflineGeocoder":  # geopy is imported only when the geocoder is used
        from .geocoders import OfflineGeocoder

        return OfflineGeocoder
    raise AttributeError(f"module 'tracker' has no attribute {name!r}")


def where(name, *, oblast=None, near=None, context=None, limit=None):
    """Every place that *name* may mean, best first (see :func:`tracker.search.where`)."""
    from .search import where as _where

    return _where(name, oblast=oblast, near=near, context=context, limit=limit)


def parse(text, *, date=None, id="text", title=None, url=None):
    """Find and resolve every place named in *text* (see :func:`tracker.parsing.parse`)."""
    from .parsing import parse as _parse

    return _parse(text, date=date, id=id, title=title, url=url)


def region_at(lon, lat):
    """Which oblast / raion / hromada a point is in (see :func:`tracker.search.region_at`)."""
    from .search import region_at as _region_at

    return _region_at(lon, lat)


def find_oblast(name):
    """The first-level unit for any spelling of its name (:func:`tracker.search.find_oblast`)."""
    from .search import find_oblast as _find_oblast

    return _find_oblast(name)


def _one_place(place, *, oblast=None, near=None, context=None):
    """The best candidate for a PLACE argument (name or KATOTTG code) that has coordinates."""
    from .errors import PlaceNotFound
    from .search import where as _where

    found = _where(place, oblast=oblast, near=near, context=context)
    best = found[0]
    if best.lon is None:
        raise PlaceNotFound(place, [c.name for c in found[1:6] if c.lon is not None])
    return best


def frontline_status(place, date=None, *, oblast=None, near=None, context=None):
    """Front-line status of a settlement (or ``(lon, lat)``) on a date (default: newest snapshot).

    Returns
    -------
    tuple
        ``(Candidate or None, FrontlineStatus)``.
    """
    from .data.store import load

    front = load().frontline
    when = date or front.dates[-1].isoformat()
    if isinstance(place, tuple):
        point = LonLat(float(place[0]), float(place[1]))
        return None, front.status([point.lon], [point.lat], when)[0]
    best = _one_place(place, oblast=oblast, near=near, context=context)
    return best, front.status([best.lon], [best.lat], when)[0]


def control_history(place, *, oblast=None, near=None, context=None):
    """Dates on which a settlement entered or left the occupied area: ``(Candidate, [changes])``."""
    from .data.store import load

    best = _one_place(place, oblast=oblast, near=near, context=context)
    return best, load().frontline.history(best.katottg)


def area_stats(first, last, *, oblast=None, progress=None):
    """Occupied km² (geodesic) on each date from *first* to *last*, optionally in one oblast."""
    from .data.store import load
    from .frontline import area_stats as _area_stats

    store = load()
    within = None
    name = None
    if oblast:
        unit = find_oblast(oblast)
        ob = store.oblasts.set_index("oblast_code")
        within = ob.geometry[unit.katottg_prefix]
        name = unit.name
    return _area_stats(store.frontline, first, last, within=within, oblast=name, progress=progress)


def build_map(docs, *, date=None, frontline=True, title=None, offline=False):
    """An interactive folium map of parsed articles (see :func:`tracker.maps.build_map`)."""
    from .maps import build_map as _build_map

    return _build_map(docs, date=date, frontline=frontline, title=title, offline=offline)


def build_data(sources=None, data_dir=None, *, progress=None):
    """Build the data from a sources directory into the data directory; return the manifest.

    Parameters
    ----------
    sources
        The sources directory (default: ``$TRACKER_SOURCES``).
    data_dir
        Where to write (default: ``$TRACKER_DATA_DIR`` or the user cache directory).
    progress
        Optional callable receiving a message per step.
    """
    from . import config
    from .data.build import build
    from .data.store import reset
    from .errors import SourceError

    src = config.sources_dir(sources)
    if src is None:
        raise SourceError(
            "no sources directory given; pass --sources DIR (e.g. ../shared/geodata) "
            "or set TRACKER_SOURCES"
        )
    manifest = build(src, data_dir or config.data_dir(), progress=progress)
    reset()
    return manifest


def data_status(data_dir=None):
    """The manifest of the built data (inputs, checksums, build time, coverage figures)."""
    from .data.store import load

    return load(data_dir).manifest


def evaluate_which_region(path):
    """Accuracy of :func:`where` on a which-region gold file (see :mod:`tracker.evaluate`)."""
    from .evaluate import evaluate_which_region as _evaluate

    return _evaluate(path)


def places_frame(kind=None):
    """The gazetteer as a GeoDataFrame of points (EPSG:4326), optionally one ``kind`` only.

    Parameters
    ----------
    kind
        ``"village"``, ``"city"``, ``"selyshche"``, ``"hromada"``, ``"raion"``, ``"oblast"``,
        or None for all.
    """
    import geopandas as gpd

    from .data.store import load

    frame = load().places
    if kind is not None:
        frame = frame[frame["kind"] == kind]
    return gpd.GeoDataFrame(
        frame.copy(), geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326
    )


def regions_for_points(points, *, borders=True, units=True):
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
        ``km_to_oblast_border, across_border, raion_code, hromada_code``; oblast is None
        outside Ukraine.
    """
    import numpy as np
    import pandas as pd

    from .data.store import load
    from .units import oblast_by

    if hasattr(points, "geometry") or hasattr(points, "crs"):
        series = points.geometry if hasattr(points, "geometry") else points
        if series.crs is not None and series.crs.to_epsg() != 4326:
            series = series.to_crs(4326)
        lon, lat = series.x.to_numpy(), series.y.to_numpy()
        index = points.index
    else:
        arr = np.asarray(points, dtype=float)
        if arr.ndim != 2 or arr.shape[1] != 2:
            raise InvalidCoordinates(
                f"`points` has shape {arr.shape}; expected (n, 2) lon, lat pairs or a GeoSeries"
            )
        lon, lat = arr[:, 0], arr[:, 1]
        index = None
    res = load().regions.lookup(lon, lat, borders=borders, units=units)
    codes = res.pop("polygon_oblast_code")
    units_by = {c: oblast_by(c) for c in set(codes) - {None}}
    out = pd.DataFrame(index=index)
    out["oblast"] = [units_by[c].name if c else None for c in codes]
    out["oblast_iso"] = [units_by[c].iso if c else None for c in codes]
    out["oblast_code"] = codes
    for key, values in res.items():
        if key == "across_border_code":
            out["across_border"] = [oblast_by(c).name if c else None for c in values]
        else:
            out[key] = values
    return out
