"""Where the tracker may write, checked before any work is done.

``-o FILE`` (``tracker parse``, ``tracker map``, ``tracker where --map``) writes only
regular files. :func:`check_output` refuses, with a one-line :class:`~tracker.errors.InputError`
(exit code 2) and before any data is loaded or any article read:

* a path under ``/proc``, ``/sys`` or ``/dev`` (also when a symlink leads there);
* an existing directory, character or block device, named pipe (FIFO) or socket;
* a symlink loop, or a directory that does not exist or is not a directory;
* the same file (same device and inode) as any input: an article named on the command
  line, found in an input directory, its JSON sidecar, or a file redirected to stdin
  ("would overwrite the input");
* an input article's JSON sidecar (``x.json`` or ``x.meta.json`` beside ``x.txt``) even
  when there is none yet: the next run would read the output as the article's metadata.

A symlink is written *through*: the file it points to is replaced atomically (the
temporary file is made next to the real file, not next to the link), and the link stays.
A read-only file or a read-only file system is an :class:`~tracker.errors.OutputFailed`
(exit code 4), so is any failure while writing (see :class:`tracker.outputs.AtomicWriter`).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, OutputFailed

__all__ = ["FORBIDDEN_ROOTS", "OutputTarget", "check_output", "describe_mode", "unsurrogate"]

#: Pseudo file systems and device trees that are never an output.
FORBIDDEN_ROOTS: tuple[str, ...] = ("/proc", "/sys", "/dev")

_KINDS = (
    (stat.S_ISDIR, "a directory, not a file"),
    (stat.S_ISCHR, "a character device, not a regular file"),
    (stat.S_ISBLK, "a block device, not a regular file"),
    (stat.S_ISFIFO, "a named pipe (FIFO), not a regular file"),
    (stat.S_ISSOCK, "a socket, not a regular file"),
)


@dataclass(frozen=True, slots=True)
class OutputTarget:
    """An output path that passed :func:`check_output`.

    Parameters
    ----------
    given : str
        The path as the user gave it (for messages); ``"-"`` for standard output.
    real : Path or None
        The file that is written: *given* made absolute with every symlink resolved
        (None for standard output).
    exists : bool
        Whether *real* exists now (it is then a regular file).
    mode : int or None
        Its permission bits when it exists (the new file keeps them).
    """

    given: str
    real: Path | None
    exists: bool = False
    mode: int | None = None

    @property
    def is_stdout(self) -> bool:
        """True for ``-`` (standard output)."""
        return self.real is None


#: Lone surrogates: how Python holds the bytes of a file name that are not UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def unsurrogate(text: str, *, in_json: bool = False) -> str:
    """*text* as valid UTF-8: each lone surrogate written as ``\\xNN`` (or ``\\uDXXX``).

    Python holds a byte of a file name that is not UTF-8 as a lone surrogate (0xE9 becomes
    U+DCE9, :func:`os.fsdecode`), which cannot be written as UTF-8. Here it becomes the four
    characters ``\\xe9``, so the name stays recognisable and the text is valid. With
    *in_json* the backslash is doubled, for text that is already JSON (the decoded string
    is then the same ``\\xe9``).

    Examples
    --------
    >>> unsurrogate(os.fsdecode(b"caf\\xe9.txt"))
    'caf\\\\xe9.txt'
    """
    if text.isascii():
        return text
    try:  # (three to four times faster than searching for a surrogate)
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    slash = "\\\\" if in_json else "\\"

    def repl(match: re.Match[str]) -> str:
        code = ord(match.group())
        if 0xDC80 <= code <= 0xDCFF:
            return f"{slash}x{code - 0xDC00:02x}"
        return f"{slash}u{code:04x}"

    return _SURROGATE.sub(repl, text)


def describe_mode(mode: int) -> str | None:
    """What a non-regular file is (``"a named pipe (FIFO), not a regular file"``), or None."""
    for test, text in _KINDS:
        if test(mode):
            return text
    return None


def _forbidden_root(path: str) -> str | None:
    for root in FORBIDDEN_ROOTS:
        if path == root or path.startswith(root + os.sep):
            return root
    return None


def _os_reason(err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "a symlink loop (too many levels of symbolic links)"
    if err.errno == errno.ENOTDIR:
        return "not reachable: a part of the path is not a directory"
    if err.errno == errno.ENAMETOOLONG:
        return "a name that is too long"
    if err.errno == errno.EACCES:
        return "not reachable: permission denied"
    return f"not usable: {err.strerror or err}"


def _refuse(given: str, why: str) -> InputError:
    return InputError(f"cannot write {given!r}: it is {why}; choose another output path")


def _read_only(mode: int) -> bool:
    """No write permission for the current user (root: no write bit at all)."""
    if os.geteuid() == 0:
        return not mode & 0o222
    return False


def check_output(
    path: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    sidecars: Iterable[tuple[str, str]] = (),
) -> OutputTarget:
    """Check that *path* may be written, before any work is done.

    Parameters
    ----------
    path : str or PathLike
        The output path; ``"-"`` means standard output (always allowed).
    inputs : iterable of str or PathLike
        Every input file of the command (``"-"`` for stdin): the output must not be one of
        them. Names that cannot be read are ignored here (reading reports them).
    sidecars : iterable of (str, str)
        ``(sidecar, article)`` of every input article
        (:func:`tracker.articles.input_sources`): the output must not be, nor become, the
        file an article's metadata is read from (``x.json`` beside ``x.txt``).

    Returns
    -------
    OutputTarget
        The file to write, symlinks resolved.

    Raises
    ------
    InputError
        (exit 2) For an empty path, a path under /proc, /sys or /dev, an existing
        directory, device, FIFO or socket, a symlink loop, a missing or non-directory
        parent, an unwritable directory, an input file ("would overwrite the input"), or an
        input article's sidecar, there or not.
    OutputFailed
        (exit 4) When the file is read-only or lies on a read-only file system.

    Examples
    --------
    >>> check_output("/dev/null")  # doctest: +SKIP
    Traceback (most recent call last):
    InputError: cannot write '/dev/null': it is under /dev (a device file, ...
    """
    given = os.fsdecode(path) if not isinstance(path, str) else path
    if given == "-":
        return OutputTarget("-", None)
    if not given or not given.strip():
        raise InputError("the output path is empty; give a file name, e.g. -o places.json")
    absolute = os.path.abspath(given)
    root = _forbidden_root(absolute)
    if root is not None:
        raise _refuse(given, f"under {root} (device and kernel files are never outputs)")
    try:
        link = os.lstat(absolute)
    except FileNotFoundError:
        link = None
    except OSError as err:
        raise _refuse(given, _os_reason(err)) from err
    real = Path(absolute)
    if link is not None and stat.S_ISLNK(link.st_mode):
        try:
            os.stat(absolute)
        except FileNotFoundError:
            pass  # a dangling link: the file it names is created
        except OSError as err:
            raise _refuse(given, _os_reason(err)) from err
        real = Path(os.path.realpath(absolute))
        root = _forbidden_root(str(real))
        if root is not None:
            raise _refuse(given, f"a symlink to {str(real)!r}, under {root}")
    try:
        info: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        info = None
    except OSError as err:
        raise _refuse(given, _os_reason(err)) from err
    if info is not None:
        kind = describe_mode(info.st_mode)
        if kind is not None:
            what = kind if real == Path(absolute) else f"a symlink to {str(real)!r}, {kind}"
            raise _refuse(given, what)
    _check_directory(given, real.parent)
    _check_not_sidecar(given, real, info is not None, sidecars)
    if info is not None:
        if not os.access(real, os.W_OK) or _read_only(info.st_mode):
            raise OutputFailed(
                f"cannot write {given!r}: the file is read-only; make it writable "
                "(chmod u+w) or choose another output path"
            )
        _check_not_input(given, info, inputs)
    return OutputTarget(
        given, real, info is not None, None if info is None else info.st_mode & 0o7777
    )


def _check_directory(given: str, directory: Path) -> None:
    try:
        info = os.stat(directory)
    except FileNotFoundError:
        raise InputError(
            f"cannot write {given!r}: directory {str(directory)!r} does not exist; "
            "create it first or choose another output path"
        ) from None
    except OSError as err:
        raise _refuse(given, f"in a directory that is {_os_reason(err)}") from err
    if not stat.S_ISDIR(info.st_mode):
        raise InputError(
            f"cannot write {given!r}: {str(directory)!r} is not a directory; "
            "choose another output path"
        )
    try:
        read_only_fs = bool(os.statvfs(directory).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        read_only_fs = False
    if read_only_fs:
        raise OutputFailed(
            f"cannot write {given!r}: {str(directory)!r} is on a read-only file system; "
            "choose another output path"
        )
    if not os.access(directory, os.W_OK | os.X_OK):
        raise InputError(
            f"cannot write {given!r}: directory {str(directory)!r} is not writable; "
            "fix its permissions or choose another output path"
        )


def _check_not_sidecar(
    given: str, real: Path, exists: bool, sidecars: Iterable[tuple[str, str]]
) -> None:
    """Refuse an output that is, or would become, an input article's metadata sidecar: the
    next run would read the output as the article's title, URL and date (a large output as a
    sidecar too large to read)."""
    resolved: str | None = None
    for sidecar, article in sidecars:
        if os.path.basename(sidecar) != real.name:
            continue
        resolved = resolved or os.path.realpath(real)
        if os.path.realpath(sidecar) != resolved:
            continue
        base = real.name.removesuffix(".json").removesuffix(".meta")
        other = os.path.join(os.path.dirname(given), f"{base}.places.json")
        what = (
            f"it is the metadata sidecar of input {article!r}, and writing it would overwrite "
            "the input"
            if exists
            else f"it would become the metadata sidecar of input {article!r} (the next run "
            "would read it as the article's title, URL and date)"
        )
        raise InputError(
            f"cannot write {given!r}: {what}; choose another output path, e.g. {other!r}"
        )


def _check_not_input(
    given: str, target: os.stat_result, inputs: Iterable[str | os.PathLike[str]]
) -> None:
    key = (target.st_dev, target.st_ino)
    for item in inputs:
        name = os.fsdecode(item)
        try:
            info = os.fstat(0) if name == "-" else os.stat(item)
        except (OSError, ValueError):
            continue
        if stat.S_ISREG(info.st_mode) and (info.st_dev, info.st_ino) == key:
            shown = "the file redirected to standard input" if name == "-" else f"input {name!r}"
            raise InputError(
                f"cannot write {given!r}: it is {shown}, and writing it would overwrite the "
                "input; choose another output path"
            )
