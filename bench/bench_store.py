"""Article store figures: ingest throughput and the latency of one settlement's history.

    python bench/bench_store.py [--postgres URL] [--articles 60] [--store-size 10000]

* Ingest: ``--articles`` articles made from the example texts (each its own text, URL and
  date), ingested through :func:`tracker.store.ingest` into a fresh SQLite file and (with
  ``--postgres`` or ``TRACKER_TEST_POSTGRES``, a server URL whose user may create databases)
  a fresh PostgreSQL database, with one parser process and with every core; articles/s and
  KB/s of article text, the data load excluded (it is paid once per process).
* History: a store of ``--store-size`` articles, built synthetically: the three example
  articles are parsed once, then stored again and again with another text suffix (another
  id), date and URL through the store's write path (:meth:`ArticleStore.write`, as ingest does,
  without parsing each copy again); then the median and p95 of ``claims_about`` (what
  ``tracker history`` adds to the timeline) and of ``tracker.events(place=...)`` for one
  settlement.

Needs the built data (``TRACKER_DATA_DIR``) and ``../shared/articles``.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ARTICLES = ROOT.parent / "shared" / "articles"
EXAMPLES = {
    "000_3887827409b130bc.txt": "2025-06-08",
    "001_dc9c6a9d17563651.txt": "2025-05-07",
    "004_35ed6482ca630a39.txt": "2025-08-27",
}
ZAPORIZKE = "UA12140050040024246"


def _generate(directory: Path, n: int) -> int:
    texts = [(ARTICLES / name).read_text(encoding="utf-8") for name in EXAMPLES]
    size = 0
    for i in range(n):
        day = date(2025, 5, 1) + timedelta(days=(7 * i) % 120)
        text = f"---\ndate: {day}\nurl: https://example.org/b/{i}\n---\nDispatch {i}.\n\n"
        text += texts[i % 3]
        (directory / f"a{i:05d}.md").write_text(text, encoding="utf-8")
        size += len(text.encode())
    return size


def _pg_database(admin: str) -> tuple[str, str]:
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    name = f"tracker_bench_{uuid.uuid4().hex[:8]}"
    url = make_url(admin).set(drivername="postgresql+psycopg")
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return make_url(admin).set(database=name).render_as_string(hide_password=False), name


def _pg_drop(admin: str, name: str) -> None:
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    url = make_url(admin).set(drivername="postgresql+psycopg")
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


def bench_ingest(urls: dict[str, str], n: int, tmp: Path) -> None:
    from tracker.articles import iter_articles
    from tracker.data.store import load
    from tracker.parallel import default_jobs
    from tracker.store import ingest, open_store

    articles = tmp / "articles"
    articles.mkdir()
    size = _generate(articles, n)
    data = load()
    from tracker.parsing import parse_article

    parse_article(next(iter_articles([str(articles)])), store=data)  # warm the lazy indexes
    cores = default_jobs()
    print(f"ingest of {n} articles ({size / 1000:.0f} KB), data loaded once; {cores} core(s)")
    for engine, make in urls.items():
        for jobs in sorted({1, cores}):
            url, cleanup = make()
            try:
                with open_store(url, create=True) as store:
                    started = time.perf_counter()
                    summary = ingest([str(articles)], store, data=data, jobs=jobs)
                    seconds = time.perf_counter() - started
                assert summary.counts["new"] == n, summary
            finally:
                cleanup()
            print(
                f"  {engine:<10} --jobs {jobs}: {n / seconds:6.1f} articles/s, "
                f"{size / 1000 / seconds:6.1f} KB/s ({seconds:.1f} s)"
            )


def bench_history(url: str, size: int, engine: str) -> None:
    from tracker.data.store import load
    from tracker.parsing import parse_article
    from tracker.store import events, open_store
    from tracker.store.query import claims_about
    from tracker.store.rows import to_rows

    data = load()
    from tracker.articles import iter_articles

    docs = [
        parse_article(a, store=data)
        for name, day in EXAMPLES.items()
        for a in iter_articles([str(ARTICLES / name)], date=day)
    ]
    build = data.build_id
    started = time.perf_counter()
    with open_store(url, create=True) as store:
        batch = []
        for i in range(size):
            doc = docs[i % 3]
            day = date(2025, 5, 1) + timedelta(days=i % 150)
            article = dataclasses.replace(
                doc.article,
                text=f"{doc.article.text}\n\n[copy {i}]",
                id=f"copy{i:05d}",
                date=day.isoformat(),
                url=f"https://example.org/copy/{i}",
            )
            batch.append((to_rows(dataclasses.replace(doc, article=article)), build))
            if len(batch) == 250:
                store.write(batch)
                batch = []
        if batch:
            store.write(batch)
        built_in = time.perf_counter() - started
        times, rows = [], 0
        for _ in range(25):
            t0 = time.perf_counter()
            rows = len(claims_about(store, ZAPORIZKE))
            times.append((time.perf_counter() - t0) * 1000)
        frame_times = []
        for _ in range(5):
            t0 = time.perf_counter()
            frame = events(place=ZAPORIZKE, db=url)
            frame_times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(
        f"  {engine:<10} store of {size:,} articles written in {built_in:.1f} s "
        f"({size / built_in:,.0f} articles/s); history of Zaporizke ({rows:,} stored claims): "
        f"median {statistics.median(times):.1f} ms, "
        f"p95 {times[int(0.95 * len(times)) - 1]:.1f} ms; "
        f"tracker.events(place=...) GeoDataFrame of {len(frame):,}: "
        f"median {statistics.median(frame_times):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("TRACKER_TEST_POSTGRES"))
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--store-size", type=int, default=10_000)
    args = parser.parse_args()
    started = time.perf_counter()
    sum(range(10**7))
    print(
        f"CPU check: sum(range(10**7)) took {time.perf_counter() - started:.2f} s "
        f"(load average {os.getloadavg()[0]:.1f}; about 0.15 s on an idle core)"
    )
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        counter = iter(range(1_000_000))

        def sqlite():
            path = tmp / f"s{next(counter)}.sqlite"
            return f"sqlite:///{path}", lambda: None

        makers = {"SQLite": sqlite}
        if args.postgres:

            def postgres():
                url, name = _pg_database(args.postgres)
                return url, lambda: _pg_drop(args.postgres, name)

            makers["PostgreSQL"] = postgres
        else:
            print("(no --postgres / TRACKER_TEST_POSTGRES: SQLite only)")
        bench_ingest(makers, args.articles, tmp)
        print(f"history of one settlement on a store of {args.store_size:,} articles")
        for engine, make in makers.items():
            url, cleanup = make()
            try:
                bench_history(url, args.store_size, engine)
            finally:
                cleanup()


if __name__ == "__main__":
    main()
