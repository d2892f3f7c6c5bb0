"""Where the sources are read from and where the built data goes.

Two settings, both environment variables so that CI and users set them once:

``TRACKER_SOURCES``
    Directory holding the source files (the offline mirror, laid out as
    ``geonames/``, ``boundaries/``, ``settlements/``, ``deepstate/``).
``TRACKER_DATA_DIR``
    Directory for the built artifacts (default: the user cache directory).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["data_dir", "sources_dir"]

SOURCES_ENV = "TRACKER_SOURCES"
DATA_DIR_ENV = "TRACKER_DATA_DIR"


def data_dir() -> Path:
    """Return the directory of the built data (it may not exist yet)."""
    value = os.environ.get(DATA_DIR_ENV)
    if value:
        return Path(value).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("frontline-tracker")) / "data"


def sources_dir(value: str | os.PathLike[str] | None = None) -> Path | None:
    """Return the sources directory: *value*, else ``$TRACKER_SOURCES``, else None."""
    chosen = value if value is not None else os.environ.get(SOURCES_ENV)
    return Path(chosen).expanduser() if chosen else None
