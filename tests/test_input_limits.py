"""Inputs are bounded: only regular files, directories and stdin are read, at most
``--max-bytes`` per document, and odd files say exactly what they are."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.articles import (
    DEFAULT_MAX_BYTES,
    ReadProblem,
    format_size,
    iter_articles,
    parse_size,
    read_article,
)
from tracker.cli import main
from tracker.data import store as store_mod
from tracker.errors import InputError

ARTICLE = "Russian troops entered Zaporizke and Novoheorhiivka in the Dnipropetrovsk region.\n"
RUN = "import sys; from tracker.cli import main; sys.argv[0] = 'tracker'; main()"


def _run(*args: str, **kwargs):
    return CliRunner().invoke(main, list(args), **kwargs)


def _problems(paths, **kwargs) -> list[ReadProblem]:
    return [item for item in iter_articles(paths, **kwargs) if isinstance(item, ReadProblem)]


@pytest.fixture
def no_data(tmp_path, monkeypatch):
    """An empty data directory: inputs refused before parsing never need the data."""
    empty = tmp_path / "no-data"
    empty.mkdir()
    monkeypatch.setenv("TRACKER_DATA_DIR", str(empty))
    store_mod.reset()
    yield empty
    store_mod.reset()


# -- sizes ---------------------------------------------------------------------------------------


def test_parse_size_and_format_size():
    assert parse_size("50MB") == DEFAULT_MAX_BYTES == 50_000_000
    assert parse_size("200M") == 200_000_000
    assert parse_size("1.5GB") == 1_500_000_000
    assert parse_size("64KiB") == 65_536
    assert parse_size("1000") == parse_size(1000) == 1000
    for bad in ("", "lots", "-5MB", "0", "5 parsecs"):
        with pytest.raises(InputError):
            parse_size(bad)
    assert format_size(50_000_000) == "50 MB" and format_size(1_500) == "1.5 kB"


def test_a_file_over_the_limit_is_refused_without_reading_it(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: 60 MB of nothing on disk
        fh.truncate(60_000_000)

    def no_read(*args):
        raise AssertionError("the file was read")

    monkeypatch.setattr(os, "read", no_read)
    [problem] = _problems([big])
    assert "larger than the limit of 50 MB" in problem.message and "--max-bytes" in problem.message
    assert "60 MB" in problem.message


def test_max_bytes_changes_the_limit(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE * 40, encoding="utf-8")  # 3.4 kB
    [problem] = _problems([path], max_bytes=1000)
    assert "larger than the limit of 1 kB" in problem.message
    assert not _problems([path], max_bytes=10_000)
    with pytest.raises(InputError, match="larger than the limit"):
        read_article(path, max_bytes=1000)
    with pytest.raises(InputError, match="max_bytes"):
        iter_articles([path], max_bytes=0)


def test_stdin_over_the_limit_is_refused(tmp_path):
    stdin = io.TextIOWrapper(io.BytesIO((ARTICLE * 100).encode()), encoding="utf-8")
    [problem] = _problems(["-"], stdin=stdin, max_bytes=2000)
    assert problem.message.startswith("stdin: larger than the limit of 2 kB")
    text = io.StringIO(ARTICLE * 100)  # a text stream without a buffer
    [problem] = _problems(["-"], stdin=text, max_bytes=2000)
    assert "larger than the limit" in problem.message


def test_cli_max_bytes(tmp_path, no_data):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE * 40, encoding="utf-8")
    for command in ("parse", "map"):
        extra = ["-o", str(tmp_path / "m.html")] if command == "map" else []
        result = _run(command, str(path), "--max-bytes", "lots", *extra)
        assert result.exit_code == 2 and "is not a size" in result.stderr
    assert "--max-bytes" in _run("parse", "--help").stdout
    assert "--max-bytes" in _run("map", "--help").stdout


def test_cli_refuses_a_file_over_max_bytes(built, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE * 40, encoding="utf-8")
    result = _run("parse", str(path), "--max-bytes", "1kB")
    assert result.exit_code == 2
    assert "larger than the limit of 1 kB" in result.stderr
    assert _run("parse", str(path), "--max-bytes", "1MB").exit_code == 0


# -- what is an article --------------------------------------------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_not_articles(device):
    [problem] = _problems([device])
    assert problem.fatal and "character device" in problem.message
    assert "only regular files, directories and - (stdin)" in problem.message


def test_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # no writer will ever come
    [problem] = _problems([fifo])
    assert "named pipe (FIFO)" in problem.message and "tracker parse - <" in problem.message
    folder = tmp_path / "news"
    folder.mkdir()
    os.mkfifo(folder / "x.txt")
    (folder / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    items = list(iter_articles([folder]))
    assert [type(i).__name__ for i in items] == ["ReadProblem", "Article"]
    assert not items[0].fatal and "named pipe" in items[0].message


def test_socket_is_refused(tmp_path):
    import socket

    path = tmp_path / "s.txt"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    try:
        [problem] = _problems([path])
        assert "a socket" in problem.message
    finally:
        sock.close()


def test_symlink_loop_and_dangling_link_say_so(tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    loop, dangling = _problems([tmp_path / "a.txt", tmp_path / "gone.txt"])
    assert "symlink loop" in loop.message
    assert "is a symlink to" in dangling.message and "does not exist" in dangling.message
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "x.txt").symlink_to(folder / "y.txt")
    (folder / "y.txt").symlink_to(folder / "x.txt")
    messages = [p.message for p in _problems([folder])]
    assert any("symlink loop" in m for m in messages), messages


def test_unlistable_directory_says_so(tmp_path, monkeypatch):
    folder = tmp_path / "news"
    (folder / "locked").mkdir(parents=True)
    (folder / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(iter_articles([folder]))
    problems = [i for i in items if isinstance(i, ReadProblem)]
    assert len(problems) == 1 and len(items) == 2  # the readable article is still read
    assert "cannot list the directory: permission denied" in problems[0].message
    assert "locked" in problems[0].message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads unreadable files")
def test_unreadable_file_says_permission_denied(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    path.chmod(0)
    [problem] = _problems([path])
    assert "permission denied" in problem.message


def test_proc_files_are_read_with_the_cap(tmp_path):
    # regular files that report size 0: read, but never past the limit
    items = list(iter_articles(["/proc/self/status"], max_bytes=100))
    assert isinstance(items[0], ReadProblem) and "larger than the limit" in items[0].message


def test_binary_stdin_is_refused_after_its_first_block():
    class Endless(io.RawIOBase):
        reads = 0

        def readable(self):
            return True

        def readinto(self, buf):
            Endless.reads += 1
            buf[: len(buf)] = b"\0" * len(buf)
            return len(buf)

    stdin = io.TextIOWrapper(io.BufferedReader(Endless()), encoding="utf-8")
    [problem] = _problems(["-"], stdin=stdin)
    assert "binary data" in problem.message
    assert Endless.reads < 50  # not 50 MB worth of reads


# -- the probes of the issue, in a child process -------------------------------------------------

MEASURE = """
import resource, subprocess, sys, time
cmd, stdin = sys.argv[1:-1], sys.argv[-1]
with open(stdin, "rb") if stdin != "-" else open("/dev/null", "rb") as fh:
    proc = subprocess.run(["timeout", "20", *cmd], stdin=fh, capture_output=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(proc.returncode, peak, proc.stderr.decode(errors="replace").replace("\\n", " | "))
"""


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (["/dev/zero"], "-", "character device"),
        (["/dev/urandom"], "-", "character device"),
        (["-"], "/dev/zero", "stdin: binary data"),
        (["-"], "/dev/urandom", "stdin: binary data"),
    ],
)
def test_endless_inputs_exit_2_with_flat_memory(no_data, args, stdin, words):
    cmd = [sys.executable, "-c", RUN, "parse", *args]
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *cmd, stdin], capture_output=True, text=True, timeout=60
    )
    code, peak, stderr = out.stdout.strip().split(" ", 2)
    assert code == "2", (out.stdout, out.stderr)  # not 124: timeout 20 never had to kill it
    assert int(peak) < 1_000_000_000, f"peak memory {int(peak) / 1e6:.0f} MB"
    assert words in stderr and "Traceback" not in stderr


def test_fifo_without_a_writer_exits_2(no_data, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = subprocess.run(
        ["timeout", "20", sys.executable, "-c", RUN, "parse", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "named pipe (FIFO)" in result.stderr
