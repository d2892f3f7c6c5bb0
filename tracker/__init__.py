"""Front-line tracker: turn war reporting into verified geography.

The flat public API (functions are imported on first use, so ``import tracker`` stays cheap)::

    >>> import tracker
    >>> tracker.where("Novoheorhiivka", oblast="Dnipropetrovsk")[0].katottg  # doctest: +SKIP
    'UA12140050080041206'
    >>> tracker.region_at(36.56987, 47.86949).oblast                          # doctest: +SKIP
    'Dnipropetrovsk'
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import (
    DataDamaged,
    DataNotBuilt,
    InputError,
    InvalidCoordinates,
    InvalidQuery,
    OutputFailed,
    OutsideUkraine,
    PlaceNotFound,
    SourceError,
    TrackerError,
    UnknownRegion,
)
from .models import Candidate, LonLat, Place, RegionMatch, parse_lonlat
from .version import __version__

if TYPE_CHECKING:
    from .api import area_stats, build_data, control_history, data_status, frontline_status
    from .evaluate import evaluate_which_region
    from .gazetteer import places_frame
    from .geocoders import OfflineGeocoder
    from .maps import build_map
    from .parsing import parse
    from .regions import find_oblast, region_at, regions_for_points
    from .store import events
    from .whereis import where

#: Public name -> the module that defines it (imported on first use).
_LAZY = {
    "OfflineGeocoder": "geocoders",  # geopy is imported only when the geocoder is used
    "area_stats": "api",
    "build_data": "api",
    "build_map": "maps",
    "control_history": "api",
    "data_status": "api",
    "evaluate_which_region": "evaluate",
    "events": "store",
    "find_oblast": "regions",
    "frontline_status": "api",
    "parse": "parsing",
    "places_frame": "gazetteer",
    "region_at": "regions",
    "regions_for_points": "regions",
    "where": "whereis",
}

__all__ = [
    "Candidate",
    "DataDamaged",
    "DataNotBuilt",
    "InputError",
    "InvalidCoordinates",
    "InvalidQuery",
    "LonLat",
    "OfflineGeocoder",
    "OutputFailed",
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
    "events",
    "find_oblast",
    "frontline_status",
    "parse",
    "parse_lonlat",
    "places_frame",
    "region_at",
    "regions_for_points",
    "where",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tracker' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
