"""What an input is: a regular file or a directory (read), or something that is refused with a
message saying why — a device such as ``/dev/zero``, a named pipe, a socket, a dangling
symlink, a symlink loop."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..paths import describe_mode
from .problems import ReadProblem

__all__ = ["not_an_article", "os_problem", "stat_input"]


def stat_input(path: Path, display: str) -> os.stat_result | ReadProblem:
    """The stat of an input that is a regular file or a directory, or why it cannot be read.

    Parameters
    ----------
    path : Path
        The input.
    display : str
        Its name in messages.

    Returns
    -------
    os.stat_result or ReadProblem
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        try:
            dangling = stat.S_ISLNK(os.lstat(path).st_mode)
        except OSError:
            dangling = False
        if dangling:
            target = os.readlink(path)
            return ReadProblem(
                display, f"{display}: is a symlink to {target!r}, which does not exist"
            )
        return ReadProblem(display, f"{display}: no such file or directory")
    except OSError as err:
        return ReadProblem(display, f"{display}: {os_problem(err)}")
    except ValueError as err:  # an embedded NUL byte in the name
        return ReadProblem(display, f"{display}: not a usable file name ({err})")
    if stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode):
        return info
    return ReadProblem(display, f"{display}: {not_an_article(info.st_mode)}")


def os_problem(err: OSError) -> str:
    """What an OS error opening or listing an input means, in words (after ``PATH: ``).

    Parameters
    ----------
    err : OSError

    Returns
    -------
    str
    """
    if err.errno == errno.ELOOP:
        return "symlink loop (too many levels of symbolic links); fix or remove the link"
    if err.errno == errno.EACCES:
        return "permission denied; check its permissions (and those of its directories)"
    if err.errno == errno.ENAMETOOLONG:
        return "file name too long"
    if err.errno == errno.ENOTDIR:
        return "a part of the path is not a directory"
    return f"cannot read: {err.strerror or err}"


def not_an_article(mode: int) -> str:
    """Why a file of this kind (a device, FIFO, socket) is not read (after ``PATH: ``).

    Parameters
    ----------
    mode : int
        Its ``st_mode``.

    Returns
    -------
    str
    """
    kind = describe_mode(mode) or "not a regular file"
    hint = (
        "; to read a pipe, redirect it to stdin: tracker parse - < PIPE"
        if stat.S_ISFIFO(mode)
        else ""
    )
    return f"is {kind}; only regular files, directories and - (stdin) are read{hint}"
