"""``-o`` writes only regular files, atomically, never over an input; failures lose nothing."""

from __future__ import annotations

import errno
import io
import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker import outputs
from tracker.cli import main
from tracker.data import store as store_mod
from tracker.errors import InputError, OutputFailed
from tracker.outputs import AtomicWriter, DocumentWriter, render, write_atomic
from tracker.paths import check_output

ARTICLE = "Russian troops entered Zaporizke and Novoheorhiivka in the Dnipropetrovsk region.\n"
IS_ROOT = os.geteuid() == 0


def _run(*args: str, **kwargs):
    return CliRunner().invoke(main, list(args), **kwargs)


def _one_error(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def _tracker(*args, **kwargs) -> subprocess.CompletedProcess:
    """The real command in a child process (for /dev/full, closed pipes, byte file names)."""
    code = "import sys; from tracker.cli import main; sys.argv[0] = 'tracker'; main()"
    return subprocess.run([sys.executable, "-c", code, *args], timeout=300, **kwargs)


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def no_data(tmp_path, monkeypatch):
    """No built data: a refusal that comes before any work still exits 2 (not 3)."""
    empty = tmp_path / "no-data"
    empty.mkdir()
    monkeypatch.setenv("TRACKER_DATA_DIR", str(empty))
    store_mod.reset()
    yield empty
    store_mod.reset()


# -- refused before any work (exit 2) ------------------------------------------------------------


@pytest.mark.skipif(not IS_ROOT, reason="mknod needs root")
@pytest.mark.parametrize("command", ["parse", "map"])
def test_character_device_is_refused_and_left_alone(tmp_path, article, no_data, command):
    device = tmp_path / "x"
    os.mknod(device, 0o644 | stat.S_IFCHR, os.makedev(1, 3))  # mknod x c 1 3 (/dev/null)
    result = _run(command, str(article), "-o", str(device))
    assert result.exit_code == 2, result.output
    assert "character device" in _one_error(result)
    assert stat.S_ISCHR(os.lstat(device).st_mode)  # still the device


@pytest.mark.parametrize(
    "target",
    ["/dev/null", "/dev/stdout", "/dev/shm/out.json", "/proc/self/fd/1", "/sys/kernel/x"],
)
def test_paths_under_dev_proc_sys_are_refused(article, no_data, target):
    result = _run("parse", str(article), "-o", target)
    assert result.exit_code == 2
    assert "under /" in _one_error(result)


def test_fifo_socket_and_directory_are_refused(tmp_path, article, no_data):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    try:
        for target, words in (
            (fifo, "named pipe (FIFO)"),
            (sock_path, "a socket"),
            (tmp_path, "a directory"),
        ):
            result = _run("parse", str(article), "-o", str(target))
            assert result.exit_code == 2, target
            assert words in _one_error(result)
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and stat.S_ISSOCK(os.lstat(sock_path).st_mode)
    finally:
        sock.close()


def test_symlink_to_a_device_or_a_loop_is_refused(tmp_path, article, no_data):
    (tmp_path / "null").symlink_to("/dev/null")
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    result = _run("parse", str(article), "-o", str(tmp_path / "null"))
    assert result.exit_code == 2 and "symlink to '/dev/null'" in _one_error(result)
    result = _run("parse", str(article), "-o", str(tmp_path / "loop1"))
    assert result.exit_code == 2 and "symlink loop" in _one_error(result)
    assert os.readlink(tmp_path / "null") == "/dev/null"


def test_output_equal_to_an_input_is_refused(tmp_path, article, no_data):
    (tmp_path / "hard").hardlink_to(article)
    (tmp_path / "soft").symlink_to(article)
    sidecar = tmp_path / "a.json"
    sidecar.write_text('{"title": "x"}', encoding="utf-8")
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "b.md").write_text(ARTICLE, encoding="utf-8")
    before = article.read_bytes()
    for inputs, target in (
        ([article], article),
        ([article], tmp_path / "hard"),
        ([article], tmp_path / "soft"),
        ([article], sidecar),  # its metadata is an input too
        ([folder], folder / "b.md"),  # found in an input directory
    ):
        result = _run("parse", *map(str, inputs), "-o", str(target))
        assert result.exit_code == 2, (inputs, target, result.output)
        assert "would overwrite the input" in _one_error(result)
    assert article.read_bytes() == before
    with pytest.raises(InputError, match="would overwrite the input"):
        check_output(article, inputs=[str(tmp_path / "hard")])


def test_output_that_would_become_an_articles_sidecar_is_refused(tmp_path, article, no_data):
    # `parse a.txt -o a.json` would leave a.json where a.txt's metadata is read from: the next
    # run would refuse it as an input, and read the output as the article's title/url/date
    (tmp_path / "via").symlink_to(tmp_path)
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "b.md").write_text(ARTICLE, encoding="utf-8")
    for inputs, target, of in (
        ([article], tmp_path / "a.json", article),
        ([article], tmp_path / "a.meta.json", article),
        ([article], tmp_path / "via" / "a.json", article),  # the same file through a link
        ([folder], folder / "b.json", folder / "b.md"),  # an article found in a directory
    ):
        result = _run("parse", *map(str, inputs), "-o", str(target))
        assert result.exit_code == 2, (target, result.output)
        message = _one_error(result)
        assert f"would become the metadata sidecar of input {str(of)!r}" in message
        assert f"e.g. {str(target.with_name(of.stem + '.places.json'))!r}" in message
        assert not target.exists()
    # an existing sidecar says both; another name beside the article is fine
    (tmp_path / "a.json").write_text('{"title": "x"}', encoding="utf-8")
    message = _one_error(_run("parse", str(article), "-o", str(tmp_path / "a.json")))
    assert "is the metadata sidecar of input" in message and "would overwrite the input" in message
    with pytest.raises(InputError, match="metadata sidecar"):
        check_output(tmp_path / "a.meta.json", sidecars=[(str(tmp_path / "a.meta.json"), "a.txt")])
    assert check_output(tmp_path / "a.places.json", sidecars=[(str(tmp_path / "a.json"), "a")])


def test_stdin_redirected_from_the_output_is_refused(built, article):
    with article.open("rb") as stdin:
        result = _tracker("parse", "-", "-o", str(article), stdin=stdin, capture_output=True)
    assert result.returncode == 2, result.stderr
    assert b"would overwrite the input" in result.stderr
    assert article.read_text(encoding="utf-8") == ARTICLE


def test_missing_directory_is_refused_before_work(tmp_path, article, no_data):
    result = _run("map", str(article), "-o", str(tmp_path / "no" / "map.html"))
    assert result.exit_code == 2 and "does not exist" in _one_error(result)


# -- symlinks are written through ----------------------------------------------------------------


def test_symlink_is_written_through(tmp_path, built, article):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "out.json"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    result = _run("parse", str(article), "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(real)  # the link stays a link
    assert json.loads(real.read_text(encoding="utf-8"))["id"] == "a"
    assert real.stat().st_mode & 0o777 == 0o640
    assert _leftovers(real_dir) == [] and _leftovers(tmp_path) == []


def test_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "new.csv")
    write_atomic(check_output(link), "a,b\n")
    assert link.is_symlink() and (tmp_path / "new.csv").read_text() == "a,b\n"


# -- failures while writing (exit 4): old file intact, no temporary file -------------------------


class _FullDisk(io.RawIOBase):
    """A file that takes *room* bytes, then fails with ENOSPC."""

    def __init__(self, fd: int, room: int):
        self.fd, self.room = fd, room

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if len(data) > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return os.write(self.fd, data)

    def close(self) -> None:
        if not self.closed:
            os.close(self.fd)
        super().close()


@pytest.fixture
def full_disk(monkeypatch):
    real_fdopen = os.fdopen

    def fdopen(fd, mode="r", *args, **kwargs):
        if "w" in mode:
            return io.BufferedWriter(_FullDisk(fd, 100), buffer_size=16)
        return real_fdopen(fd, mode, *args, **kwargs)

    monkeypatch.setattr(outputs.os, "fdopen", fdopen)


def test_disk_full_keeps_the_old_file(tmp_path, full_disk):
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(OutputFailed) as info, AtomicWriter(target) as out:
        for _ in range(50):
            out.write("x" * 10)
    message = str(info.value)
    assert "No space left on device" in message and "unchanged" in message
    assert "\n" not in message and info.value.exit_code == 4
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_disk_full_through_the_cli_exits_4(tmp_path, built, article, full_disk):
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    result = _run("parse", str(article), "-o", str(target))
    assert result.exit_code == 4, result.output
    assert "No space left on device" in _one_error(result)
    assert target.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == []


def test_failed_rename_or_fsync_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")

    def refuse(*args):
        raise OSError(errno.EIO, "Input/output error")

    for name in ("replace", "fsync"):
        with monkeypatch.context() as patch:
            patch.setattr(outputs.os, name, refuse)
            with pytest.raises(OutputFailed, match="Input/output error"):
                write_atomic(target, "new")
        assert target.read_text(encoding="utf-8") == "old"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_interrupt_while_writing_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out.json"
    with pytest.raises(KeyboardInterrupt), AtomicWriter(target) as out:
        out.write("half")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_read_only_file_exits_4(tmp_path, article, no_data):
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o444)
    result = _run("parse", str(article), "-o", str(target))
    assert result.exit_code == 4
    assert "read-only" in _one_error(result)
    assert target.read_text(encoding="utf-8") == "old"


def test_read_only_file_system_exits_4(tmp_path, article, no_data, monkeypatch):
    import tracker.paths as paths_mod

    real_statvfs = os.statvfs

    class ReadOnly:
        def __init__(self, result):
            self.f_flag = result.f_flag | os.ST_RDONLY

    monkeypatch.setattr(paths_mod.os, "statvfs", lambda p: ReadOnly(real_statvfs(p)))
    result = _run("parse", str(article), "-o", str(tmp_path / "out.json"))
    assert result.exit_code == 4 and "read-only file system" in _one_error(result)


def test_stdout_full_exits_4_with_one_line(built, article):
    with open("/dev/full", "wb") as full:
        result = _tracker("parse", str(article), stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 4
    lines = result.stderr.decode().splitlines()
    assert [line for line in lines if line.startswith("error")] == [
        "error: cannot write to standard output: No space left on device"
    ]
    assert b"Exception ignored" not in result.stderr and b"Traceback" not in result.stderr


def test_closed_pipe_exits_4_with_one_line(built, tmp_path):
    seed = Path(__file__).resolve().parents[2] / "shared" / "articles" / "004_35ed6482ca630a39.txt"
    for i in range(12):  # far more JSON than a pipe buffer holds
        (tmp_path / f"{i:02}.txt").write_text(seed.read_text(encoding="utf-8"), "utf-8")
    code = "import sys; from tracker.cli import main; sys.argv[0] = 'tracker'; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "parse", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.readline()  # | head -1
    proc.stdout.close()
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 4, err
    assert b"broken pipe" in err
    assert b"Exception ignored" not in err and b"Traceback" not in err


@pytest.mark.parametrize(("sig", "code"), [("SIGINT", 130), ("SIGTERM", 143)])
def test_signal_while_writing_keeps_the_old_file(built, tmp_path, sig, code):
    import signal
    import time

    seed = Path(__file__).resolve().parents[2] / "shared" / "articles" / "004_35ed6482ca630a39.txt"
    folder = tmp_path / "news"
    folder.mkdir()
    for i in range(400):
        (folder / f"{i:03}.txt").write_text(seed.read_text(encoding="utf-8"), "utf-8")
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    code_ = "import sys; from tracker.cli import main; sys.argv[0] = 'tracker'; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code_, "parse", str(folder), "-o", str(target)],
        stderr=subprocess.PIPE,
        # a child of a non-interactive shell may inherit an ignored SIGINT: restore it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.default_int_handler),
    )
    deadline = time.monotonic() + 240  # a hang guard, not a speed assertion
    while not _leftovers(tmp_path) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _leftovers(tmp_path), "the temporary file never appeared"
    proc.send_signal(getattr(signal, sig))
    _, err = proc.communicate(timeout=240)
    assert proc.returncode == code, err
    assert err.decode().strip().splitlines()[-1] in ("error: interrupted", "error: terminated")
    assert target.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == []


def test_ctrl_c_while_the_temporary_file_is_created_leaves_nothing(tmp_path, monkeypatch):
    # the signal test above sends Ctrl-C as soon as the temporary file appears; on a busy
    # machine that can be before the writer knows the file's name (CI saw one left behind).
    # Another thread is alive, as in `--jobs` (the pool's threads) or under a progress bar: the
    # system may hand it the signal, and Python still runs the handler in the main thread.
    import signal
    import tempfile
    import threading
    import time

    from tracker import outputs

    real = tempfile.mkstemp

    def interrupted_mkstemp(*args, **kwargs):
        made = real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)  # arrives here, before the name is returned
        time.sleep(0.05)
        return made

    monkeypatch.setattr(outputs.tempfile, "mkstemp", interrupted_mkstemp)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    done = threading.Event()
    other = threading.Thread(target=done.wait, daemon=True)
    other.start()
    try:
        with pytest.raises(KeyboardInterrupt), outputs.AtomicWriter(target) as out:
            out.write("new")
    finally:
        signal.signal(signal.SIGINT, before)
        done.set()
        other.join()
    assert target.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == []
    # the handlers are as they were (the writer put its own back)
    assert signal.getsignal(signal.SIGINT) is before


def test_ctrl_c_while_the_temporary_file_is_opened_leaves_nothing(tmp_path, monkeypatch):
    from tracker import outputs

    def interrupted(fd, mode):
        os.close(fd)
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs.os, "fdopen", interrupted)
    target = tmp_path / "out.json"
    with pytest.raises(KeyboardInterrupt), outputs.AtomicWriter(target) as out:
        out.write("new")
    assert not target.exists()
    assert _leftovers(tmp_path) == []


# -- streaming -----------------------------------------------------------------------------------


def test_document_writer_streams_what_render_gives(built):
    import tracker

    docs = [
        tracker.parse(ARTICLE, date="2025-08-27", id="a"),
        tracker.parse("Strikes on Kharkiv and Sumy.", id="b"),
        tracker.parse("Shelling of Nikopol.", id="c"),
    ]
    for fmt in outputs.FORMATS:
        for some in (docs[:1], docs):
            buf = io.StringIO()
            with DocumentWriter(buf, fmt, final_newline=False) as writer:
                for doc in some:
                    writer.add(doc)
                    assert writer.count >= 1
            assert buf.getvalue() == render(some, fmt), fmt
    # JSON Lines: each document is written as soon as a second one shows it is not alone
    buf = io.StringIO()
    writer = DocumentWriter(buf, "json")
    writer.add(docs[0])
    assert buf.getvalue() == ""  # a single document would be pretty-printed
    writer.add(docs[1])
    assert len(buf.getvalue().splitlines()) == 2
    writer.add(docs[2])
    assert len(buf.getvalue().splitlines()) == 3
    writer.close()
    assert buf.getvalue().endswith("}\n")


def test_atomic_writer_takes_chunks_and_renames_once(tmp_path):
    target = tmp_path / "docs.jsonl"
    with AtomicWriter(target) as out:
        for i in range(3):
            out.write(json.dumps({"n": i}) + "\n")
            assert not target.exists()  # nothing visible before the rename
            assert len(_leftovers(tmp_path)) == 1  # the hidden temporary file
    assert target.read_text().splitlines() == ['{"n": 0}', '{"n": 1}', '{"n": 2}']
    assert _leftovers(tmp_path) == []


# -- file names that are not UTF-8 ---------------------------------------------------------------


def test_file_names_that_are_not_utf8(built, tmp_path):
    folder = os.fsencode(tmp_path)
    name = folder + b"/caf\xe9.txt"
    with open(name, "wb") as fh:
        fh.write(ARTICLE.encode())
    out = folder + b"/out\xff.json"
    result = _tracker("parse", name, "-o", out, capture_output=True)
    assert result.returncode == 0, result.stderr
    stderr = result.stderr.decode("utf-8")  # valid UTF-8 on the terminal
    assert "\ufffd" in stderr  # the output name, with a replacement character
    with open(out, "rb") as fh:
        data = json.loads(fh.read().decode("utf-8"))  # valid UTF-8 JSON
    assert data["id"] == "caf\\xe9" and data["path"].endswith("caf\\xe9.txt")
    csv = _tracker("parse", name, "--csv", capture_output=True)
    assert csv.returncode == 0
    assert ",caf\\xe9," in csv.stdout.decode("utf-8")
    missing = _tracker("parse", folder + b"/gone\xe9.txt", capture_output=True)
    assert missing.returncode == 2
    assert "gone\ufffd.txt: no such file" in missing.stderr.decode("utf-8")
