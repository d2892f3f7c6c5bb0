"""Saving a map: rendered once, made self-contained for ``--offline``, written atomically."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .assets import inline_assets

if TYPE_CHECKING:
    from ..paths import OutputTarget

__all__ = ["render_map", "save_map"]


def render_map(m: Any, *, offline: bool = False, assets: Path | None = None) -> str:
    """The HTML of map *m*; with *offline*, every script and stylesheet inlined.

    The same map renders the same text every time (:func:`tracker.maps.build_map` derives the
    element ids from the content).
    """
    page = m.get_root().render()
    if offline:
        page = inline_assets(page, assets)
    return page


def save_map(
    m: Any, path: str | Path | OutputTarget, *, offline: bool = False, assets: Path | None = None
) -> int:
    """Write map *m* to *path* atomically (a temporary file renamed over it).

    Parameters
    ----------
    m
        A map of :func:`tracker.maps.build_map` or :func:`tracker.maps.candidates_map`.
    path
        The HTML file (or a checked :class:`tracker.paths.OutputTarget`); an existing file is
        replaced only once the new one is whole.
    offline
        One self-contained file: every script and stylesheet inlined from the Leaflet copies
        installed with the package, and a check that nothing external is left.
    assets
        Another directory of Leaflet files in the npm layout (default: ``$TRACKER_JS_DIR`` or
        the package's own).

    Returns
    -------
    int
        The size written, in bytes.
    """
    from ..outputs import write_atomic

    page = render_map(m, offline=offline, assets=assets)
    write_atomic(path, page)
    return len(page.encode("utf-8"))
