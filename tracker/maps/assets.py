"""The scripts and stylesheets of a map, and inlining them for ``--offline``.

The Leaflet files that offline maps inline ship inside the package (``tracker/maps/assets/``,
copied from the locked npm packages of ``js/`` by ``js/vendor.py``, each with its licence; see
NOTICE), so that ``pip install`` is enough: no repository, no Node and no network.
``$TRACKER_JS_DIR`` points at another tree of the same layout (``js/node_modules``).

The map's own behaviour (``static/map.js``) and styles (``static/map.css``) are inlined in
every map, online or not.
"""

from __future__ import annotations

import base64
import os
import re
from functools import cache
from importlib import resources
from pathlib import Path

from ..errors import InputError, TrackerError

__all__ = ["CDN", "asset_dir", "inline_assets", "js_dir", "static_text"]

_JS_DIR_ENV = "TRACKER_JS_DIR"
_MC = "leaflet.markercluster/dist/"
#: The CDN addresses folium's templates and these maps use -> the file in the npm layout.
CDN: dict[str, str] = {
    "leaflet@1.9.3/dist/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet@1.9.3/dist/leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet.markercluster/1.1.0/leaflet.markercluster.js": _MC + "leaflet.markercluster.js",
    "leaflet.markercluster/1.1.0/MarkerCluster.css": _MC + "MarkerCluster.css",
    "leaflet.markercluster/1.1.0/MarkerCluster.Default.css": _MC + "MarkerCluster.Default.css",
    "leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": "leaflet.fullscreen/"
    "Control.FullScreen.js",
    "leaflet.fullscreen@3.0.0/Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
    "leaflet-measure@2.1.7/dist/leaflet-measure.min.js": "leaflet-measure/dist/"
    "leaflet-measure.min.js",
    "leaflet-measure@2.1.7/dist/leaflet-measure.min.css": "leaflet-measure/dist/"
    "leaflet-measure.css",
}
#: Full addresses of the marker-cluster files (added to a map that clusters its markers).
MARKERCLUSTER_JS = (
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js"
)
MARKERCLUSTER_CSS = (
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css",
)
#: Libraries folium always adds but these maps do not use (jQuery, Bootstrap, icon fonts):
#: dropped offline, because their stylesheets fetch fonts and nothing here calls them.
_UNUSED = ("jquery", "bootstrap", "fontawesome", "awesome-markers", "awesome.rotate", "glyphicons")


def asset_dir() -> Path:
    """The vendored Leaflet files of the installed package (``tracker/maps/assets``)."""
    return Path(str(resources.files(__package__).joinpath("assets")))


def js_dir() -> Path:
    """Where offline maps read the Leaflet files from: ``$TRACKER_JS_DIR``, else the package's
    own copies (:func:`asset_dir`)."""
    value = os.environ.get(_JS_DIR_ENV)
    return Path(value) if value else asset_dir()


@cache
def static_text(name: str) -> str:
    """The text of ``static/<name>`` (the map's own script and styles)."""
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def _data_uri(path: Path) -> str:
    mime = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif"}.get(
        path.suffix.lower(), "application/octet-stream"
    )
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _inline_css(css: str, base: Path) -> str:
    def repl(match: re.Match[str]) -> str:
        ref = match.group(2)
        if ref.startswith(("data:", "#")):
            return match.group(0)
        local = (base / ref.split("?")[0].split("#")[0]).resolve()
        if not local.is_file():
            return "url()"  # an unused image: better no request than a failed one
        return f"url({_data_uri(local)})"

    return re.sub(r"url\((['\"]?)([^)'\"]+)\1\)", repl, css)


def inline_assets(page: str, assets: Path | None = None) -> str:
    """Inline every script and stylesheet a folium page references.

    Parameters
    ----------
    page
        The rendered HTML.
    assets
        A directory in the npm layout (default :func:`js_dir`).

    Returns
    -------
    str
        The page with no external script or stylesheet left.

    Raises
    ------
    InputError
        When *assets* is not a directory.
    TrackerError
        When the page references a file that has no local copy.
    """
    assets = assets or js_dir()
    if not assets.is_dir():
        raise InputError(
            f"offline maps need the Leaflet files in {str(assets)!r}; unset TRACKER_JS_DIR "
            "to use the copies installed with the package"
        )

    def local(url: str) -> Path | None:
        """The local copy of a CDN file; None for a library these maps do not use."""
        if any(u in url for u in _UNUSED):
            return None
        for key, rel in CDN.items():
            if url.endswith(key) and (assets / rel).is_file():
                return assets / rel
        raise TrackerError(f"no local copy of {url!r} for an offline map (update CDN in assets.py)")

    def script(match: re.Match[str]) -> str:
        path = local(match.group(1))
        if path is None:
            return ""
        code = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
        if path.name == "leaflet.js":  # default marker images as data: no file requests
            images = path.parent / "images"
            code += (
                "\nL.Icon.Default.imagePath='';L.Icon.Default.mergeOptions({"
                f"iconUrl:'{_data_uri(images / 'marker-icon.png')}',"
                f"iconRetinaUrl:'{_data_uri(images / 'marker-icon-2x.png')}',"
                f"shadowUrl:'{_data_uri(images / 'marker-shadow.png')}'}});"
            )
        return f"<script>{code}</script>"

    def style(match: re.Match[str]) -> str:
        path = local(match.group(1))
        if path is None:
            return ""
        return f"<style>{_inline_css(path.read_text(encoding='utf-8'), path.parent)}</style>"

    page = re.sub(r"<script[^>]*\ssrc=\"(https?://[^\"]+)\"[^>]*>\s*</script>", script, page)
    page = re.sub(r"<link[^>]*\shref=\"(https?://[^\"]+)\"[^>]*/?>", style, page)
    if re.search(r"<(?:script|link)[^>]*(?:src|href)=\"https?://", page):
        left = re.findall(r"<(?:script|link)[^>]*(?:src|href)=\"(https?://[^\"]+)\"", page)
        raise TrackerError(f"the offline map still references {left[:3]}")
    return page
