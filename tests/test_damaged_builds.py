"""Built data is trusted only when it is whole: every kind of damage gives one line, exit 3.

Each case writes a small fake build (real Parquet, real manifest) into its own temp directory,
damages one thing, and runs the CLI. Loading checks sizes and the Parquet magic; only
``tracker data status --verify`` hashes the files.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.builds import current_dir, fake_sources, fake_tables, write_fake
from tracker.cli import main
from tracker.data import manifest as manifest_mod
from tracker.data.manifest import BUILDS, FORMAT_VERSION, MANIFEST, POINTER, open_build
from tracker.data.store import Store, reset
from tracker.errors import DataDamaged, DataNotBuilt


@pytest.fixture(autouse=True)
def _fresh():
    reset()
    yield
    reset()


@pytest.fixture
def root(tmp_path) -> Path:
    """A data directory with one fake build."""
    data = tmp_path / "data"
    write_fake(data)
    return data


def _status(root: Path, *extra: str):
    return CliRunner().invoke(main, ["data", "status", "--data-dir", str(root), *extra])


def _assert_damaged(result, root: Path, file: str, reason: str) -> None:
    """Exit 3, exactly one line, the agreed shape, no traceback."""
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    line = lines[0]
    assert line.startswith(f"error: built data in {root} is damaged ("), line
    assert file in line and reason in line, line
    assert line.endswith("; run `tracker data build --sources ../shared/geodata`"), line


# -- the tables ----------------------------------------------------------------------------------


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _garbage_same_size(path: Path) -> None:
    path.write_bytes((b"garbage!" * (path.stat().st_size // 8 + 1))[: path.stat().st_size])


def _garbage_other_size(path: Path) -> None:
    path.write_bytes(b"<html>not parquet</html>" * (path.stat().st_size // 10 + 1))


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _dangling_symlink(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.with_name("no-such-file.parquet"))


def _missing(path: Path) -> None:
    path.unlink()


DAMAGE = {
    "truncated": (_truncate, "truncated ("),
    "empty": (_empty, "empty (0 of"),
    "garbage": (_garbage_same_size, "not a Parquet file"),
    "garbage-other-size": (_garbage_other_size, "wrong size"),
    "directory": (_directory, "not a regular file"),
    "dangling-symlink": (_dangling_symlink, "missing"),
    "missing": (_missing, "missing"),
}


@pytest.mark.parametrize("table", ["places", "names", "frontline"])
@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_table(root, table, kind):
    damage, reason = DAMAGE[kind]
    path = current_dir(root) / f"{table}.parquet"
    damage(path)
    _assert_damaged(_status(root), root, f"{table}.parquet", reason)
    with pytest.raises(DataDamaged):
        Store(root)


def test_unreadable_table_simulated(root, monkeypatch):
    """Permission denied on open (the tests run as root, where chmod 000 does not stop reads)."""
    victim = current_dir(root) / "names.parquet"
    real_open = manifest_mod._open

    def refuse(path):
        if Path(path) == victim:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path)

    monkeypatch.setattr(manifest_mod, "_open", refuse)
    _assert_damaged(_status(root), root, "names.parquet", "unreadable: permission denied")


def test_unreadable_table_chmod_000():
    """A real chmod 000 file. Root reads it anyway, so as root the check runs with the effective
    uid of user nobody (and back); as a normal user chmod 000 alone makes it unreadable."""
    base = Path(tempfile.mkdtemp(prefix="tracker-unreadable-"))
    try:
        os.chmod(base, 0o755)
        root = base / "data"
        write_fake(root)
        victim = current_dir(root) / "hromadas.parquet"
        os.chmod(victim, 0o000)
        as_root = os.geteuid() == 0
        if as_root:
            os.seteuid(65534)
        try:
            result = _status(root)
        finally:
            if as_root:
                os.seteuid(0)
        _assert_damaged(result, root, "hromadas.parquet", "unreadable: permission denied")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_checksum_mismatch_only_caught_by_verify(root):
    """Same size, magic intact, one byte changed: the cheap checks pass, --verify fails."""
    path = current_dir(root) / "names.parquet"
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle] ^= 0xFF
    path.write_bytes(bytes(data))

    assert _status(root).exit_code == 0
    _assert_damaged(_status(root, "--verify"), root, "names.parquet", "checksum mismatch")
    with pytest.raises(DataDamaged, match="checksum mismatch"):
        open_build(root, full=True)


def test_verify_passes_on_a_whole_build(root):
    result = _status(root, "--verify")
    assert result.exit_code == 0, result.output
    assert "verified: the sha256 of all 10 files match" in result.output


def test_real_build_verifies(built):
    """The session's real build passes the full check (no extra build)."""
    result = CliRunner().invoke(main, ["data", "status", "--verify"])
    assert result.exit_code == 0, result.output
    assert "verified:" in result.output


# -- the manifest --------------------------------------------------------------------------------


def _rewrite(transform):
    def damage(path: Path) -> None:
        data = json.loads(path.read_text())
        path.write_text(json.dumps(transform(data)))

    return damage


def _without(key):
    return _rewrite(lambda m: {k: v for k, v in m.items() if k != key})


def _bad_entry(m):
    m["files"]["control.parquet"] = {"size": "big"}
    return m


MANIFEST_DAMAGE = {
    "garbage": (lambda p: p.write_bytes(os.urandom(64) + b"\xff"), "not"),
    "empty": (_empty, "empty"),
    "truncated-json": (_truncate, "not valid JSON"),
    "not-an-object": (lambda p: p.write_text("[1, 2]"), "not a JSON object"),
    "missing-files-key": (_without("files"), "missing keys: files"),
    "missing-counts-key": (_without("counts"), "missing keys: counts"),
    "bad-file-entry": (_rewrite(_bad_entry), "no valid entry for control.parquet"),
    "other-build": (_rewrite(lambda m: {**m, "build_id": "x"}), "belongs to build"),
    "missing": (_missing, "missing"),
    "directory": (_directory, "not a regular file"),
    "dangling-symlink": (_dangling_symlink, "missing"),
}


@pytest.mark.parametrize("kind", list(MANIFEST_DAMAGE))
def test_damaged_manifest(root, kind):
    damage, reason = MANIFEST_DAMAGE[kind]
    damage(current_dir(root) / MANIFEST)
    _assert_damaged(_status(root), root, MANIFEST, reason)


def test_manifest_of_another_format(root):
    path = current_dir(root) / MANIFEST
    _rewrite(lambda m: {**m, "format": 99})(path)
    result = _status(root)
    assert result.exit_code == 3 and "Traceback" not in result.output
    need = f"built by another version of the tracker (format 99, need {FORMAT_VERSION})"
    assert need in result.output
    assert "run `tracker data build" in result.output


# -- the pointer and the layout ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "does not name a build"), (b"../../etc\n", "does not name a build"), (b"\xff\xfe", "")],
)
def test_damaged_pointer(root, content, reason):
    (root / POINTER).write_bytes(content)
    _assert_damaged(_status(root), root, POINTER, reason)


def test_pointer_to_a_missing_build(root):
    shutil.rmtree(current_dir(root))
    _assert_damaged(_status(root), root, BUILDS, "missing (named by `current`)")


def test_pointer_is_a_directory(root):
    (root / POINTER).unlink()
    (root / POINTER).mkdir()
    _assert_damaged(_status(root), root, POINTER, "not a regular file")


def test_old_layout_asks_for_a_rebuild(tmp_path):
    """A data directory of format 6 (manifest.json and tables directly in DIR)."""
    old = tmp_path / "old"
    old.mkdir()
    (old / MANIFEST).write_text(json.dumps({"format": 6}))
    for name, frame in fake_tables().items():
        frame.to_parquet(old / f"{name}.parquet")
    result = _status(old)
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert result.output.strip().splitlines() == [
        f"error: the data in {old} has the layout of an older tracker (manifest.json without a "
        "`current` pointer); run `tracker data build --sources ../shared/geodata`"
    ]
    with pytest.raises(DataNotBuilt):
        Store(old)


@pytest.mark.parametrize("exists", [False, True])
def test_nothing_built(tmp_path, exists):
    empty = tmp_path / "empty"
    if exists:
        empty.mkdir()
    result = _status(empty)
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert f"no built data in {empty}; run `tracker data build" in result.output


def test_other_commands_report_damage_too(root, monkeypatch):
    """Every command loads through the same checks: `tracker where` on a damaged build."""
    _truncate(current_dir(root) / "places.parquet")
    monkeypatch.setenv("TRACKER_DATA_DIR", str(root))
    result = CliRunner().invoke(main, ["where", "Novoheorhiivka"])
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert "is damaged (" in result.output and "places.parquet: truncated" in result.output


def test_store_of_a_build_directory_is_that_build(root):
    """`load(store.directory)` (a build directory) opens that build, not a pointer inside it."""
    first = Store(root)
    again = Store(first.directory)
    assert again.build_id == first.build_id and again.root == root
    first.close()
    again.close()


# -- no front line, no build ---------------------------------------------------------------------


def test_a_build_without_front_line_snapshots_is_refused(root):
    tables = fake_tables("new")
    tables["frontline"] = tables["frontline"].iloc[0:0]
    from tests.builds import fake_manifest
    from tracker.data.publish import write_build

    before = (root / POINTER).read_text()
    with pytest.raises(DataDamaged, match="no front-line snapshot"):
        write_build(tables, fake_manifest("new"), root)
    assert (root / POINTER).read_text() == before
    assert [p.name for p in (root / BUILDS).iterdir()] == [before.strip()]
    assert Store(root).places["name"].tolist() == ["old"]


def test_build_refuses_sources_without_deepstate(tmp_path):
    src = fake_sources(tmp_path / "src", deepstate=False)
    result = CliRunner().invoke(
        main, ["data", "build", "--sources", str(src), "--data-dir", str(tmp_path / "data")]
    )
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert "deepstate/daily/deepstatemap_data_YYYYMMDD.geojson (none at all)" in result.output
    assert "--deepstate-from 2024-07-08" in result.output
    assert not (tmp_path / "data").exists()  # refused before anything is written
