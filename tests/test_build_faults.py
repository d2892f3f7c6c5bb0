"""Fault injection into the write/swap half of the build, with small fake tables.

A hook raises (or the process dies) at each step of :func:`tracker.data.publish.write_build`;
the old build must still load and answer, and after the next successful write nothing stale
may remain (no partial build, no old build, no temporary pointer).
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.builds import current_dir, fake_sources, leftovers, write_fake
from tracker.cli import main
from tracker.data import publish
from tracker.data.manifest import BUILDS, MANIFEST, POINTER, TABLES
from tracker.data.store import Store, load, reset
from tracker.errors import OutputFailed

BEFORE_SWITCH = ["cleaned-stale", "wrote places", "wrote names", "wrote interior", "before-switch"]


class Injected(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def _fresh():
    reset()
    yield
    reset()


def _raise_at(where: str):
    def hook(point: str) -> None:
        if point == where:
            raise Injected(point)

    return hook


def _answers(root: Path, tag: str) -> None:
    """The data directory loads and answers from the build tagged *tag*."""
    reset()
    store = load(root)
    assert store.places["name"].tolist() == [tag]
    assert store.names["variant"].tolist() == [tag]
    assert store.manifest["tag"] == tag
    assert CliRunner().invoke(main, ["data", "status", "--data-dir", str(root)]).exit_code == 0
    reset()


@pytest.mark.parametrize("point", BEFORE_SWITCH)
def test_failure_before_the_switch_keeps_the_old_build(tmp_path, point):
    root = tmp_path / "data"
    write_fake(root, "old")
    with pytest.raises(Injected):
        write_fake(root, "new", hook=_raise_at(point))
    _answers(root, "old")
    assert leftovers(root) == []  # the partial build was removed on the way out
    write_fake(root, "next")
    _answers(root, "next")
    assert leftovers(root) == []


def test_failure_after_the_switch_leaves_the_new_build(tmp_path):
    root = tmp_path / "data"
    write_fake(root, "old")
    with pytest.raises(Injected):
        write_fake(root, "new", hook=_raise_at("after-switch"))
    _answers(root, "new")
    assert len(leftovers(root)) == 1  # the old build, not cleaned yet
    write_fake(root, "next")
    _answers(root, "next")
    assert leftovers(root) == []


KILLER = (
    "import os, sys\n"
    "from pathlib import Path\n"
    "from tests.builds import write_fake\n"
    "def hook(point):\n"
    "    if point == sys.argv[2]:\n"
    "        os._exit(9)\n"
    "write_fake(Path(sys.argv[1]), 'new', hook=hook)\n"
)


@pytest.mark.parametrize("point", ["wrote names", "before-switch", "after-switch"])
def test_killed_build_leaves_debris_the_next_build_removes(tmp_path, point):
    """The process dies at *point* (no cleanup runs at all); the next write removes the debris."""
    root = tmp_path / "data"
    write_fake(root, "old")
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, str(root), point],
        cwd=Path(__file__).resolve().parents[1],
        check=False,
    )
    assert proc.returncode == 9
    _answers(root, "new" if point == "after-switch" else "old")
    assert leftovers(root)  # debris: the partial (or the old) build
    write_fake(root, "next")
    _answers(root, "next")
    assert leftovers(root) == []


def test_interrupted_swap_debris_is_repaired(tmp_path):
    """A temporary pointer and a half-written build (as a crash mid-swap leaves them)."""
    root = tmp_path / "data"
    write_fake(root, "old")
    partial = root / BUILDS / "20260101T000000Z-1-abcdef"
    partial.mkdir()
    (partial / "places.parquet").write_bytes(b"PAR1")
    (root / f".{POINTER}.tmp-20260101T000000Z-1-abcdef").write_text("20260101T000000Z-1-abcdef\n")
    _answers(root, "old")
    write_fake(root, "next")
    _answers(root, "next")
    assert leftovers(root) == []


def test_disk_full_while_writing(tmp_path):
    root = tmp_path / "data"
    write_fake(root, "old")

    def full(point):
        if point == "wrote names":
            raise OSError(errno.ENOSPC, "No space left on device", str(root / "x"))

    with pytest.raises(OutputFailed, match="no space left for the build in") as info:
        write_fake(root, "new", hook=full)
    assert info.value.exit_code == 4
    assert "the previous build is unchanged" in str(info.value)
    _answers(root, "old")
    assert leftovers(root) == []


def test_too_little_free_space_is_detected_up_front(tmp_path, monkeypatch):
    root = tmp_path / "data"
    write_fake(root, "old")

    class Usage:
        total, used, free = 10**9, 10**9 - 1000, 1000

    monkeypatch.setattr(publish.shutil, "disk_usage", lambda path: Usage)
    src = fake_sources(tmp_path / "src")
    result = CliRunner().invoke(
        main, ["data", "build", "--sources", str(src), "--data-dir", str(root)]
    )
    assert result.exit_code == 4, result.output
    assert "not enough free space for a build in" in result.output
    assert "Traceback" not in result.output
    _answers(root, "old")


def test_unwritable_data_directory(tmp_path, monkeypatch):
    """A read-only file system (simulated at the probe: the tests run as root)."""
    root = tmp_path / "data"
    write_fake(root, "old")
    real_open = os.open

    def read_only(path, flags, *args):
        if Path(path).name.startswith(".probe-"):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(publish.os, "open", read_only)
    src = fake_sources(tmp_path / "src")
    result = CliRunner().invoke(
        main, ["data", "build", "--sources", str(src), "--data-dir", str(root)]
    )
    monkeypatch.undo()
    assert result.exit_code == 4, result.output
    assert "is on a read-only file system" in result.output
    assert "set TRACKER_DATA_DIR (or --data-dir) to another directory" in result.output
    _answers(root, "old")


def test_unwritable_parent_as_an_unprivileged_user(tmp_path):
    """A real permission error: user nobody building into a root-owned directory."""
    if os.geteuid() != 0:
        pytest.skip("needs root to switch to user nobody")
    parent = Path(tempfile.mkdtemp(prefix="tracker-locked-"))
    try:
        os.chmod(parent, 0o755)
        os.seteuid(65534)
        try:
            with pytest.raises(OutputFailed, match="is not writable") as info:
                publish.preflight(parent / "data")
        finally:
            os.seteuid(0)
        assert info.value.exit_code == 4
        assert not (parent / "data").exists()
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def test_data_directory_that_is_a_file(tmp_path):
    target = tmp_path / "data"
    target.write_text("not a directory")
    with pytest.raises(OutputFailed, match="is not a directory"):
        write_fake(target)


def test_data_directory_is_never_renamed(tmp_path):
    """A mount point (Docker volume) works: the directory keeps its inode across builds, and
    files that are not the tracker's are left alone."""
    root = tmp_path / "data"
    root.mkdir()
    (root / "README.txt").write_text("mine")
    inode = root.stat().st_ino
    write_fake(root, "one")
    write_fake(root, "two")
    assert root.stat().st_ino == inode
    assert (root / "README.txt").read_text() == "mine"
    _answers(root, "two")


def test_building_over_the_old_layout_migrates_it(tmp_path):
    from tests.builds import fake_tables

    root = tmp_path / "data"
    root.mkdir()
    (root / MANIFEST).write_text('{"format": 6}')
    for name, frame in fake_tables().items():
        frame.to_parquet(root / f"{name}.parquet")
    write_fake(root, "new")
    _answers(root, "new")
    assert not (root / MANIFEST).exists()
    assert not any((root / f"{t}.parquet").exists() for t in TABLES)


def test_built_files_are_readable_by_everyone(tmp_path):
    root = tmp_path / "data"
    old = os.umask(0o077)
    try:
        write_fake(root)
    finally:
        os.umask(old)
    build = current_dir(root)
    for path in [root, root / BUILDS, build]:
        assert path.stat().st_mode & 0o777 == 0o755, path
    for path in [root / POINTER, *build.iterdir()]:
        assert path.stat().st_mode & 0o777 == 0o644, path


def test_a_reader_of_the_old_build_in_this_process_does_not_block_cleanup(tmp_path):
    """`load()` caches a store (and its lease); the next write releases this process's own."""
    root = tmp_path / "data"
    write_fake(root, "old")
    assert load(root).places["name"].tolist() == ["old"]
    write_fake(root, "new")
    assert leftovers(root) == []
    assert Store(root).places["name"].tolist() == ["new"]
