"""All errors the tracker raises.

Each error is also a builtin exception (as geopy does), so callers can catch
``LookupError`` or ``ValueError`` without importing this module.
"""

from __future__ import annotations

__all__ = [
    "DataNotBuilt",
    "InputError",
    "InvalidCoordinates",
    "InvalidQuery",
    "OutsideUkraine",
    "PlaceNotFound",
    "SourceError",
    "TrackerError",
    "UnknownRegion",
]


class TrackerError(Exception):
    """Base class of every error raised by the tracker."""


class PlaceNotFound(TrackerError, LookupError):
    """No place matches the name.

    Parameters
    ----------
    name : str
        The name that was looked up.
    suggestions : list of str
        The closest known spellings, best first.
    """

    def __init__(self, name: str, suggestions: list[str] | None = None) -> None:
        self.name = name
        self.suggestions = list(suggestions or [])
        hint = (
            f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?"
            if self.suggestions
            else "; check the spelling or try the Ukrainian name"
        )
        super().__init__(f"no place called {name!r} in the gazetteer{hint}")


class UnknownRegion(TrackerError, ValueError):
    """An oblast (or other region) name that the tracker does not know."""


class InvalidCoordinates(TrackerError, ValueError):
    """Coordinates that cannot be parsed or are out of range."""


class OutsideUkraine(TrackerError, ValueError):
    """A point that lies outside every Ukrainian first-level unit."""


class DataNotBuilt(TrackerError, FileNotFoundError):
    """The built data is missing or stale; the message names the command to run."""


class SourceError(TrackerError, OSError):
    """A source file is missing, malformed or fails its checksum."""


class InvalidQuery(TrackerError, ValueError):
    """An empty or malformed query."""


class InputError(TrackerError, ValueError):
    """An input the tracker cannot read: a bad article file, a malformed date argument."""
