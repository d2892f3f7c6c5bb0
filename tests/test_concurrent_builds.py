"""Builds are exclusive and readers never see a half-swapped data directory."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.builds import current_dir, fake_sources, leftovers, write_fake
from tracker.cli import main
from tracker.data.lock import OWNER, BuildLock, BuildRunning
from tracker.data.manifest import BUILDS, POINTER
from tracker.data.store import Store, reset

HOLDER = (
    "import sys\n"
    "from tracker.data.lock import BuildLock\n"
    "lock = BuildLock(sys.argv[1]).acquire()\n"
    "print('locked', flush=True)\n"
    "sys.stdin.read()\n"
)


@pytest.fixture(autouse=True)
def _fresh():
    reset()
    yield
    reset()


@pytest.fixture
def holder(tmp_path):
    """A live process holding the build lock of ``tmp_path / "data"``."""
    root = tmp_path / "data"
    root.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield root, proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_second_build_exits_2_naming_the_running_one(holder, tmp_path):
    root, proc = holder
    src = fake_sources(tmp_path / "src")
    result = CliRunner().invoke(
        main, ["data", "build", "--sources", str(src), "--data-dir", str(root)]
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"another build is running (pid {proc.pid})" in result.output
    assert not any((root / BUILDS).iterdir())  # it wrote nothing


def test_second_build_waits_then_gives_up(holder):
    root, proc = holder
    with pytest.raises(BuildRunning, match=rf"pid {proc.pid}\).*after waiting 0.2 s"):
        BuildLock(root, wait=0.2).acquire()


def test_second_build_waits_for_the_first(holder):
    root, proc = holder
    timer = threading.Timer(0.3, proc.stdin.close)  # the holder exits when its stdin closes
    timer.start()
    try:
        with BuildLock(root, wait=120) as lock:
            assert lock.held
    finally:
        timer.cancel()


def test_lock_of_a_killed_build_is_stale(holder):
    root, proc = holder
    proc.kill()
    proc.wait()
    assert json.loads((root / OWNER).read_text())["pid"] == proc.pid  # left behind
    write_fake(root)  # the kernel dropped the flock with the process: no wait, no error
    assert Store(root).places["name"].tolist() == ["old"]


def test_stale_owner_record_of_a_dead_pid_is_replaced(tmp_path):
    root = tmp_path / "data"
    root.mkdir()
    dead = _dead_pid()
    (root / ".lock").write_text("")
    (root / OWNER).write_text(json.dumps({"pid": dead, "host": "here", "started": "then"}))
    with BuildLock(root) as lock:
        assert lock.stale["pid"] == dead
        assert json.loads((root / OWNER).read_text())["pid"] != dead
    assert not (root / OWNER).exists()  # released cleanly: no record left
    write_fake(root)
    assert leftovers(root) == []


# -- readers during a swap -----------------------------------------------------------------------


def test_reader_sees_old_before_and_new_after_the_switch(tmp_path):
    root = tmp_path / "data"
    write_fake(root, "old")
    seen = {}

    def hook(point):
        if point in ("before-switch", "after-switch"):
            store = Store(root)
            seen[point] = store.places["name"].tolist()
            store.close()

    write_fake(root, "new", hook=hook)
    assert seen == {"before-switch": ["old"], "after-switch": ["new"]}
    assert leftovers(root) == []


def test_readers_loading_in_a_loop_while_builds_swap(tmp_path):
    """A thread loads the data over and over while builds are swapped in; every load gets a
    whole build (old or new), never an error. Each swap waits until the reader has seen it."""
    root = tmp_path / "data"
    write_fake(root, "v0")
    stop = threading.Event()
    seen: list[str] = []
    errors: list[BaseException] = []
    progressed = threading.Condition()

    def reader():
        while not stop.is_set():
            try:
                store = Store(root)
                name = store.places["name"].iloc[0]
                store.names  # a lazy read of another table of the same build  # noqa: B018
                store.close()
            except BaseException as err:
                errors.append(err)
                return
            with progressed:
                seen.append(name)
                progressed.notify_all()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        for i in range(1, 6):
            write_fake(root, f"v{i}")
            with progressed:
                assert progressed.wait_for(lambda i=i: f"v{i}" in seen or errors, timeout=120)
    finally:
        stop.set()
        thread.join(timeout=120)
    assert errors == []
    assert set(seen) <= {f"v{i}" for i in range(6)} and "v5" in seen
    # a build the reader still leased during a cleanup was kept; with the reader gone, the
    # next build removes it
    write_fake(root, "final")
    assert leftovers(root) == []


def test_a_long_running_reader_keeps_its_build(tmp_path):
    """A process that loaded a build keeps reading it after a swap; the next build removes it."""
    root = tmp_path / "data"
    write_fake(root, "old")
    reader = Store(root)
    old_dir = reader.directory
    write_fake(root, "new")
    assert old_dir.is_dir()  # leased: kept
    assert reader.names["variant"].tolist() == ["old"]  # lazy read after the swap
    assert Store(root).places["name"].tolist() == ["new"]
    reader.close()
    write_fake(root, "newer")
    assert not old_dir.exists()
    assert leftovers(root) == []


def test_pointer_switch_is_one_rename(tmp_path, monkeypatch):
    """There is always a `current` pointer naming a whole build: the switch is os.replace."""
    import os

    from tracker.data import publish

    root = tmp_path / "data"
    write_fake(root, "old")
    calls = []
    real_replace = os.replace

    def replace(src, dst):
        calls.append((Path(src).name, Path(dst).name))
        assert (root / POINTER).is_file()
        return real_replace(src, dst)

    monkeypatch.setattr(publish.os, "replace", replace)
    write_fake(root, "new")
    assert [c for c in calls if c[1] == POINTER] == [
        (f".{POINTER}.tmp-{current_dir(root).name}", POINTER)
    ]
