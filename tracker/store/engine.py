"""Where the article store is, how it is opened, and what its errors mean.

``--db`` (or ``TRACKER_DB``) names the store:

* nothing: an SQLite file in the user data directory (``platformdirs``), e.g.
  ``~/.local/share/frontline-tracker/store.sqlite`` on Linux (:func:`default_url`);
* ``sqlite:///relative/path.sqlite``, ``sqlite:////absolute/path.sqlite``, or a plain file path;
* ``postgresql://user:password@host:port/database`` (psycopg 3; ``postgres://`` and
  ``postgresql+psycopg://`` too).

SQLite is opened in WAL mode (readers never wait for the writer), with
``synchronous=FULL``, foreign keys on and a busy timeout; a write transaction starts with
``BEGIN IMMEDIATE`` so that two writers queue instead of failing half-way. Every database
error is translated into one line and an exit code (:func:`translated`): a damaged file is
:class:`~tracker.errors.StoreError` (exit 3, with what to do), a server that is down or a lock
held past the timeout :class:`~tracker.errors.StoreUnavailable` (exit 4).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from ..errors import InputError, StoreError, StoreUnavailable

__all__ = [
    "DB_ENV",
    "TIMEOUT_ENV",
    "StoreLocation",
    "create_engine",
    "default_url",
    "is_locked",
    "is_retryable",
    "locate",
    "translated",
]

#: Environment variable naming the store when ``--db`` is not given.
DB_ENV = "TRACKER_DB"
#: Environment variable: how many seconds a writer waits for another one (default 120).
TIMEOUT_ENV = "TRACKER_DB_TIMEOUT"
DEFAULT_TIMEOUT_S = 120.0
#: SQLite's own wait for a lock, per attempt (the writer retries until the timeout).
SQLITE_BUSY_MS = 1000

Engine_ = Literal["sqlite", "postgresql"]


def default_url() -> str:
    """The default store: ``store.sqlite`` in the user data directory.

    Examples
    --------
    >>> default_url().startswith("sqlite:///") and default_url().endswith("store.sqlite")
    True
    """
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('frontline-tracker')) / 'store.sqlite'}"


def timeout_s() -> float:
    """Seconds a writer waits for the store (``TRACKER_DB_TIMEOUT``, default 120)."""
    value = os.environ.get(TIMEOUT_ENV)
    if not value:
        return DEFAULT_TIMEOUT_S
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also NaN
        raise InputError(
            f"{TIMEOUT_ENV}={value!r} is not a number of seconds; give e.g. {TIMEOUT_ENV}=60"
        )
    return seconds


@dataclass(frozen=True)
class StoreLocation:
    """A store's URL, checked.

    Attributes
    ----------
    url : sqlalchemy.engine.URL
        What SQLAlchemy opens (``sqlite:///...`` or ``postgresql+psycopg://...``).
    engine : "sqlite" or "postgresql"
    path : Path or None
        The SQLite file (None for PostgreSQL).
    display : str
        The URL to show (password hidden).
    is_default : bool
        The default store (its directory is created when needed).
    """

    url: URL
    engine: Engine_
    path: Path | None
    display: str
    is_default: bool = False

    @property
    def exists(self) -> bool:
        """False for an SQLite file that is not there yet (a server database always exists)."""
        return self.path is None or self.path.exists()


def locate(db: str | None = None) -> StoreLocation:
    """Check a ``--db`` value (default ``TRACKER_DB``, else :func:`default_url`).

    Raises
    ------
    InputError
        For a URL of another database, a malformed URL, an in-memory SQLite database, or an
        SQLite path that is a directory or a device.

    Examples
    --------
    >>> locate("sqlite:///tmp/x.sqlite").path
    PosixPath('tmp/x.sqlite')
    >>> locate("postgresql://me:secret@localhost/tracker").display
    'postgresql://me:***@localhost/tracker'
    """
    given = db if db is not None else os.environ.get(DB_ENV) or None
    is_default = given is None
    text = default_url() if given is None else given.strip()
    if not text:
        raise InputError("--db is empty; give sqlite:///PATH, a file path or postgresql://...")
    if "://" not in text:  # a plain file path
        text = f"sqlite:///{Path(text).expanduser()}"
    try:
        url = make_url(text)
    except ArgumentError as err:
        raise InputError(
            f"--db {_hide_password(text)!r} is not a database URL; give sqlite:///PATH or "
            "postgresql://USER@HOST/DATABASE"
        ) from err
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
        return StoreLocation(url, "postgresql", None, _display(url), is_default)
    if backend != "sqlite":
        raise InputError(
            f"--db {_display(url)!r}: {backend!r} databases are not supported; give "
            "sqlite:///PATH or postgresql://USER@HOST/DATABASE"
        )
    if not url.database or url.database == ":memory:":
        raise InputError(
            f"--db {text!r} is an in-memory database, which would forget everything; give "
            "a file, e.g. sqlite:///tracker.sqlite"
        )
    path = Path(url.database).expanduser()
    _check_sqlite_path(path, text)
    return StoreLocation(
        url.set(database=str(path)), "sqlite", path, f"sqlite:///{path}", is_default
    )


def _check_sqlite_path(path: Path, given: str) -> None:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as err:
        raise InputError(f"--db {given!r}: {err.strerror or err}") from err
    if stat.S_ISDIR(mode):
        raise InputError(
            f"--db {given!r} is a directory; give a file inside it, e.g. "
            f"sqlite:///{path / 'store.sqlite'}"
        )
    if not stat.S_ISREG(mode):
        raise InputError(f"--db {given!r} is not a regular file; give an SQLite file")


def _hide_password(text: str) -> str:
    try:
        return _display(make_url(text))
    except ArgumentError:
        return text


def _display(url: URL) -> str:
    shown = url.set(drivername=url.get_backend_name())
    return shown.render_as_string(hide_password=True)


def create_engine(location: StoreLocation) -> Engine:
    """An engine for *location*: SQLite in WAL mode with ``BEGIN IMMEDIATE`` for writes, or
    PostgreSQL through psycopg 3.

    A connection opened with ``execution_options(tracker_write=True)`` begins its
    transactions as a writer (SQLite: ``BEGIN IMMEDIATE``, so that a second writer waits for
    the lock before it reads anything it would then overwrite).
    """
    if location.engine == "postgresql":
        try:
            return sa.create_engine(
                location.url,
                pool_pre_ping=True,
                connect_args={"connect_timeout": 10, "application_name": "frontline-tracker"},
            )
        except ModuleNotFoundError as err:  # pragma: no cover - psycopg is a dependency
            raise InputError(
                "PostgreSQL needs psycopg 3: pip install 'frontline-tracker[postgres]'"
            ) from err
    assert location.path is not None
    if location.is_default:
        location.path.parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        location.url, connect_args={"timeout": SQLITE_BUSY_MS / 1000}, poolclass=sa.NullPool
    )

    @event.listens_for(engine, "connect")
    def _sqlite_connect(dbapi_conn: Any, record: Any) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun below, explicitly
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get("tracker_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


# -- errors ------------------------------------------------------------------------------------

_DAMAGED = (
    "file is not a database",
    "database disk image is malformed",
    "malformed database schema",
    "file is encrypted",
)


def is_locked(err: BaseException) -> bool:
    """True for "another writer holds the lock" (SQLite busy / locked)."""
    text = str(getattr(err, "orig", err)).lower()
    return "database is locked" in text or "database is busy" in text or text == "locked"


def is_retryable(err: BaseException) -> bool:
    """True for errors that another writer caused and that a retry of the whole transaction
    resolves: SQLite busy, PostgreSQL serialisation failures, deadlocks and unique
    violations of a row the other writer has just stored."""
    if is_locked(err):
        return True
    orig = getattr(err, "orig", None)
    code = getattr(orig, "sqlstate", None)
    return code in ("40001", "40P01", "23505")


def damaged_message(location: StoreLocation, reason: str) -> str:
    """The one line for a damaged SQLite store, with what to do."""
    path = location.path
    return (
        f"the article store {path} is damaged ({reason}); move it aside "
        f"(mv {path} {path}.damaged) and ingest the articles again, or restore a backup "
        f"(`sqlite3 {path}.damaged .recover | sqlite3 NEW.sqlite` may save what is left)"
    )


@contextlib.contextmanager
def translated(location: StoreLocation) -> Iterator[None]:
    """Turn database errors raised inside the block into :class:`StoreError` (exit 3) or
    :class:`StoreUnavailable` (exit 4) with one line naming the store and the fix."""
    try:
        yield
    except DBAPIError as err:
        raise _translate(location, err) from err


def _translate(location: StoreLocation, err: DBAPIError) -> Exception:
    orig = err.orig
    text = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    lowered = text.lower()
    if location.engine == "sqlite":
        if any(marker in lowered for marker in _DAMAGED):
            return StoreError(damaged_message(location, text))
        if is_locked(err):
            return StoreUnavailable(
                f"the article store {location.path} stayed locked by another writer for "
                f"longer than the timeout; try again when it is done, or raise {TIMEOUT_ENV} "
                "(seconds)"
            )
        if "unable to open" in lowered or "readonly" in lowered or "read-only" in lowered:
            return StoreUnavailable(
                f"cannot write the article store {location.path} ({text}); check that its "
                "directory exists and is writable, or give another --db"
            )
        if "disk is full" in lowered or "disk i/o" in lowered:
            return StoreUnavailable(
                f"cannot write the article store {location.path} ({text}); free some space "
                "and run the command again (nothing half-written was kept)"
            )
        return StoreError(f"the article store {location.path}: {text}")
    if isinstance(err, sa.exc.OperationalError) and any(
        word in lowered for word in ("connect", "server", "resolve host", "translate host")
    ):
        return StoreUnavailable(
            f"cannot connect to the article store {location.display} ({text}); check that "
            "the server runs and the URL, user and password are right"
        )
    if "permission denied" in lowered:
        return StoreUnavailable(
            f"the article store {location.display}: {text}; the user needs the rights to "
            "create tables (or run `tracker db upgrade` once as the database owner)"
        )
    if is_retryable(err):
        return StoreUnavailable(
            f"the article store {location.display} stayed busy with another writer for longer "
            f"than the timeout ({text}); try again, or raise {TIMEOUT_ENV} (seconds)"
        )
    return StoreError(f"the article store {location.display}: {text}")
