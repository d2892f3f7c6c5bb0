"""Interactive maps: building is pure, saving is separate and atomic.

``build_map(docs)`` (:mod:`tracker.maps.build`) turns parsed articles into a folium map whose
places, popups, basemap and front line are one JSON document drawn in the browser by the
map's own script (:mod:`tracker.maps.places` for the places and their words,
:mod:`tracker.maps.layers` for the geometry). ``save_map(m, path, offline=True)``
(:mod:`tracker.maps.save`) writes one self-contained file, every script and stylesheet
inlined from the Leaflet copies shipped in the package (:mod:`tracker.maps.assets`).
"""

from __future__ import annotations

from .assets import inline_assets, js_dir
from .build import CLUSTER_FROM, build_map, candidates_map
from .places import EVENTS
from .save import render_map, save_map

__all__ = [
    "CLUSTER_FROM",
    "EVENTS",
    "build_map",
    "candidates_map",
    "inline_assets",
    "js_dir",
    "render_map",
    "save_map",
]
