"""How the ``tracker`` command fails: exit codes and one-line messages on stderr."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tracker.cli import main
from tracker.data import sources as src_mod
from tracker.data import store as store_mod


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def _error_line(result) -> str:
    """The whole of stderr, which must be exactly one line starting with ``error:``."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert result.stdout == "", result.stdout
    return lines[0]


@pytest.fixture
def no_data(tmp_path, monkeypatch):
    """TRACKER_DATA_DIR pointed at an empty directory; the store cache reset around the test."""
    empty = tmp_path / "empty-data"
    empty.mkdir()
    monkeypatch.setenv("TRACKER_DATA_DIR", str(empty))
    store_mod.reset()
    yield empty
    store_mod.reset()


# -- bad input (exit 2) --------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   "])
def test_where_empty(built, query):
    result = _run("where", query)
    assert result.exit_code == 2
    assert "empty" in _error_line(result)


def test_where_outside_ukraine(built):
    result = _run("where", "50,20")  # southern Poland
    assert result.exit_code == 2
    line = _error_line(result)
    assert "outside Ukraine" in line
    assert "50.00000,20.00000" in line


def test_where_coordinates_out_of_range(built):
    result = _run("where", "95,20")
    assert result.exit_code == 2
    line = _error_line(result)
    assert "out of range" in line
    assert "95" in line


def test_where_coordinates_out_of_range_needs_no_data(no_data):
    result = _run("where", "95,20")
    assert result.exit_code == 2
    assert "out of range" in _error_line(result)


def test_where_unknown_oblast(built):
    result = _run("where", "Zorya", "--oblast", "Narnia")
    assert result.exit_code == 2
    line = _error_line(result)
    assert "Narnia" in line
    assert "Dnipropetrovsk" in line  # lists the real ones


# -- not found (exit 1) --------------------------------------------------------------------------


def test_where_not_found_suggests(built):
    result = _run("where", "Novoheorhiivkx")
    assert result.exit_code == 1
    line = _error_line(result)
    assert "Novoheorhiivkx" in line
    assert "did you mean" in line
    assert "'Novoheorhiivka'" in line


def test_where_found_is_not_an_error(built):
    result = _run("where", "Novoheorhiivka", "--oblast", "Dnipropetrovsk", "--limit", "1")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "Novoheorhiivka" in result.stdout
    assert "Dnipropetrovsk" in result.stdout


# -- data not built / sources missing (exit 3) ---------------------------------------------------


def test_where_without_data(no_data):
    result = _run("where", "Zorya")
    assert result.exit_code == 3
    line = _error_line(result)
    assert "tracker data build" in line
    assert str(no_data) in line


def test_where_point_without_data(no_data):
    result = _run("where", "47.8695,36.5699")
    assert result.exit_code == 3
    assert "tracker data build" in _error_line(result)


def test_data_status_without_data(no_data):
    result = _run("data", "status")
    assert result.exit_code == 3
    assert "tracker data build" in _error_line(result)


def test_data_build_missing_sources(no_data):
    result = _run("data", "build", "--sources", "/nonexistent")
    assert result.exit_code == 3
    # non-tty progress lines go to stderr too; the error itself is one line
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert "/nonexistent" in errors[0]
    assert result.stdout == ""
    assert list(no_data.iterdir()) == []  # nothing written


def test_data_build_no_sources_given(no_data, monkeypatch):
    monkeypatch.delenv("TRACKER_SOURCES", raising=False)
    result = _run("data", "build")
    assert result.exit_code == 3
    assert "TRACKER_SOURCES" in _error_line(result)


def test_data_fetch_bad_date(tmp_path, monkeypatch):
    def refuse(url):
        raise AssertionError(f"test tried to download {url}")

    monkeypatch.setattr(src_mod, "_default_opener", refuse)
    result = _run("data", "fetch", "--sources", str(tmp_path), "--deepstate-from", "2025-13-01")
    assert result.exit_code == 2
    line = _error_line(result)
    assert "bad date" in line and "YYYY-MM-DD" in line


# -- the built data works again after the tests above --------------------------------------------


def test_data_status_with_data(built):
    store_mod.reset()
    result = _run("data", "status")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("built ")


def test_python_m_tracker_runs_the_command_line():
    """``python -m tracker`` is the ``tracker`` script: the same usage error and exit code."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "tracker", "where"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2, proc.stderr
    assert "Usage: tracker where" in proc.stderr


@pytest.mark.parametrize(("given", "kept"), [(None, "1"), ("4", "4")])
def test_the_command_line_keeps_openblas_to_one_thread_unless_told(monkeypatch, given, kept):
    # the tracker does no linear algebra: OpenBLAS's thread pool only cost start-up time
    import os

    if given is None:
        monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    else:
        monkeypatch.setenv("OPENBLAS_NUM_THREADS", given)
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert os.environ["OPENBLAS_NUM_THREADS"] == kept


def test_the_command_line_collects_cyclic_garbage_in_batches():
    # a parse leaves few reference cycles: Python's default thresholds ran the collector
    # hundreds of times per document, for 10 % of the CPU time
    import gc

    from tracker.cli.app import BATCH_GC_THRESHOLD

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        result = CliRunner().invoke(main, ["--help"])
        assert result.exit_code == 0
        assert gc.get_threshold() == BATCH_GC_THRESHOLD
        assert BATCH_GC_THRESHOLD[0] > 700 and gc.isenabled()
    finally:
        gc.set_threshold(*before)


def test_the_command_line_ends_with_every_object_frozen_out_of_the_last_collection():
    # the interpreter's final collection would traverse every object still alive (the loaded
    # data, the caches, the last document): about 0.1 s after a long parse
    import subprocess
    import sys

    code = (
        "import atexit, gc\n"
        "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0))\n"
        "from tracker.cli import main\n"
        "print('frozen before:', gc.get_freeze_count() > 0)\n"
        "main(['--version'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "frozen before: False" in out.stdout and "frozen at exit: True" in out.stdout


def test_the_freeze_at_exit_is_registered_once_per_process():
    from tracker.cli import app

    for _ in range(3):
        assert CliRunner().invoke(main, ["--help"]).exit_code == 0
    assert app._FROZEN_AT_EXIT == [True]
