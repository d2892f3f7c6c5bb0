"""Writing a computed build into a data directory: preflight, write, verify, swap, clean.

:func:`write_build` is the cheap half of ``tracker data build`` (the expensive half is
:func:`tracker.data.build.compute_tables`). Under the build lock it

1. removes what killed builds left (build directories the pointer does not name and no reader
   leases, temporary pointer files),
2. writes every table and the manifest (sizes, sha256, rows) into ``DIR/.builds/<id>``,
   readable by everyone (directories 0755, files 0644), each file fsynced,
3. checks the new build as a reader would,
4. switches ``DIR/current`` to it with one atomic rename — the data directory itself is never
   renamed, so it may be a mount point, and there is no moment without a current build,
5. removes the builds no longer current (those a running reader still leases are kept for the
   next build to remove) and the files of the old layout (format 6 and before).

A failure before the switch removes the partial build and leaves the old one current; a crash
at any point leaves debris that step 1 of the next build removes.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import secrets
import shutil
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataNotBuilt, OutputFailed, TrackerError
from . import lookup
from .lock import BuildLock, exclusive, pid_alive
from .manifest import (
    ARRAY_TABLES,
    BUILDS,
    FORMAT_VERSION,
    MANIFEST,
    OPTIONAL_TABLES,
    POINTER,
    TABLES,
    check_build,
    file_entry,
    new_build_id,
    read_pointer,
)

__all__ = ["BUILD_BYTES_GUESS", "Hook", "clean", "preflight", "write_build"]

log = logging.getLogger(__name__)

#: Free space asked for when there is no previous build to measure (a full build is ~45 MB).
BUILD_BYTES_GUESS = 64 << 20
_DIR_MODE = 0o755
_FILE_MODE = 0o644
_PROBE = ".probe-"

#: ``hook(point)`` is called at each step of :func:`write_build` (fault-injection tests raise).
Hook = Callable[[str], None]


def _fix(root: Path) -> str:
    return f"make {root} writable, or set TRACKER_DATA_DIR (or --data-dir) to another directory"


def _write_failed(root: Path, err: OSError) -> OutputFailed:
    where = f" ({err.filename})" if err.filename else ""
    if err.errno == errno.ENOSPC or err.errno == errno.EDQUOT:
        return OutputFailed(
            f"no space left for the build in {root}{where}; free some space or set "
            "TRACKER_DATA_DIR (or --data-dir) to a directory on another disk; "
            "the previous build is unchanged"
        )
    if err.errno == errno.EROFS:
        what = "is on a read-only file system"
    elif err.errno in (errno.EACCES, errno.EPERM):
        what = "is not writable (permission denied, or immutable)"
    else:
        what = f"cannot be written: {err.strerror or err}"
    return OutputFailed(f"the data directory {root}{where} {what}; {_fix(root)}")


def _current_bytes(root: Path) -> int:
    try:
        build_id = read_pointer(root)
    except DataNotBuilt:
        return 0
    total = 0
    try:
        for entry in (root / BUILDS / build_id).iterdir():
            total += entry.stat().st_size
    except OSError:
        pass
    return total


def preflight(root: Path, *, needed: int | None = None) -> None:
    """Check up front that a build can be written into *root*: create it, write a probe file,
    and compare the free space with the size of the current build (or
    :data:`BUILD_BYTES_GUESS`).

    Raises
    ------
    OutputFailed
        *root* is not a directory, cannot be created, is read-only or unwritable (an immutable
        parent), or its disk has too little free space — each with the fix.
    """
    builds = root / BUILDS
    try:
        if root.exists() and not root.is_dir():
            raise OutputFailed(f"the data directory {root} is not a directory; {_fix(root)}")
        if not root.exists():
            root.mkdir(parents=True, mode=_DIR_MODE)
            os.chmod(root, _DIR_MODE)
        builds.mkdir(mode=_DIR_MODE, exist_ok=True)
        os.chmod(builds, _DIR_MODE)
        probe = builds / f"{_PROBE}{os.getpid()}-{secrets.token_hex(3)}"
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _FILE_MODE)
        try:
            os.write(fd, b"probe")
            os.fsync(fd)
        finally:
            os.close(fd)
            probe.unlink(missing_ok=True)
        free = shutil.disk_usage(builds).free
    except OutputFailed:
        raise
    except OSError as err:
        raise _write_failed(root, err) from err
    want = needed if needed is not None else max(int(_current_bytes(root) * 1.1), BUILD_BYTES_GUESS)
    if free < want:
        raise OutputFailed(
            f"not enough free space for a build in {root}: {free / 1e6:,.0f} MB free, about "
            f"{want / 1e6:,.0f} MB needed; free some space or set TRACKER_DATA_DIR (or "
            "--data-dir) to a directory on another disk"
        )


def _current(root: Path) -> str | None:
    try:
        return read_pointer(root)
    except DataNotBuilt:  # also DataDamaged: a broken pointer names nothing
        return None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def clean(root: Path) -> list[str]:
    """Remove what is stale in *root*: every build but the current one that no reader leases,
    temporary pointer files, probe files of dead processes and, once a current build exists,
    the files of the old layout. Call it holding the build lock.

    Returns
    -------
    list of str
        The builds kept because a running process still reads them.
    """
    current = _current(root)
    kept: list[str] = []
    builds = root / BUILDS
    entries = sorted(builds.iterdir()) if builds.is_dir() else []
    for entry in entries:
        if entry.name == current:
            continue
        if entry.name.startswith(_PROBE):
            pid = entry.name[len(_PROBE) :].split("-", 1)[0]
            if not (pid.isdigit() and pid_alive(int(pid))):
                _remove(entry)
            continue
        if entry.is_dir() and not entry.is_symlink():
            try:
                with exclusive(entry) as free:
                    if free:
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        kept.append(entry.name)
            except OSError as err:
                log.warning("could not remove the stale build %s: %s", entry, err)
        else:
            _remove(entry)
    for tmp in root.glob(f".{POINTER}.tmp-*"):
        _remove(tmp)
    if current is not None:
        for name in (MANIFEST, *(f"{t}.parquet" for t in (*TABLES, *OPTIONAL_TABLES))):
            old = root / name
            if old.is_file() and not old.is_symlink():
                old.unlink(missing_ok=True)
    if kept:
        log.info("kept %d old build(s) still in use: %s", len(kept), ", ".join(kept))
    return kept


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as err:
        if err.errno not in (errno.EINVAL, errno.EBADF):  # directories on some file systems
            raise
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _FILE_MODE)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(path, _FILE_MODE)


def _written(path: Path) -> None:
    os.chmod(path, _FILE_MODE)
    _fsync(path)


def _switch(root: Path, build_id: str) -> None:
    tmp = root / f".{POINTER}.tmp-{build_id}"
    _write_file(tmp, f"{build_id}\n".encode("ascii"))
    os.replace(tmp, root / POINTER)
    _fsync(root)


def _no_hook(point: str) -> None:
    return None


def write_build(
    tables: Mapping[str, pd.DataFrame | Mapping[str, np.ndarray]],
    manifest: Mapping[str, Any],
    data_dir: str | os.PathLike[str],
    *,
    hook: Hook | None = None,
    lock: BuildLock | None = None,
) -> dict[str, Any]:
    """Write *tables* and *manifest* as a new build of *data_dir* and make it current.

    Parameters
    ----------
    tables
        One frame per name of :data:`tracker.data.manifest.TABLES` (GeoDataFrames are written
        as GeoParquet), optionally of :data:`~tracker.data.manifest.OPTIONAL_TABLES`, and
        ``{name: array}`` for each of :data:`~tracker.data.manifest.ARRAY_TABLES` written
        (``<name>.npz``).
    manifest
        The build's figures; ``format``, ``build_id`` and ``files`` (size, sha256 and rows of
        every table) are added.
    data_dir
        The data directory (created when missing; never renamed).
    hook
        Called with the name of each step (``"cleaned-stale"``, ``"wrote <table>"``,
        ``"before-switch"``, ``"after-switch"``, ``"cleaned"``); tests raise from it.
    lock
        A :class:`~tracker.data.lock.BuildLock` of *data_dir* already held by the caller;
        without one the lock is taken here (and :class:`~tracker.data.lock.BuildRunning`
        raised when another build holds it).

    Returns
    -------
    dict
        The manifest as written.

    Raises
    ------
    OutputFailed
        The directory is unwritable, read-only or full (the previous build stays current).
    """
    missing = [name for name in TABLES if name not in tables]
    if missing:
        raise ValueError(f"write_build needs every table; missing {missing}")
    root = Path(data_dir)
    point = hook or _no_hook
    preflight(root)
    with nullcontext(lock) if lock is not None else BuildLock(root):
        clean(root)
        point("cleaned-stale")
        build_id = new_build_id()
        path = root / BUILDS / build_id
        try:
            path.mkdir(mode=_DIR_MODE)
            os.chmod(path, _DIR_MODE)
            files: dict[str, dict[str, Any]] = {}
            for name in (*TABLES, *(t for t in OPTIONAL_TABLES if t in tables)):
                target = path / f"{name}.parquet"
                frame = tables[name]
                if not isinstance(frame, pd.DataFrame):
                    raise TypeError(f"table {name} must be a DataFrame, not {type(frame)}")
                # one row group per DeepState snapshot: a reader loads one date alone
                group_rows = 1 if name == "frontline" else None  # None: pyarrow's default
                frame.to_parquet(target, index=False, row_group_size=group_rows)
                _written(target)
                files[target.name] = file_entry(target, rows=len(frame))
                point(f"wrote {name}")
            for name in (t for t in ARRAY_TABLES if t in tables):
                target = path / f"{name}.npz"
                members = tables[name]
                if isinstance(members, pd.DataFrame):
                    raise TypeError(f"table {name} must be {{name: array}}, not a DataFrame")
                lookup.write(target, members)
                _written(target)
                files[target.name] = file_entry(target, rows=len(members))
                point(f"wrote {name}")
            written = {**manifest, "format": FORMAT_VERSION, "build_id": build_id, "files": files}
            text = json.dumps(written, indent=2, ensure_ascii=False, default=str)
            _write_file(path / MANIFEST, text.encode("utf-8"))
            _fsync(path)
            check_build(root, path, build_id)
            point("before-switch")
            _switch(root, build_id)
        except BaseException as err:
            if _current(root) != build_id:
                shutil.rmtree(path, ignore_errors=True)
            if isinstance(err, OSError) and not isinstance(err, TrackerError):
                raise _write_failed(root, err) from err
            raise
        point("after-switch")
        from .store import reset

        reset()  # this process's own leases on the old build
        clean(root)
        point("cleaned")
    return written
