"""The article store: open it, check and upgrade its schema, write and read articles.

:class:`ArticleStore` is the one object that talks to the database. It is opened on a
``--db`` value (:func:`tracker.store.engine.locate`); a new store (an SQLite file not there
yet, an empty PostgreSQL database) is created at the newest schema on first write, an older
schema is upgraded automatically on first use (Alembic, the migrations shipped in
``tracker/store/migrations``; ``tracker db upgrade`` does it explicitly), and a schema newer
than this tracker's is refused (exit 3) with the fix.

Writes are one transaction per batch of articles (:meth:`ArticleStore.write`): an article is
stored whole (its row, mentions and claims) or not at all, whatever kills the process. A
writer that finds the store locked by another one retries the whole batch until
``TRACKER_DB_TIMEOUT`` (default 120 s) and says once that it waits.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from ..errors import StoreError
from ..version import __version__
from . import schema
from .engine import StoreLocation, create_engine, is_retryable, locate, timeout_s, translated
from .rows import ArticleRows

__all__ = [
    "MIGRATIONS",
    "ArticleStore",
    "Outcome",
    "WriteResult",
    "ensure_geometry",
    "metadata_change",
    "open_store",
]

#: The Alembic scripts (package data).
MIGRATIONS = Path(__file__).with_name("migrations")
#: Fault injection for the tests, ``K:SECONDS``: the write transactions after the first K of
#: the process sleep SECONDS after their first article's rows are written, before the commit
#: (a line "store: paused in a write transaction" on stderr says when), so that a test can
#: kill the process right there or make another writer wait.
TEST_PAUSE_ENV = "TRACKER_STORE_TEST_PAUSE_IN_WRITE"
_ADVISORY_LOCK = 0x7472616B  # "trak": serialises migrations of one PostgreSQL database
_OUR_TABLES = frozenset({"articles", "mentions", "claims"})

Outcome = Literal["new", "unchanged", "new version", "updated", "reprocessed"]


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What storing one article did.

    Attributes
    ----------
    outcome : Outcome
        ``new``; ``unchanged`` (that text is stored already); ``new version`` (a new text
        under a URL already stored: the old version is kept); ``updated`` (the stored text
        with metadata it lacked, or with ``replace``); ``reprocessed``.
    id : str
        The stable article id.
    name : str
        The reader's name of the article (the file stem).
    version : int
        Its version under its URL (1 without a URL).
    mentions, claims : int
        How many it has.
    note : str or None
        Why an ``unchanged`` article was not updated (its metadata differs), and so on.
    """

    outcome: Outcome
    id: str
    name: str
    version: int = 1
    mentions: int = 0
    claims: int = 0
    note: str | None = None
    previous_id: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def open_store(db: str | None = None, *, create: bool = False) -> ArticleStore:
    """Open the store named by *db* (see :func:`tracker.store.engine.locate`).

    Parameters
    ----------
    db
        ``--db`` value; default ``TRACKER_DB``, else the SQLite file in the user data
        directory.
    create
        Create the store when it does not exist yet (writers); readers get a
        :class:`~tracker.errors.StoreError` (exit 3) saying to ingest articles first.
    """
    return ArticleStore(locate(db), create=create)


@dataclass
class _Waiting:
    said: bool = False
    on_wait: Callable[[str], None] | None = None


class ArticleStore:
    """An open article store (see the module docstring).

    Use it as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        location: StoreLocation,
        *,
        create: bool = False,
        on_note: Callable[[str], None] | None = None,
    ) -> None:
        self.location = location
        self.notes: list[str] = []
        self._on_note = on_note
        self._writes = 0  # write transactions begun (for TEST_PAUSE_ENV)
        if not location.exists and not create:
            raise StoreError(
                f"no article store at {location.path} yet; store articles first: "
                f"tracker ingest ARTICLES... --db {location.display}"
                if not location.is_default
                else f"no article store yet ({location.path}); store articles first: "
                "tracker ingest ARTICLES..."
            )
        self.engine: Engine = create_engine(location)
        self.revision: str | None = None
        try:
            with translated(location):
                self._check_schema(create=create)
        except BaseException:
            self.engine.dispose()
            raise

    # -- life ----------------------------------------------------------------------------------
    def __enter__(self) -> ArticleStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"ArticleStore({self.location.display!r}, schema {self.revision})"

    def _note(self, message: str) -> None:
        self.notes.append(message)
        if self._on_note is not None:
            self._on_note(message)

    # -- schema --------------------------------------------------------------------------------
    def _read_revision(self, conn: Connection) -> tuple[str | None, set[str]]:
        tables = set(sa.inspect(conn).get_table_names())
        if "alembic_version" not in tables:
            return None, tables
        rows = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
        return (rows[0] if rows else None), tables

    def _check_schema(self, *, create: bool) -> None:
        with self.engine.connect() as conn:
            revision, tables = self._read_revision(conn)
        if revision is None and tables & _OUR_TABLES:
            raise StoreError(
                f"{self.location.display} holds tables named {sorted(tables & _OUR_TABLES)} but "
                "no tracker schema version; it is not an article store: give another --db"
            )
        if revision is not None and revision not in schema.KNOWN_REVISIONS:
            raise StoreError(
                f"the article store {self.location.display} has schema version {revision}, "
                f"newer than this tracker's {schema.SCHEMA_HEAD} (tracker {__version__}); "
                "upgrade the tracker (pip install -U frontline-tracker) to use it, or give "
                "another --db"
            )
        if revision == schema.SCHEMA_HEAD:
            self.revision = revision
            return
        if revision is None and not create:
            raise StoreError(
                f"{self.location.display} is not an article store yet; store articles first: "
                f"tracker ingest ARTICLES... --db {self.location.display}"
            )
        self.upgrade()

    def upgrade(self) -> tuple[str | None, str]:
        """Bring the schema to :data:`~tracker.store.schema.SCHEMA_HEAD` (Alembic), in one
        transaction that no other process can run at the same time; also add the PostGIS
        point columns when PostGIS has become available. Returns ``(before, after)``."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with translated(self.location), self.engine.connect() as raw:
            conn = raw.execution_options(tracker_write=True)
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_LOCK})
                before, _ = self._read_revision(conn)
                if before is not None and before not in schema.KNOWN_REVISIONS:
                    raise StoreError(
                        f"the article store {self.location.display} has schema version "
                        f"{before}, newer than this tracker's {schema.SCHEMA_HEAD}; upgrade the "
                        "tracker (pip install -U frontline-tracker)"
                    )
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                ensure_geometry(conn)
        self.revision = schema.SCHEMA_HEAD
        if before is not None and before != schema.SCHEMA_HEAD:
            self._note(
                f"upgraded the article store {self.location.display} from schema {before} "
                f"to {schema.SCHEMA_HEAD}"
            )
        return before, schema.SCHEMA_HEAD

    @property
    def postgis(self) -> str | None:
        """The PostGIS version when the ``geom`` point columns exist (PostgreSQL), else None."""
        if self.location.engine != "postgresql":
            return None
        with translated(self.location), self.engine.connect() as conn:
            if not _has_geometry(conn):
                return None
            return conn.execute(
                sa.text("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
            ).scalar()

    # -- writing -------------------------------------------------------------------------------
    def write(
        self,
        batch: Sequence[tuple[ArticleRows, str]],
        *,
        replace: bool = False,
        reprocess: bool = False,
        on_wait: Callable[[str], None] | None = None,
    ) -> list[WriteResult]:
        """Store a batch of articles in one transaction.

        Parameters
        ----------
        batch
            ``(rows, data_build)`` per article (:func:`tracker.store.rows.to_rows`).
        replace
            Store an article already stored again with the metadata given now.
        reprocess
            The rows are a new parse of stored articles: replace their mentions and claims
            and record the tracker version and data build (outcome ``reprocessed``).
        on_wait
            Called once, with a message, when another writer holds the store.

        Returns
        -------
        list of WriteResult
            One per article, in order.
        """
        waiting = _Waiting(on_wait=on_wait)
        deadline = time.monotonic() + timeout_s()
        delay = 0.05
        while True:
            try:
                with translated(self.location):
                    return self._write_once(batch, replace=replace, reprocess=reprocess)
            except StoreError as err:
                cause = err.__cause__
                if not (isinstance(cause, DBAPIError) and is_retryable(cause)):
                    raise
                if time.monotonic() + delay > deadline:
                    raise
                if not waiting.said:
                    waiting.said = True
                    if waiting.on_wait is not None:
                        waiting.on_wait(
                            f"the article store {self.location.display} is busy (another "
                            f"writer); waiting up to {timeout_s():.0f} s"
                        )
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    def _write_once(
        self, batch: Sequence[tuple[ArticleRows, str]], *, replace: bool, reprocess: bool
    ) -> list[WriteResult]:
        results: list[WriteResult] = []
        pause = self._test_pause()
        with self.engine.connect() as raw:
            conn = raw.execution_options(tracker_write=True)
            with conn.begin():
                for i, (rows, build) in enumerate(batch):
                    if reprocess:
                        results.append(self._replace_parse(conn, rows, build, "reprocessed"))
                    else:
                        results.append(self._store_one(conn, rows, build, replace=replace))
                    if pause and i == 0:
                        print("store: paused in a write transaction", file=sys.stderr, flush=True)
                        time.sleep(pause)
        return results

    def _test_pause(self) -> float:
        """Seconds to pause in this write transaction (:data:`TEST_PAUSE_ENV`)."""
        value = os.environ.get(TEST_PAUSE_ENV)
        self._writes += 1
        if not value:
            return 0.0
        skip, _, seconds = value.rpartition(":")
        return float(seconds) if self._writes > int(skip or 0) else 0.0

    def _store_one(
        self, conn: Connection, rows: ArticleRows, build: str, *, replace: bool
    ) -> WriteResult:
        a = rows.article
        art = schema.articles
        stored = conn.execute(sa.select(*_head(art)).where(art.c.id == a["id"])).mappings().first()
        n_mentions, n_claims = len(rows.mentions), len(rows.claims)
        if stored is not None:
            fill, clash = metadata_change(a, dict(stored), replace=replace)
            if not fill:
                note = None
                if clash:
                    note = (
                        f"stored already with {', '.join(clash)}; kept as stored (ingest "
                        "--replace stores it with the metadata given now)"
                    )
                return WriteResult(
                    "unchanged",
                    a["id"],
                    stored["name"],
                    stored["version"],
                    note=note,
                    mentions=n_mentions,
                    claims=n_claims,
                )
            return self._replace_parse(conn, rows, build, "updated")
        version, previous = 1, None
        if a["url"] is not None:
            current = (
                conn.execute(
                    sa.select(art.c.id, art.c.version)
                    .where(art.c.url == a["url"], art.c.is_current.is_(True))
                    .order_by(art.c.version.desc())
                )
                .mappings()
                .first()
            )
            if current is not None:
                version, previous = current["version"] + 1, current["id"]
                conn.execute(sa.update(art).where(art.c.id == previous).values(is_current=False))
        conn.execute(
            sa.insert(art).values(
                **a,
                ingested_at=_now(),
                tracker_version=__version__,
                data_build=build,
                version=version,
                previous_id=previous,
                is_current=True,
            )
        )
        self._insert_parse(conn, rows)
        outcome: Outcome = "new version" if previous else "new"
        return WriteResult(
            outcome, a["id"], a["name"], version, n_mentions, n_claims, previous_id=previous
        )

    def _insert_parse(self, conn: Connection, rows: ArticleRows) -> None:
        if rows.mentions:
            conn.execute(sa.insert(schema.mentions), rows.mentions)
        if rows.claims:
            conn.execute(sa.insert(schema.claims), rows.claims)

    def _replace_parse(
        self, conn: Connection, rows: ArticleRows, build: str, outcome: Outcome
    ) -> WriteResult:
        """Replace a stored article's mentions and claims (and metadata) by *rows*."""
        a = rows.article
        art = schema.articles
        conn.execute(sa.delete(schema.claims).where(schema.claims.c.article_id == a["id"]))
        conn.execute(sa.delete(schema.mentions).where(schema.mentions.c.article_id == a["id"]))
        keep = {k: v for k, v in a.items() if k not in ("id", "text", "bytes", "name", "path")}
        updated = conn.execute(
            sa.update(art)
            .where(art.c.id == a["id"])
            .values(**keep, reprocessed_at=_now(), tracker_version=__version__, data_build=build)
            .returning(art.c.version, art.c.name)
        ).first()
        if updated is None:
            raise StoreError(f"article {a['id']} is no longer in {self.location.display}")
        self._insert_parse(conn, rows)
        return WriteResult(
            outcome,
            a["id"],
            updated.name,
            updated.version,
            mentions=len(rows.mentions),
            claims=len(rows.claims),
        )

    # -- reading -------------------------------------------------------------------------------
    @contextlib.contextmanager
    def connect(self) -> Iterator[Connection]:
        """``with store.connect() as conn``: a read connection, errors translated."""
        with translated(self.location), self.engine.connect() as conn:
            yield conn

    def known(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored metadata (url, title, source, published, version, name) of those
        of *ids* that are stored."""
        wanted = list(dict.fromkeys(ids))
        art = schema.articles
        out: dict[str, dict[str, Any]] = {}
        with self.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                for row in conn.execute(
                    sa.select(*_head(art)).where(art.c.id.in_(chunk))
                ).mappings():
                    out[row["id"]] = dict(row)
        return out


def _head(art: sa.Table) -> tuple[sa.Column[Any], ...]:
    """The columns that say which article a stored row is, and what is known about it."""
    c = art.c
    return (c.id, c.url, c.title, c.source, c.published, c.version, c.name)


def metadata_change(
    new: Mapping[str, Any], old: Mapping[str, Any], *, replace: bool = False
) -> tuple[dict[str, Any], list[str]]:
    """What storing an article again with the metadata *new* would change in *old*.

    Returns ``(fill, clash)``: the values to write (those *old* lacks, or every differing one
    with *replace*), and a description of each value that differs and is kept.
    """
    fill: dict[str, Any] = {}
    clash: list[str] = []
    for key in ("url", "title", "source", "published"):
        value, stored = new.get(key), old.get(key)
        if value is None or value == stored:
            continue
        if stored is None or replace:
            fill[key] = value
        else:
            clash.append(f"{key} {_show(stored)} (given {_show(value)})")
    return fill, clash


def _show(value: Any) -> str:
    return repr(value.isoformat() if hasattr(value, "isoformat") else value)


# -- PostGIS -----------------------------------------------------------------------------------


def _has_geometry(conn: Connection) -> bool:
    return bool(
        conn.execute(
            sa.text(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = 'mentions' AND column_name = 'geom'"
            )
        ).first()
    )


def ensure_geometry(conn: Connection) -> bool:
    """On PostgreSQL, add ``geom`` point columns (EPSG:4326, generated from lon / lat,
    GiST-indexed) to ``mentions`` and ``claims`` when PostGIS is installed or can be
    (``CREATE EXTENSION postgis``); idempotent. Returns True when the columns exist.

    Without PostGIS (not installed on the server, or no right to create the extension) the
    store keeps plain lon / lat columns, which is all the tracker itself needs.
    """
    if conn.dialect.name != "postgresql":
        return False
    if not _extension(conn):
        return False
    if _has_geometry(conn):
        return True
    for table in ("mentions", "claims"):
        conn.execute(
            sa.text(
                f"ALTER TABLE {table} ADD COLUMN geom geometry(Point, 4326) GENERATED ALWAYS AS "
                "(ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED"
            )
        )
        conn.execute(sa.text(f"CREATE INDEX ix_{table}_geom ON {table} USING gist (geom)"))
    return True


def _extension(conn: Connection) -> bool:
    """True when PostGIS is (or could now be) installed in this database."""
    present = conn.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")).first()
    if present:
        return True
    available = conn.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
    ).first()
    if not available:
        return False
    savepoint = conn.begin_nested()
    try:
        conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
    except DBAPIError:  # no right to create it: plain lon / lat
        savepoint.rollback()
        return False
    savepoint.commit()
    return True
