"""The store never loses or corrupts: kill -9 during an ingest of 200 articles (inside a write
transaction, and at a random moment), then a completing re-ingest; two ingests at once. Real
processes on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.store_fixtures import ARTICLES, EXAMPLES

PAUSE_ENV = "TRACKER_STORE_TEST_PAUSE_IN_WRITE"
MARKER = "store: paused in a write transaction"


@pytest.fixture(autouse=True)
def _data(built):
    return built


def generate(directory: Path, first: int, last: int) -> Path:
    """Articles *first* .. *last* - 1 made from the example texts: each its own text (a
    dispatch number), URL and date."""
    directory.mkdir(parents=True, exist_ok=True)
    texts = [(ARTICLES / name).read_text(encoding="utf-8") for name in EXAMPLES]
    for i in range(first, last):
        day = date(2025, 5, 1) + timedelta(days=(7 * i) % 120)
        body = f"Dispatch {i:03d}.\n\n{texts[i % len(texts)]}"
        (directory / f"dispatch_{i:03d}.md").write_text(
            f"---\ndate: {day}\nurl: https://example.org/dispatch/{i}\n---\n{body}",
            encoding="utf-8",
        )
    return directory


def tracker_process(*args: str, pause: str | None = None) -> subprocess.Popen:
    """``tracker ARGS`` in a new process (stdout and stderr piped, as text)."""
    env = {**os.environ}
    env.pop(PAUSE_ENV, None)
    if pause is not None:
        env[PAUSE_ENV] = pause
    return subprocess.Popen(
        [sys.executable, "-c", "from tracker.cli import main; main()", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_marker(proc: subprocess.Popen, timeout: float = 240.0) -> None:
    """Read the process's stderr until it says it paused in a write transaction."""
    assert proc.stderr is not None
    deadline = time.monotonic() + timeout
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if MARKER in line:
            return
        if time.monotonic() > deadline:
            break
    proc.kill()
    pytest.fail(f"the ingest never paused in a write transaction: {''.join(seen)[-2000:]}")


def consistency(url: str) -> int:
    """Check that every stored article is whole (its counted mentions and claims all there,
    nothing orphaned; SQLite integrity_check ok); the number of articles."""
    from tracker.store import open_store

    with open_store(url) as store, store.connect() as conn:
        if store.location.engine == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        partial = conn.execute(
            sa.text(
                "SELECT a.id FROM articles a WHERE a.n_mentions <> "
                "(SELECT count(*) FROM mentions m WHERE m.article_id = a.id) OR a.n_claims <> "
                "(SELECT count(*) FROM claims c WHERE c.article_id = a.id)"
            )
        ).all()
        assert partial == [], "half-stored articles"
        orphans = conn.execute(
            sa.text(
                "SELECT count(*) FROM mentions m WHERE NOT EXISTS "
                "(SELECT 1 FROM articles a WHERE a.id = m.article_id)"
            )
        ).scalar()
        assert orphans == 0
        empty = conn.execute(sa.text("SELECT count(*) FROM articles WHERE n_mentions = 0")).scalar()
        assert empty == 0  # every example text names places
        return int(conn.execute(sa.text("SELECT count(*) FROM articles")).scalar() or 0)


def stored_count(url: str) -> int:
    from tracker.store import open_store
    from tracker.store.engine import locate

    if not locate(url).exists:
        return 0
    with open_store(url) as store, store.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM articles")).scalar() or 0)


def test_kill_during_ingest_then_complete(engine, new_db, tmp_path):
    articles = generate(tmp_path / "articles", 0, 200)
    ingest = ("ingest", str(articles), "--db", new_db, "--batch", "10", "--jobs", "1")
    # 1. killed inside its second write transaction: the first batch is whole, the second absent
    proc = tracker_process(*ingest, pause="1:120")
    wait_for_marker(proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert consistency(new_db) == 10
    # 2. killed at a random moment once more has been stored
    proc = tracker_process(*ingest)
    deadline = time.monotonic() + 240
    while stored_count(new_db) < 20 and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(random.uniform(0.0, 1.5))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    killed_at = consistency(new_db)
    assert 20 <= killed_at < 200
    # 3. the next ingest stores the rest, and only the rest
    done = tracker_process(*ingest[:-2], "--jobs", "2")
    out, err = done.communicate(timeout=900)
    assert done.returncode == 0, err
    lines = out.splitlines()
    assert len(lines) == 200
    assert sum(line.startswith("unchanged ") for line in lines) == killed_at
    assert sum(line.startswith("new ") for line in lines) == 200 - killed_at
    assert consistency(new_db) == 200


def test_two_ingests_at_once(engine, new_db, tmp_path):
    generate(tmp_path / "a", 0, 30)
    generate(tmp_path / "b", 10, 40)  # 10..29 in both
    common = ("--db", new_db, "--batch", "5", "--jobs", "1")
    first = tracker_process("ingest", str(tmp_path / "a"), *common, pause="0:6")
    wait_for_marker(first)  # holds its first write transaction open for 6 s
    second = tracker_process("ingest", str(tmp_path / "b"), *common)
    out2, err2 = second.communicate(timeout=600)
    out1, err1 = first.communicate(timeout=600)
    assert first.returncode == 0, err1
    assert second.returncode == 0, err2
    if engine == "sqlite":  # the second writer met the lock and said that it waits
        assert "is busy (another writer); waiting" in err2
    assert consistency(new_db) == 40
    outcomes = [line.split()[0] for line in (out1 + out2).splitlines()]
    assert outcomes.count("new") == 40 and outcomes.count("unchanged") == 20
