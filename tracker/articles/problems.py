"""What goes wrong reading an article: a :class:`ReadProblem` is reported for a file (the
reader goes on with the others); a :class:`ReadFailure` carries its message up from the step
that found it to the one that knows the file."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ReadFailure", "ReadProblem"]


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """A file that could not be read as an article.

    Parameters
    ----------
    path : str
        The file as named on the command line (or found in a directory); ``"-"`` for stdin.
    message : str
        What is wrong and how to fix it; it starts with the path.
    fatal : bool
        False for files that are merely skipped (an empty file), True for real errors.
    """

    path: str
    message: str
    fatal: bool = True

    def __str__(self) -> str:
        return self.message


class ReadFailure(Exception):
    """Raised inside the reader: the message of a :class:`ReadProblem`, before its path is known.

    Parameters
    ----------
    message : str
        What is wrong and how to fix it, starting with the name of the document.
    fatal : bool
        False when the document is merely skipped (an empty file).
    """

    def __init__(self, message: str, fatal: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.fatal = fatal
