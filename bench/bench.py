"""Benchmark figures for the tracker: cold start, name lookup, region lookup.

Prints a table; asserts nothing. Uses the built data of ``TRACKER_DATA_DIR`` (or
the default data directory)::

    TRACKER_DATA_DIR=/tmp/trk-data python bench/bench.py
    python bench/bench.py --points 200000 --repeat 1

In-process figures are taken on one core (the process is pinned to one CPU where
the OS allows it, and BLAS/OpenMP thread pools are set to one thread).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy is imported

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

#: Ukraine's bounding box (lon, lat).
BBOX = (22.1, 44.3, 40.3, 52.4)
SEED = 20240601
COLD_CMD = ["where", "Novoheorhiivka", "--oblast", "Dnipropetrovsk", "--limit", "1"]
#: Names as they appear in reporting: official, KMU-2010 and other transliterations,
#: Russian spellings, old (pre-2016) names, and very common names.
NAMES = [
    "Novoheorhiivka", "Zaporizke", "Pokrovsk", "Kurakhovo", "Zorya", "Krasnoarmeysk",
    "Vesele", "Oleksandrivka", "Mykolaivka", "Velyka Novosilka", "Vuhledar", "Bakhmut",
    "Artemivsk", "Chasiv Yar", "Avdiivka", "Toretsk", "Dzerzhinsk", "Siversk", "Lyman",
    "Kupiansk", "Kupyansk", "Vovchansk", "Robotyne", "Orikhiv", "Huliaipole", "Staromaiorske",
    "Urozhaine", "Marinka", "Krasnohorivka", "Selydove", "Myrnohrad", "Dimitrov", "Hrodivka",
    "Ocheretyne", "Novoselydivka", "Kostiantynivka", "Konstantinovka", "Kramatorsk",
    "Sloviansk", "Druzhkivka", "Kherson", "Krynky", "Nova Kakhovka", "Tokmak", "Polohy",
    "Enerhodar", "Synkivka", "Petropavlivka", "Ivanivka", "Kalynivka", "Andriivka",
    "Uspenivka", "Kurakhove", "Prechistovka",
]  # fmt: skip
CONTEXT = "SE of Oleksandrivka"


# -- helpers -------------------------------------------------------------------------------------
def _timed(fn, *args, **kwargs) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t0, result


def _pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.2f} ms"


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f} pts/s"


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def section(self, title: str) -> None:
        self.rows.append((title, "", "", ""))

    def add(self, what: str, value: str, aim: str = "", ok: bool | None = None) -> None:
        mark = "" if ok is None else ("yes" if ok else "NO")
        self.rows.append(("  " + what, value, aim, mark))
        print(f"  . {what}: {value}", file=sys.stderr, flush=True)

    def print(self) -> None:
        head = ("measure", "value", "aim", "met")
        rows = [head, *(r for r in self.rows if any(r[1:]))]  # section titles may overhang
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        line = "  ".join("-" * w for w in widths)
        print(line)
        print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
        print(line)
        for row in self.rows:
            if not any(row[1:]):
                print(row[0])
                continue
            cells = [row[0].ljust(widths[0]), row[1].rjust(widths[1])]
            cells += [row[2].ljust(widths[2]), row[3]]
            print("  ".join(cells).rstrip())
        print(line)


def _tracker_command() -> list[str]:
    """The installed console script (beside this interpreter), not a pyenv shim."""
    script = Path(sys.executable).parent / "tracker"
    if script.is_file():
        return [str(script)]
    found = shutil.which("tracker")
    return [found] if found else [sys.executable, "-m", "tracker"]


# -- measurements ----------------------------------------------------------------------------------
def bench_cold_start(table: Table, runs: int) -> None:
    cmd = [*_tracker_command(), *COLD_CMD]
    table.section(f"cold start: {' '.join(['tracker', *COLD_CMD])}  ({runs} runs)")
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy())
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise SystemExit(f"`{' '.join(cmd)}` failed ({proc.returncode}):\n{proc.stderr}")
    med = statistics.median(times)
    table.add("wall time, median", f"{med:.3f} s", "< 1.5 s", med < 1.5)
    table.add("wall time, min", f"{min(times):.3f} s")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    table.add("(bare python start-up, for scale)", f"{time.perf_counter() - t0:.3f} s")


def bench_where(table: Table, repeat: int) -> None:
    import tracker
    from tracker.errors import TrackerError

    table.section(f"warm tracker.where(name), {len(NAMES)} names x {repeat}")
    first, _ = _timed(tracker.where, NAMES[0])  # warm-up: loads the name index
    table.add("first call (loads the name index)", _ms(first))

    def run(**kwargs) -> tuple[list[float], dict[str, float], int]:
        times, worst, failed = [], {}, 0
        for _ in range(repeat):
            for name in NAMES:
                t0 = time.perf_counter()
                try:
                    tracker.where(name, **kwargs)
                except TrackerError:
                    failed += 1
                took = time.perf_counter() - t0
                times.append(took)
                worst[name] = max(worst.get(name, 0.0), took)
        return times, worst, failed

    for label, kwargs in (("", {}), (f'context="{CONTEXT}", ', {"context": CONTEXT})):
        _timed(tracker.where, NAMES[0], **kwargs)  # warm-up for this mode too
        times, worst, failed = run(**kwargs)
        med, p95 = np.median(times), np.percentile(times, 95)
        table.add(f"{label}median", _ms(med), "< 5 ms", med < 5e-3)
        table.add(f"{label}p95", _ms(p95), "< 5 ms", p95 < 5e-3)
        slow = sorted(worst.items(), key=lambda kv: -kv[1])[:3]
        table.add(f"{label}slowest", ", ".join(f"{n} {t * 1e3:.0f}" for n, t in slow) + " ms")
        if failed:
            table.add(f"{label}not found (timed anyway)", f"{failed // repeat} names")


def bench_regions(table: Table, n_points: int, repeat: int) -> None:
    import geopandas as gpd

    import tracker
    from tracker.data.store import load

    rng = np.random.default_rng(SEED)
    lon = rng.uniform(BBOX[0], BBOX[2], n_points)
    lat = rng.uniform(BBOX[1], BBOX[3], n_points)

    store = load()
    cached = "regions" in vars(store)  # where(context=...) may have loaded it already
    setup, index = _timed(lambda: store.regions)
    table.section(f"region lookup, single thread, {n_points:,} random points in the bbox")
    table.add("RegionIndex load (once per process)", "already loaded" if cached else _ms(setup))
    first, res = _timed(index.lookup, lon, lat, borders=False)
    table.add("first lookup(borders=False), incl. lazy set-up", _rate(n_points, first))
    times = [_timed(index.lookup, lon, lat, borders=False)[0] for _ in range(repeat)]
    best, med = min(times), statistics.median(times)
    aim_met = n_points / med > 3e5
    table.add("lookup(borders=False), median", _rate(n_points, med), "> 300,000", aim_met)
    table.add("lookup(borders=False), best", _rate(n_points, best))
    inside = pd.notna(res["polygon_oblast_code"])
    table.add("share of points in an oblast", f"{inside.mean():.1%}")
    table.add("share on a border", f"{res['on_border'].mean():.4%}")

    # Points inside Ukraine for the heavier calls.
    k = 100_000
    sel = np.flatnonzero(inside)
    while sel.size < k:  # only with a small --points
        more_lon = rng.uniform(BBOX[0], BBOX[2], k)
        more_lat = rng.uniform(BBOX[1], BBOX[3], k)
        keep = pd.notna(index.lookup(more_lon, more_lat, borders=False)["polygon_oblast_code"])
        lon, lat = np.concatenate([lon, more_lon[keep]]), np.concatenate([lat, more_lat[keep]])
        sel = np.concatenate([sel, np.arange(lon.size - keep.sum(), lon.size)])
    lon_in, lat_in = lon[sel[:k]], lat[sel[:k]]
    table.section(f"{k:,} random points inside Ukraine")
    times = [_timed(index.lookup, lon_in, lat_in, borders=True)[0] for _ in range(repeat)]
    table.add("lookup(borders=True), median", _rate(k, statistics.median(times)))
    frame = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon_in, lat_in), crs=4326)
    tracker.regions_for_points(frame.iloc[:10])  # warm-up (loads the unit layers' names)
    times = [_timed(tracker.regions_for_points, frame)[0] for _ in range(repeat)]
    table.add("regions_for_points(gdf) (borders+units)", _rate(k, statistics.median(times)))
    times = [_timed(tracker.regions_for_points, frame, units=False)[0] for _ in range(repeat)]
    table.add("regions_for_points(gdf, units=False)", _rate(k, statistics.median(times)))

    table.section("tracker.region_at(lon, lat), one point at a time")
    pts = list(zip(lon_in[:200].tolist(), lat_in[:200].tolist(), strict=True))
    first, _ = _timed(tracker.region_at, *pts[0])
    table.add("first call", _ms(first))
    times = [_timed(tracker.region_at, x, y)[0] for x, y in pts for _ in range(repeat)]
    table.add(f"median over {len(pts)} points", _ms(statistics.median(times)))
    table.add("p95", _ms(float(np.percentile(times, 95))))


DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "corpus.jsonl"


def bench_parse(table: Table, corpus: Path, megabytes: float) -> None:
    """End-to-end parse (detect, resolve, region checks) of the dev texts repeated."""
    import json

    from tracker.data.store import load
    from tracker.models import Article
    from tracker.parsing import parse_article

    if not corpus.is_file():
        table.section(f"parse throughput: corpus {corpus} not found (give --corpus)")
        return
    texts = [json.loads(line)["text"] for line in corpus.read_text().splitlines() if line.strip()]
    size = sum(len(t.encode()) for t in texts)
    copies = max(1, int(megabytes * 1e6 / size) + 1)
    docs = [Article(id=f"{i}", text=t) for i in range(copies) for t in texts]
    total = size * copies
    store = load()
    parse_article(docs[0], store=store)  # load the indexes once, outside the timing
    t0 = time.perf_counter()
    mentions = sum(len(parse_article(d, store=store).mentions) for d in docs)
    took = time.perf_counter() - t0
    table.section(
        f"tracker.parse, dev texts x {copies} = {total / 1e6:.1f} MB ({len(docs)} documents)"
    )
    rate = total / 1000 / took
    table.add("throughput after load, one core", f"{rate:,.0f} KB/s", "> 300 KB/s", rate > 300)
    table.add("place mentions per second", f"{mentions / took:,.0f}")
    table.add("density of this corpus", f"one place name per {total / mentions:.0f} bytes")


def bench_frontline(table: Table) -> None:
    """Front-line status of 10,000 settlements on one date; the control-history build."""
    import numpy as np

    from tracker.data.store import load
    from tracker.frontline import control_table, frontline_of
    from tracker.gazetteer import load as load_gazetteer

    store = load()
    gazetteer = load_gazetteer(store.root)
    front = frontline_of(store)
    ids, lon, lat = gazetteer.located
    rng = np.random.default_rng(4)
    pick = rng.choice(len(ids), 10_000, replace=False)
    front.status(lon[pick[:10]], lat[pick[:10]], "2025-08-27")  # load that snapshot once
    table.section("front line (DeepStateMap archive)")
    took, _ = _timed(front.status, lon[pick], lat[pick], "2025-08-27")
    table.add("status of 10,000 settlements on one date", _ms(took))
    took, _ = _timed(front.status, lon[pick], lat[pick], "2024-12-01")
    table.add("  the same on a date not loaded before", _ms(took))
    dates = [d.isoformat() for d in front.dates]
    geoms = [front.occupied(i) for i in range(len(dates))]
    codes = gazetteer.col["katottg"][ids]
    took, table_ = _timed(control_table, dates, geoms, codes, lon, lat)
    table.add(f"control history: {len(ids):,} settlements x {len(dates)} days", _ms(took))
    table.add(
        "  settlements ever inside / changing control",
        f"{table_['katottg'].nunique():,} / {(table_.groupby('katottg').size() > 1).sum():,}",
    )
    took, _ = _timed(front.area_km2, "2025-09-30")
    table.add("occupied area on one date (geodesic)", _ms(took))


def bench_map(table: Table, n_places: int = 5000) -> None:
    """A map of *n_places* settlements across the gazetteer: build + save time and HTML size
    (``bench/bench_map.py``)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_map import run

    table.section(f"map of {n_places:,} places across the gazetteer (front line 2025-08-27)")
    for measure, figure in run(n_places):
        table.add(measure, figure)


def bench_parse_start(table: Table, runs: int, corpus: Path) -> None:
    """Start-up of the parse command on a one-sentence article."""
    cmd = [*_tracker_command(), "parse", "-"]
    text = "Russian troops entered Zaporizke and Novoheorhiivka in the Dnipropetrovsk region."
    table.section(f"start-up: echo '<one sentence>' | tracker parse -  ({runs} runs)")
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, input=text, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise SystemExit(f"`{' '.join(cmd)}` failed ({proc.returncode}):\n{proc.stderr}")
    table.add("wall time, median", f"{statistics.median(times):.3f} s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=1_000_000, help="points for throughput")
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed repetitions of each in-process figure"
    )
    parser.add_argument("--cold-runs", type=int, default=5, help="runs of the cold-start command")
    parser.add_argument("--skip-cold", action="store_true", help="skip the cold-start runs")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="dev corpus (JSONL)")
    parser.add_argument("--megabytes", type=float, default=5.0, help="text to parse, repeated")
    args = parser.parse_args(argv)

    from tracker.data.store import load

    directory = load().directory  # fails early, with a build hint, when there is no data
    table = Table()
    print(f"date       {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(
        f"machine    {platform.machine()}, {os.cpu_count()} CPUs"
        f" ({platform.processor() or platform.system()})"
    )
    print(f"python     {platform.python_version()} ({platform.python_implementation()})")
    print(f"data       {directory}  (TRACKER_DATA_DIR={os.environ.get('TRACKER_DATA_DIR', '-')})")
    if not args.skip_cold:
        bench_cold_start(table, args.cold_runs)
        bench_parse_start(table, args.cold_runs, args.corpus)
    print(f"in-process {_pin_one_core()}", flush=True)
    bench_where(table, args.repeat)
    bench_regions(table, args.points, args.repeat)
    bench_frontline(table)
    bench_map(table)
    bench_parse(table, args.corpus, args.megabytes)
    print()
    table.print()


if __name__ == "__main__":
    main()
