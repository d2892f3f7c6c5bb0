"""The public functions that join several stages (front line of a named place, data build).

Everything else of the public API lives in its stage module and is re-exported by
:mod:`tracker` (``tracker.where`` is :func:`tracker.whereis.where`, ``tracker.parse`` is
:func:`tracker.parsing.parse`, ...).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import PlaceNotFound, SourceError
from .models import Candidate, LonLat

__all__ = [
    "area_stats",
    "build_data",
    "control_history",
    "data_status",
    "frontline_status",
]


def _one_place(
    place: str, *, oblast: str | None = None, near: Any = None, context: str | None = None
) -> Candidate:
    """The best candidate for a PLACE argument (name or KATOTTG code) that has coordinates."""
    from .whereis import where

    found = where(place, oblast=oblast, near=near, context=context)
    best = found[0]
    if best.lon is None:
        raise PlaceNotFound(place, [c.name for c in found[1:6] if c.lon is not None])
    return best


def frontline_status(
    place: str | tuple[float, float],
    date: str | None = None,
    *,
    oblast: str | None = None,
    near: Any = None,
    context: str | None = None,
) -> tuple[Candidate | None, Any]:
    """Front-line status of a settlement (or ``(lon, lat)``) on a date (default: newest snapshot).

    Returns
    -------
    tuple
        ``(Candidate or None, FrontlineStatus)``.
    """
    from .data.store import load
    from .frontline import frontline_of

    front = frontline_of(load())
    when = date or front.dates[-1].isoformat()
    if isinstance(place, tuple):
        point = LonLat(float(place[0]), float(place[1]))
        return None, front.status([point.lon], [point.lat], when)[0]
    best = _one_place(place, oblast=oblast, near=near, context=context)
    return best, front.status([best.lon], [best.lat], when)[0]


def control_history(
    place: str, *, oblast: str | None = None, near: Any = None, context: str | None = None
) -> tuple[Candidate, list[Any]]:
    """Dates on which a settlement entered or left the occupied area: ``(Candidate, [changes])``."""
    from .data.store import load

    best = _one_place(place, oblast=oblast, near=near, context=context)
    from .frontline import frontline_of

    return best, frontline_of(load()).history(best.katottg)


def area_stats(
    first: str,
    last: str,
    *,
    oblast: str | None = None,
    progress: Callable[[int], Any] | None = None,
) -> Any:
    """Occupied km² (geodesic) on each date from *first* to *last*, optionally in one oblast."""
    from .data.store import load
    from .frontline import area_stats as _area_stats
    from .frontline import frontline_of
    from .regions import find_oblast

    store = load()
    within = None
    name = None
    if oblast:
        unit = find_oblast(oblast)
        ob = store.oblasts.set_index("oblast_code")
        within = ob.geometry[unit.katottg_prefix]
        name = unit.name
    front = frontline_of(store)
    return _area_stats(front, first, last, within=within, oblast=name, progress=progress)


def build_data(
    sources: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
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

    src = config.sources_dir(sources)
    if src is None:
        raise SourceError(
            "no sources directory given; pass --sources DIR (e.g. ../shared/geodata) "
            "or set TRACKER_SOURCES"
        )
    manifest = build(src, Path(data_dir) if data_dir else config.data_dir(), progress=progress)
    reset()
    return manifest


def data_status(data_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The manifest of the built data (inputs, checksums, build time, coverage figures)."""
    from .data.store import load

    return load(Path(data_dir) if data_dir is not None else None).manifest
