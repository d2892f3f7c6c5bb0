"""Bounded reads: the bytes of a regular file or a stream, never more than the limit (plus one
byte), refused as soon as the first block shows binary data (so ``/dev/zero`` on stdin is
refused at once), and never blocking on a file swapped for a FIFO after it was checked."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from .encoding import SNIFF, check_head
from .kinds import not_an_article, os_problem
from .problems import ReadFailure
from .sizes import too_large

__all__ = ["read_limited", "read_regular"]

_CHUNK = 1 << 20


def read_regular(path: Path, display: str, limit: int) -> bytes:
    """The bytes of a regular file, at most *limit* of them.

    Opened non-blocking (a file swapped for a FIFO after the check never blocks) and checked
    again on the open descriptor; the size is checked before reading, and the read stops
    one byte past the limit (files in /proc report size 0).

    Parameters
    ----------
    path : Path
        The file.
    display : str
        Its name in messages.
    limit : int
        The most bytes read.

    Returns
    -------
    bytes

    Raises
    ------
    ReadFailure
        When it cannot be opened, is not a regular file, is larger than *limit* or binary.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise ReadFailure(f"{display}: {os_problem(err)}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReadFailure(f"{display}: {not_an_article(info.st_mode)}")
        if info.st_size > limit:
            raise too_large(display, limit, info.st_size)
        return read_limited(lambda n: os.read(fd, n), limit, display)
    except OSError as err:
        raise ReadFailure(f"{display}: {os_problem(err)}") from None
    finally:
        os.close(fd)


def read_limited(read: Callable[[int], bytes], limit: int, display: str) -> bytes:
    """Read with *read(n)* until EOF, at most *limit* bytes.

    Parameters
    ----------
    read : callable
        Returns up to *n* bytes, ``b""`` at the end.
    limit : int
        The most bytes read.
    display : str
        The document's name in messages.

    Returns
    -------
    bytes

    Raises
    ------
    ReadFailure
        Past *limit* bytes, or for binary data (checked as soon as the first block is in).
    """
    chunks: list[bytes] = []
    total = 0
    sniffed = False
    while True:
        chunk = read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if not sniffed and total >= SNIFF:
            sniffed = True
            check_head(b"".join(chunks)[:SNIFF], display)
        if total > limit:
            raise too_large(display, limit, None)
    return b"".join(chunks)
