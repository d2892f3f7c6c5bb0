"""Fixtures for the article-store tests: a real SQLite file and a real PostgreSQL server.

``tests/conftest.py`` registers them for every test module.

``engine`` is parametrised over ``sqlite`` and ``postgresql``; ``new_db`` gives a fresh, empty
store URL of that engine per test (a file in ``tmp_path``; a new database on the server, dropped
afterwards). The PostgreSQL server is named by ``TRACKER_TEST_POSTGRES`` (a superuser URL such
as ``postgresql://postgres@127.0.0.1:5433/postgres``; ``.ci/run`` starts one and sets it). Without
it the PostgreSQL cases are skipped locally, and fail under CI (``CI=true``), which always sets it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ENV = "TRACKER_TEST_POSTGRES"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ARTICLES = SHARED / "articles"
#: The example articles and their dates (../shared/articles/README.md).
EXAMPLES = {
    "000_3887827409b130bc.txt": "2025-06-08",
    "001_dc9c6a9d17563651.txt": "2025-05-07",
    "004_35ed6482ca630a39.txt": "2025-08-27",
}
ENGINES = ("sqlite", "postgresql")


def pg_admin_url() -> str | None:
    """The server of ``TRACKER_TEST_POSTGRES`` (None when unset; a failure under CI)."""
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set under CI: .ci/run must start PostgreSQL")
        return None
    return url


def require_engine(engine: str) -> None:
    """Skip a PostgreSQL case when no server is given (never under CI)."""
    if engine == "postgresql" and pg_admin_url() is None:
        pytest.skip(f"no PostgreSQL server: set {PG_ENV}=postgresql://USER@HOST:PORT/postgres")


def _admin_exec(sql: str) -> None:
    import sqlalchemy as sa

    url = pg_admin_url()
    assert url is not None
    engine = sa.create_engine(
        url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


def create_pg_database() -> str:
    """A new, empty database on the test server; its URL."""
    from sqlalchemy.engine import make_url

    name = f"tracker_test_{uuid.uuid4().hex[:12]}"
    _admin_exec(f'CREATE DATABASE "{name}"')
    url = make_url(pg_admin_url() or "").set(database=name)
    return url.render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    """Drop a database made by :func:`create_pg_database`."""
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    _admin_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fresh_url(engine: str, directory: Path) -> str:
    """A new store URL of *engine* (call :func:`drop_url` when done)."""
    if engine == "sqlite":
        return f"sqlite:///{directory / f'store-{uuid.uuid4().hex[:8]}.sqlite'}"
    return create_pg_database()


def drop_url(url: str) -> None:
    """Drop the PostgreSQL database of *url* (nothing for SQLite: tmp_path goes)."""
    if url.startswith("postgresql"):
        drop_pg_database(url)


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    """``sqlite`` or ``postgresql`` (skipped without a server, except under CI)."""
    require_engine(request.param)
    return request.param


@pytest.fixture
def new_db(engine, tmp_path) -> Iterator[str]:
    """A fresh, empty store URL of the engine."""
    url = fresh_url(engine, tmp_path)
    try:
        yield url
    finally:
        drop_url(url)


def run(*args: str, input: str | None = None):
    """``tracker ARGS`` in this process (click's CliRunner); the result has ``exit_code``,
    ``stdout`` and ``stderr``."""
    from click.testing import CliRunner

    from tracker.cli import main

    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def ingest_examples(url: str) -> list:
    """Ingest the three example articles, each with its date; the three results."""
    results = []
    for name, day in EXAMPLES.items():
        result = run("ingest", str(ARTICLES / name), "--db", url, "--date", day, "--jobs", "1")
        assert result.exit_code == 0, result.stderr
        results.append(result)
    return results
