"""How much is read: the per-document limit, sizes as people write them (``50MB``, ``64KiB``)
and the message for a document over the limit."""

from __future__ import annotations

import re

from ..errors import InputError
from .problems import ReadFailure

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SIDECAR_MAX_BYTES",
    "check_limit",
    "format_size",
    "parse_size",
    "too_large",
]

#: The most bytes read for one document (file or stdin) unless ``max_bytes`` says otherwise.
DEFAULT_MAX_BYTES = 50_000_000
#: The most bytes read from a JSON sidecar (metadata is small).
SIDECAR_MAX_BYTES = 1_000_000

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12}


def parse_size(text: str | int) -> int:
    """A byte count from ``"50MB"``, ``"200M"``, ``"1.5GB"``, ``"64KiB"`` or ``"1000"``.

    Decimal units (kB = 1000 bytes, MB, GB, TB; the ``B`` is optional), binary with ``i``
    (KiB = 1024 bytes, MiB, GiB).

    Raises
    ------
    InputError
        When *text* is not a positive size.

    Examples
    --------
    >>> parse_size("50MB"), parse_size("1KiB"), parse_size("200")
    (50000000, 1024, 200)
    """
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    else:
        match = _SIZE.match(str(text))
        if not match:
            raise InputError(
                f"size {text!r} is not a size; expected bytes or a number with a unit, "
                "e.g. 50MB, 200M, 1.5GB, 64KiB"
            )
        unit = (match[2] or "").lower().rstrip("b")
        scale = (1024 ** "kmgt".index(unit[0]) * 1024) if unit.endswith("i") else _UNITS[unit]
        value = int(float(match[1]) * scale)
    if value < 1:
        raise InputError(f"size {text!r} must be at least 1 byte")
    return value


def format_size(size: int) -> str:
    """``50 MB``, ``1.5 kB``, ``812 bytes`` (decimal units, as :func:`parse_size` reads them)."""
    for unit, scale in (("TB", 10**12), ("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def check_limit(max_bytes: int) -> int:
    """The ``max_bytes`` argument of a reader, checked where it enters.

    Parameters
    ----------
    max_bytes : int
        The most bytes to read per document.

    Returns
    -------
    int
        *max_bytes*.

    Raises
    ------
    InputError
        When it is not a positive whole number.
    """
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise InputError(f"`max_bytes` was {max_bytes!r}; expected a positive number of bytes")
    return max_bytes


def too_large(display: str, limit: int, size: int | None) -> ReadFailure:
    """The failure of a document larger than *limit* bytes.

    Parameters
    ----------
    display : str
        The document as the message names it.
    limit : int
        The limit it is over.
    size : int, optional
        Its size, when known before reading (a file; not stdin).

    Returns
    -------
    ReadFailure
        To raise; the message says how to raise the limit.
    """
    what = f" ({format_size(size)})" if size is not None else ""
    return ReadFailure(
        f"{display}: larger than the limit of {format_size(limit)} per document{what}; "
        f"raise it with --max-bytes (e.g. --max-bytes {format_size(max(limit * 4, size or 0))})"
        " or split the file"
    )
