"""Text printed to a terminal is inert: no control sequence from an article reaches it.

Article text, titles, file names and the queries quoted in error messages are untrusted. A
terminal acts on some characters instead of showing them: ESC starts escape sequences
(colours, cursor moves, window titles, hyperlinks, even "paste" tricks), BEL rings, CR moves
the cursor back so that later text overwrites earlier text, other C0 and C1 controls do
similar things, and the bidirectional overrides reorder what is shown. :func:`clean` shows
each such character escaped (``\\x1b``, ``\\r``, ``\\u202e``), so nothing is lost and nothing
acts; a file name that is not valid UTF-8 (held by Python as lone surrogates) is shown with
U+FFFD replacement characters.

Only what goes to a terminal is cleaned: JSON and CSV output are data and stay unchanged
(JSON escapes C0 controls by itself).

Examples
--------
>>> clean("Zorya\\x1b]0;pwned\\x07 taken")
'Zorya\\\\x1b]0;pwned\\\\x07 taken'
>>> clean("one\\ntwo", newlines=True)
'one\\ntwo'
"""

from __future__ import annotations

import errno
import re
from typing import Any, TextIO

import click

from .errors import OutputFailed

__all__ = ["CleanStream", "clean", "echo", "stdout_failure"]

#: Characters shown escaped: C0 controls except tab and newline, DEL, C1 controls, the
#: bidirectional embeddings, overrides and isolates (and the marks, which also reorder text),
#: and the Unicode line and paragraph separators (some terminals break lines on them).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_UNSAFE_OR_NEWLINE = re.compile(_UNSAFE.pattern[:-1] + "\n]")
#: Lone surrogates: how Python holds the bytes of a file name that are not UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAMED = {"\r": "\\r", "\n": "\\n"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def clean(text: Any, *, newlines: bool = False) -> str:
    """*text* (any object, as ``str()``) made safe to print to a terminal.

    Parameters
    ----------
    text : object
        What to show; ``str(text)`` is cleaned.
    newlines : bool
        Keep line breaks (for multi-line output); by default a newline is shown as ``\\n``
        too, so that one field stays one line.

    Returns
    -------
    str
        The text with every control character, bidirectional control and Unicode line
        separator shown escaped (``\\x1b``, ``\\r``, ``\\u202e``) and every lone surrogate
        replaced by U+FFFD. Tabs are kept.

    Examples
    --------
    >>> clean("a\\rb")
    'a\\\\rb'
    >>> clean("caf\\udce9.txt")
    'caf\\ufffd.txt'
    """
    value = text if isinstance(text, str) else str(text)
    value = _SURROGATE.sub("\ufffd", value)
    pattern = _UNSAFE if newlines else _UNSAFE_OR_NEWLINE
    return pattern.sub(_escape, value)


def stdout_failure(err: OSError) -> OutputFailed:
    """The one-line :class:`~tracker.errors.OutputFailed` (exit code 4) for a failed write to
    standard output (a closed pipe, ``> /dev/full``); its ``stdout`` attribute is True."""
    if isinstance(err, BrokenPipeError) or err.errno == errno.EPIPE:
        failure = OutputFailed(
            "standard output was closed before everything was written (broken pipe)"
        )
    else:
        failure = OutputFailed(f"cannot write to standard output: {err.strerror or err}")
    failure.stdout = True  # type: ignore[attr-defined]
    return failure


def echo(message: Any = "", *, err: bool = False, nl: bool = True, raw: bool = False) -> None:
    """:func:`click.echo` of :func:`clean` text (line breaks kept).

    Parameters
    ----------
    message : object
        The text to print.
    err : bool
        Print to stderr instead of stdout.
    nl : bool
        End with a newline.
    raw : bool
        Print *message* unchanged (JSON and CSV are data, not terminal text).

    Raises
    ------
    OutputFailed
        When standard output cannot be written (exit code 4).
    """
    text = message if raw else clean(message, newlines=True)
    try:
        click.echo(text, err=err, nl=nl)
    except OSError as failure:
        if err:
            return  # stderr is gone: nothing left to tell
        raise stdout_failure(failure) from failure


class CleanStream:
    """A text stream that cleans everything written to it (for click's own messages).

    Parameters
    ----------
    stream : TextIO
        Where the cleaned text goes.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write *text* cleaned (line breaks kept); returns the length of *text*."""
        self._stream.write(clean(text, newlines=True))
        return len(text)

    def flush(self) -> None:
        """Flush the underlying stream."""
        self._stream.flush()

    def isatty(self) -> bool:
        """Whether the underlying stream is a terminal."""
        return bool(getattr(self._stream, "isatty", lambda: False)())
