"""Who may write a data directory, and who is still reading a build.

Two kinds of lock, both advisory ``flock`` locks that the kernel drops when their process dies
(so a killed build or reader never leaves a lock that blocks anyone):

* :class:`BuildLock` — one build at a time per data directory: ``DIR/.lock`` through the
  `filelock <https://py-filelock.readthedocs.io>`_ package, and ``DIR/.lock.owner`` naming the
  holder's pid for the message a second build gets ("another build is running (pid N)"). An
  owner file left by a dead process is stale and simply replaced.
* :class:`Lease` — a shared lock on one build directory, held by every process that has it
  loaded. A build removes an old build only when it can take that directory exclusively
  (:func:`exclusive`), so a long-running reader keeps its files; the next build removes it.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from ..errors import OutputFailed, TrackerError


def _host() -> str:
    """This machine's name, as ``socket.gethostname()`` gives it (without loading socket,
    which every command reading the data would otherwise pay for)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket  # pragma: no cover - Windows

    return socket.gethostname()


try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no leases, builds still exclusive
    fcntl = None  # type: ignore[assignment]

__all__ = ["LOCK", "OWNER", "BuildLock", "BuildRunning", "Lease", "LeaseBusy", "exclusive"]

LOCK = ".lock"
OWNER = ".lock.owner"
#: errno values of file systems without flock: there the lease is skipped, never an error.
_NO_FLOCK = {errno.ENOLCK, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}


class BuildRunning(TrackerError, BlockingIOError):
    """Another build holds the lock of the data directory (exit code 2)."""

    exit_code: ClassVar[int] = 2


class LeaseBusy(Exception):
    """The build directory is locked exclusively: a build is removing it."""


def pid_alive(pid: int) -> bool:
    """True when a process *pid* exists on this machine (any owner)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_owner(root: Path) -> dict:
    """The ``{"pid", "host", "started"}`` record of the last build lock holder ({} if none)."""
    try:
        data = json.loads((root / OWNER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class BuildLock:
    """The exclusive build lock of a data directory (``with BuildLock(root): ...``).

    Parameters
    ----------
    root
        The data directory (must exist).
    wait
        Seconds to wait for a running build to finish; 0 (default) fails at once.

    Raises
    ------
    BuildRunning
        ``another build is running (pid N)`` when the lock is held after *wait* seconds.
    OutputFailed
        When the lock file cannot be created (read-only or unwritable directory).
    """

    def __init__(self, root: str | os.PathLike[str], *, wait: float = 0.0) -> None:
        from filelock import FileLock

        self.root = Path(root)
        self.wait = wait
        self._lock = FileLock(str(self.root / LOCK), timeout=wait)
        self.stale: dict = {}

    def acquire(self) -> BuildLock:
        """Take the lock (see the class docstring); return self."""
        from filelock import Timeout

        previous = read_owner(self.root)
        try:
            self._lock.acquire()
        except Timeout as err:
            owner = read_owner(self.root)
            pid = owner.get("pid")
            where = ""
            if isinstance(pid, int) and owner.get("host") not in (None, _host()):
                where = f" on {owner['host']}"
            elif isinstance(pid, int) and not pid_alive(pid):
                where = ", not visible from here"
            waited = f" after waiting {self.wait:g} s" if self.wait else ""
            raise BuildRunning(
                f"another build is running (pid {pid if isinstance(pid, int) else 'unknown'}"
                f"{where}) in {self.root}{waited}; wait for it to finish, or pass --wait SECONDS"
            ) from err
        except OSError as err:
            raise OutputFailed(
                f"cannot create the build lock {self.root / LOCK}: {err.strerror or err}; make "
                f"{self.root} writable or set TRACKER_DATA_DIR to a writable directory"
            ) from err
        pid = previous.get("pid")
        if isinstance(pid, int) and pid != os.getpid():
            self.stale = previous  # the holder died without releasing: its record is stale
        record = {
            "pid": os.getpid(),
            "host": _host(),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        tmp = self.root / f"{OWNER}.tmp-{os.getpid()}"
        try:
            tmp.write_text(json.dumps(record), encoding="utf-8")
            os.replace(tmp, self.root / OWNER)
        except OSError as err:
            tmp.unlink(missing_ok=True)
            self._lock.release()
            raise OutputFailed(
                f"cannot write {self.root / OWNER}: {err.strerror or err}; make {self.root} "
                "writable or set TRACKER_DATA_DIR to a writable directory"
            ) from err
        return self

    def release(self) -> None:
        """Drop the owner record (when it is still ours) and release the lock."""
        if read_owner(self.root).get("pid") == os.getpid():
            (self.root / OWNER).unlink(missing_ok=True)
        self._lock.release()

    @property
    def held(self) -> bool:
        """True while this process holds the lock."""
        return bool(self._lock.is_locked)

    def __enter__(self) -> BuildLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


class Lease:
    """A shared lock on a build directory while this process may read it.

    Raises
    ------
    LeaseBusy
        When a build is removing the directory (it holds it exclusively).
    FileNotFoundError
        When the directory does not exist (or was removed while the lease was being taken).
    """

    def __init__(self, path: Path) -> None:
        flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
        self.path = path
        self._fd: int | None = None
        self._fd = os.open(path, flags)
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(self._fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                except BlockingIOError as err:
                    raise LeaseBusy(str(path)) from err
                except OSError as err:
                    if err.errno not in _NO_FLOCK:
                        raise
            mine, there = os.fstat(self._fd), os.stat(path)
            if (mine.st_dev, mine.st_ino) != (there.st_dev, there.st_ino):
                raise FileNotFoundError(errno.ENOENT, "build directory was replaced", str(path))
        except BaseException:
            self.close()
            raise

    def close(self, _close: Callable[[int], None] = os.close, _suppress: type = suppress) -> None:
        """Release the lease (idempotent; safe while the interpreter shuts down: what it
        calls is bound as defaults, since module globals may already be gone)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with _suppress(OSError):
                _close(fd)

    def __del__(self) -> None:
        self.close()


@contextmanager
def exclusive(path: Path) -> Iterator[bool]:
    """Hold *path* (a build directory) exclusively if no reader leases it; yield whether it is.

    Yields True on file systems without flock (nothing can be known there).
    """
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        free = True
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                free = False
            except OSError as err:
                if err.errno not in _NO_FLOCK:
                    raise
        yield free
    finally:
        os.close(fd)
