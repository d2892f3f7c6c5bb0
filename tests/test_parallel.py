"""Every core and bounded memory: ``--jobs`` gives the serial output, documents stream.

The tiny in-code gazetteer (no data build) is enough for order, problems and streaming; the
identity of ``--jobs 2`` with ``--jobs 1`` and the memory bound use the built data.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.fixtures_gazetteer import tiny
from tracker.articles import ReadProblem
from tracker.errors import InputError
from tracker.models import Article
from tracker.outputs import DocumentWriter
from tracker.parallel import default_jobs, parse_stream

SHARED = Path(__file__).resolve().parents[2] / "shared"
TEXTS = [
    "Russian troops entered Zaporizke and Novoheorhiivka.",
    "Shelling hit Pokrovsk and the village of Zoria overnight.",
    "Nothing named here.",
    "Fighting continued near Novoheorhiivka, Dnipropetrovsk Oblast.",
]


def _articles(n: int = 8) -> list[Article]:
    return [Article(id=f"a{i}", text=TEXTS[i % len(TEXTS)]) for i in range(n)]


def _dicts(docs) -> list[str]:
    return [json.dumps(d.to_dict(), sort_keys=True) for d in docs]


def test_jobs_keep_order_and_output_on_a_tiny_gazetteer():
    gaz = tiny()
    serial = _dicts(parse_stream(_articles(), jobs=1, gazetteer=gaz))
    pooled = _dicts(parse_stream(_articles(), jobs=2, gazetteer=gaz, window=3))
    assert pooled == serial
    assert [json.loads(d)["id"] for d in pooled] == [f"a{i}" for i in range(8)]


def test_problems_are_handed_back_in_stream_order():
    seen: list[str] = []
    items = [
        ReadProblem("x.txt", "x.txt: cannot read"),
        *_articles(2),
        ReadProblem("y.txt", "y.txt: cannot read"),
        *_articles(1),
    ]
    docs = parse_stream(
        items,
        jobs=2,
        gazetteer=tiny(),
        on_other=lambda p: seen.append(p.path),
        on_article=lambda a: seen.append(a.id),
    )
    assert [d.article.id for d in docs] == ["a0", "a1", "a0"]
    assert seen == ["x.txt", "a0", "a1", "y.txt", "a0"]


def test_bad_jobs_is_an_input_error():
    with pytest.raises(InputError, match="jobs"):
        list(parse_stream(_articles(1), jobs=0, gazetteer=tiny()))
    assert default_jobs() >= 1


@pytest.mark.parametrize(("fmt", "written_before"), [("csv", 1), ("json", 2), ("geojson", 1)])
@pytest.mark.parametrize("jobs", [1, 2])
def test_first_document_is_written_before_the_last_is_read(fmt, written_before, jobs):
    """A generator input: the writer has output for the first document(s) before the
    generator is asked for the last article (JSON holds a lone first document back)."""
    events: list[str] = []
    n = 12

    def source():
        for i, article in enumerate(_articles(n)):
            events.append(f"read {i}")
            yield article

    class Sink:
        def write(self, chunk: str) -> None:
            events.append("write")

    writer = DocumentWriter(Sink(), fmt)
    for doc in parse_stream(source(), jobs=jobs, gazetteer=tiny(), window=2):
        writer.add(doc)
    writer.close()
    last_read = events.index(f"read {n - 1}")
    assert "write" in events[:last_read], events
    # only a bounded number of articles is read ahead of the writer
    first_write = events.index("write")
    assert events[:first_write].count("write") == 0
    assert sum(e.startswith("read") for e in events[:first_write]) <= written_before + 2 * 2 + 1


@pytest.mark.data
def test_jobs_2_output_is_identical_to_jobs_1(built):
    from tracker.evaluate import _iso_date

    rows = []
    for name in ("dev", "dev2"):
        path = SHARED / "eval" / name / "corpus.jsonl"
        rows += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    articles = [
        Article(id=r.get("id", str(i)), text=r["text"], date=_iso_date(r.get("published")))
        for i, r in enumerate(rows[:24])
    ]
    serial = _dicts(parse_stream(articles, jobs=1))
    pooled = _dicts(parse_stream(articles, jobs=2))
    assert len(serial) == len(articles)
    assert pooled == serial


@pytest.mark.data
def test_cli_jobs_2_writes_the_same_file_as_jobs_1(built, tmp_path):
    from click.testing import CliRunner

    from tracker.cli import main

    for i, text in enumerate(TEXTS * 3):
        (tmp_path / f"in{i:02d}.txt").write_text(text)
    outs = []
    for jobs in (1, 2):
        out = tmp_path / f"out-{jobs}.jsonl"
        result = CliRunner().invoke(main, ["parse", str(tmp_path), "--jobs", str(jobs), "-o", out])
        assert result.exit_code == 0, result.output
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert outs[0].count(b"\n") == len(TEXTS) * 3


_MEMORY_SCRIPT = textwrap.dedent(
    r"""
    import re, sys
    from pathlib import Path
    from tracker.cli import main
    try:
        main(["parse", sys.argv[1], "--jobs", "1", *sys.argv[3:], "-o", sys.argv[2]])
    except SystemExit as err:
        assert not err.code, err.code
    # the peak RSS of this process's own memory (KiB); not ru_maxrss, which keeps the peak of
    # the pytest process that started it (the kernel carries it over the vfork + exec)
    status = Path("/proc/self/status").read_text()
    print(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1))
    """
)


def _filler(n_bytes: int) -> str:
    """Text that is cheap to parse (a table of figures) with a place name every 4.5 KB: the
    memory of holding documents, not the time of parsing them, is what is measured."""
    names = ["Zaporizke", "Pokrovsk", "Novoheorhiivka", "Kupiansk", "Huliaipole", "Siversk"]
    figures = " ".join(f"{k % 97:02d}" for k in range(1500))
    out, size, k = [], 0, 0
    while size < n_bytes:
        out.append(f"Fighting near {names[k % len(names)]} continued. {figures}\n")
        size += len(out[-1])
        k += 1
    return "".join(out)


def _peak_mb(folder: Path, out: Path, *extra: str) -> float:
    proc = subprocess.run(
        [sys.executable, "-c", _MEMORY_SCRIPT, str(folder), str(out), *extra],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(proc.stdout.split()[-1]) / 1024  # VmHWM is in KiB


@pytest.mark.data
@pytest.mark.skipif(sys.platform != "linux", reason="/proc/self/status is Linux's")
def test_memory_of_a_20_mb_parse_stays_flat(built, tmp_path):
    """Peak RSS of a 20 MB parse (200 files of 100 KB) against a 2 MB one: streaming keeps
    it flat (a writer or reader that held every document would add hundreds of MB)."""
    small, large = tmp_path / "small", tmp_path / "large"
    small.mkdir()
    large.mkdir()
    text = _filler(100_000)
    for i in range(200):
        (large / f"{i:03d}.txt").write_text(text)
        if i < 20:
            (small / f"{i:03d}.txt").write_text(text)
    base = _peak_mb(small, tmp_path / "small.out", "--json")
    peak = _peak_mb(large, tmp_path / "large.out", "--json")
    assert peak < 1024, peak
    assert peak - base < 120, (base, peak)
    assert (tmp_path / "large.out").stat().st_size > 9 * (tmp_path / "small.out").stat().st_size


# -- workers and SIGTERM -------------------------------------------------------------------------
def _worker_sigterm() -> tuple[bool, bool]:
    import signal

    blocked = signal.SIGTERM in signal.pthread_sigmask(signal.SIG_BLOCK, [])
    return signal.getsignal(signal.SIGTERM) == signal.SIG_DFL, blocked


@pytest.mark.skipif(not hasattr(__import__("signal"), "pthread_sigmask"), reason="POSIX only")
def test_workers_end_on_sigterm_and_the_parent_keeps_its_mask():
    """A worker's SIGTERM has its default action and is not blocked once it runs (it was
    blocked from the fork until then); the parent's mask is as before."""
    import multiprocessing
    import signal

    from tracker.parallel import _start_pool

    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    pool = _start_pool(multiprocessing.get_context("fork"), 2)
    try:
        assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before
        assert pool.apply(_worker_sigterm) == (True, False)
    finally:
        pool.close()
        pool.join()


_TERMINATE_WHILE_STARTING = textwrap.dedent(
    """
    import signal, sys
    sys.path.insert(0, sys.argv[1])
    from tests.fixtures_gazetteer import tiny
    from tracker.models import Article
    from tracker.parallel import parse_stream

    def handler(signum, frame):  # as the CLI's: SIGTERM raises SystemExit
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, handler)
    gaz = tiny()
    articles = [Article(id=f"a{i}", text=f"Fighting near Zaporizke, day {i}.") for i in range(3)]
    for _ in range(30):
        stream = parse_stream(articles, jobs=2, gazetteer=gaz)
        next(stream), next(stream)
        stream.close()  # the pool ends while a worker may still be starting
    print("done")
    """
)


def test_a_pool_ended_while_its_workers_start_never_hangs():
    """A consumer that stops early ends the pool at once, 30 times over, within the timeout
    (a worker terminated before it put SIGTERM's default back used to live on, and the parent
    waited for it for ever)."""
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run(
        [sys.executable, "-c", _TERMINATE_WHILE_STARTING, str(root)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "done"


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_documents_before_one_that_fails_still_arrive(monkeypatch, jobs):
    # a document that raises in a worker: those before it (also in its batch) are yielded,
    # then its error is raised in the parent, with the worker's traceback as its cause
    import tracker.parsing

    real = tracker.parsing.parse_article

    def parse_article(article, **kw):
        if article.id == "a5":
            raise RuntimeError(f"cannot parse {article.id}")
        return real(article, **kw)

    monkeypatch.setattr(tracker.parsing, "parse_article", parse_article)
    seen = []
    with pytest.raises(RuntimeError, match="cannot parse a5") as err:
        for doc in parse_stream(_articles(9), jobs=jobs, gazetteer=tiny(), window=8):
            seen.append(doc.article.id)
    assert seen == [f"a{i}" for i in range(5)]
    if jobs > 1:
        assert "parse_article" in str(err.value.__cause__)  # the worker's traceback


def test_workers_keep_the_parents_objects_out_of_their_collections():
    # gc.freeze before the fork: a worker's collections never traverse (and so never copy)
    # what it shares with the parent; the parent's own objects are unfrozen at once
    import gc

    docs = list(parse_stream(_articles(4), jobs=2, gazetteer=tiny(), prepare=_frozen))
    assert [d[0] for d in docs] == ["a0", "a1", "a2", "a3"]
    assert docs[0][1] == 0  # the first is parsed in the parent, before any fork
    assert all(count > 1000 for _, count in docs[1:])
    assert gc.get_freeze_count() == 0


def _frozen(doc):
    import gc

    return doc.article.id, gc.get_freeze_count()
