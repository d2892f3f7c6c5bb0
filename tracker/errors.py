"""All errors the tracker raises, and the exit code of each.

Each error is also a builtin exception (as geopy does), so callers can catch
``LookupError`` or ``ValueError`` without importing this module. Every class carries the
exit code the command line uses for it (:attr:`TrackerError.exit_code`):

==  ==========================================================================
0   success
1   place not found (:class:`PlaceNotFound`)
2   bad input or usage (every :class:`TrackerError` not listed otherwise)
3   built data, sources or the article store missing or damaged (:class:`DataNotBuilt`,
    :class:`DataDamaged`, :class:`SourceError`, :class:`StoreError`)
4   input/output error: disk full, read-only target, closed pipe (:class:`OutputFailed`,
    :class:`StoreUnavailable`, and any other ``OSError`` the command line meets)
70  internal error: a bug (an unexpected exception; ``tracker -v ...`` shows the traceback)
130 interrupted (Ctrl-C)
==  ==========================================================================

Exit code 1 means "no such place" and nothing else, so that scripts can tell a missing
place from a failure.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "EXIT_CODES",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_IO",
    "EXIT_OK",
    "DataDamaged",
    "DataNotBuilt",
    "InputError",
    "InvalidCoordinates",
    "InvalidQuery",
    "OutputFailed",
    "OutsideUkraine",
    "PlaceNotFound",
    "SourceError",
    "StoreError",
    "StoreUnavailable",
    "TrackerError",
    "UnknownRegion",
]


EXIT_OK = 0
#: Exit code of an I/O error that is not a :class:`TrackerError` (an ``OSError``).
EXIT_IO = 4
#: Exit code of an unexpected exception (a bug); the traceback is shown with ``-v``.
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130

#: Every exit code of the command line and what it means (``tracker --help`` and the README).
EXIT_CODES: tuple[tuple[int, str], ...] = (
    (0, "ok"),
    (1, "place not found"),
    (2, "bad input or usage"),
    (3, "built data, sources or article store missing or damaged"),
    (4, "I/O error (disk full, read-only target, closed pipe)"),
    (70, "internal error (a bug; run with -v for the traceback)"),
    (130, "interrupted (Ctrl-C)"),
)


class TrackerError(Exception):
    """Base class of every error raised by the tracker."""

    #: The command line's exit code for this error (see the module docstring).
    exit_code: ClassVar[int] = 2


class PlaceNotFound(TrackerError, LookupError):
    """No place matches the name.

    Parameters
    ----------
    name : str
        The name that was looked up.
    suggestions : list of str
        The closest known spellings, best first.
    """

    exit_code: ClassVar[int] = 1

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

    exit_code: ClassVar[int] = 3


class DataDamaged(DataNotBuilt):
    """The built data is there but not whole (truncated, garbage, unreadable)."""


class SourceError(TrackerError, OSError):
    """A source file is missing, malformed or fails its checksum."""

    exit_code: ClassVar[int] = 3


class OutputFailed(TrackerError, OSError):
    """Writing the output failed (disk full, read-only target, closed pipe); nothing was lost."""

    exit_code: ClassVar[int] = 4


class InvalidQuery(TrackerError, ValueError):
    """An empty or malformed query."""


class InputError(TrackerError, ValueError):
    """An input the tracker cannot read: a bad article file, a malformed date argument."""


class StoreError(TrackerError, OSError):
    """The article store (``tracker ingest``) is missing, damaged, not a tracker store, or from
    a newer tracker; the message says what to do."""

    exit_code: ClassVar[int] = 3


class StoreUnavailable(StoreError):
    """The article store cannot be reached or stays locked (a server that is down, another
    writer that holds the lock past the timeout, a full disk)."""

    exit_code: ClassVar[int] = 4
