"""``tracker parse`` and ``tracker map``: articles in, places out.

Both check ``-o`` (:func:`tracker.paths.check_output`), ``--date`` and ``--max-bytes``
before any data is loaded or any article read; ``parse`` then streams: one document is
read, parsed and written at a time (:class:`tracker.outputs.DocumentWriter` into an
:class:`~tracker.outputs.AtomicWriter` or standard output).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import click

from .app import Notices, echo, fail, jobs_option, main

_GLOB_HELP = (
    "Read only the files of a directory this shell pattern names ('*.txt', "
    "'2025-*/*.html'; repeatable); default: .txt .md .html .htm files but README*, LICENSE*, "
    "CHANGELOG*."
)
_MAX_BYTES_HELP = (
    "Refuse a file or stdin larger than this per document, e.g. 200MB, 1GB (default 50MB)."
)


def iter_parsed(
    paths: Iterable[str],
    date: str | None = None,
    *,
    max_bytes: int | None = None,
    store=None,
    notices: Notices | None = None,
    jobs: int | None = 1,
    progress: bool = False,
    glob: tuple[str, ...] | None = None,
    fmt: str | None = None,
) -> Iterator:
    """Parse every article under *paths*, one at a time and in order (with *jobs* worker
    processes, :func:`tracker.parallel.parse_stream`); report bad files on stderr (the others
    go on) and, once, a date outside the front-line archive. *progress*: a progress bar on
    stderr when it is a terminal. *glob*: the patterns choosing a directory's articles.
    *fmt*: yield each document already rendered in that output format
    (:class:`tracker.outputs.Rendered`, made where it was parsed) instead of the document."""
    from ..articles import DEFAULT_MAX_BYTES, ReadProblem, iter_articles
    from ..parallel import parse_stream

    items = iter_articles(
        paths, date=date, max_bytes=max_bytes or DEFAULT_MAX_BYTES, glob=glob or None
    )
    notices = notices if notices is not None else Notices()
    data = {"store": store}

    def problem(item) -> None:
        if isinstance(item, ReadProblem):
            echo(f"{'error' if item.fatal else 'warning'}: {item.message}", err=True)

    def article(item) -> None:
        if item.date:
            from ..data.store import load
            from ..frontline import frontline_of

            data["store"] = data["store"] or load()  # only once an article is read
            notices(frontline_of(data["store"]).notice(item.date))

    prepare = None
    if fmt is not None:
        from functools import partial

        from ..outputs import render_document

        prepare = partial(render_document, fmt=fmt)
    parsed = parse_stream(
        items, jobs=jobs, store=store, on_other=problem, on_article=article, prepare=prepare
    )
    if not progress:
        yield from parsed
        return
    yield from _with_progress(parsed, paths)


def _with_progress(parsed: Iterator, paths: Iterable[str]) -> Iterator:
    """*parsed* with a tqdm bar on stderr (documents, KB/s, ETA) when stderr is a terminal
    and the run lasts more than a second; nothing otherwise."""
    import sys
    import time

    if not sys.stderr.isatty():
        yield from parsed
        return
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread (worker processes are forked)
    started, size = time.perf_counter(), 0
    with tqdm(
        total=_count_documents(paths), unit="doc", delay=1.0, file=sys.stderr, leave=False
    ) as bar:
        for doc in parsed:
            size += _text_bytes(doc)
            bar.update(1)
            bar.set_postfix_str(
                f"{size / 1e3 / max(time.perf_counter() - started, 1e-9):,.0f} KB/s",
                refresh=False,
            )
            yield doc


def _text_bytes(doc) -> int:
    """Bytes of a parsed (or rendered) document's article text."""
    from ..outputs import Rendered

    if isinstance(doc, Rendered):
        return doc.size
    return len(doc.article.text.encode("utf-8", "surrogatepass"))


def _count_documents(paths: Iterable[str]) -> int | None:
    """How many documents *paths* name (directories expanded), for the progress bar."""
    import os
    import stat
    from pathlib import Path

    from ..articles import expand_dir

    total = 0
    for item in paths:
        if item == "-":
            total += 1
            continue
        try:
            is_dir = stat.S_ISDIR(os.stat(item).st_mode)
        except (OSError, ValueError):
            continue
        total += len(expand_dir(Path(item), [])[0]) if is_dir else 1
    return total or None


def parse_paths(paths, date=None, *, max_bytes: int | None = None) -> list:
    """Parse every article under *paths*; report bad files on stderr (the others go on)."""
    return list(iter_parsed(paths, date, max_bytes=max_bytes))


def _checked_arguments(paths, date, max_bytes, output, *, stdout_ok: bool, glob=None):
    """``(date, limit, target)`` checked before any work (exit 2 on a bad one)."""
    from ..articles import check_date, input_sources, parse_size
    from ..errors import InputError
    from ..paths import check_output

    day = check_date(date)
    limit = parse_size(max_bytes)
    target = None
    if output is not None:
        walked = list(input_sources(paths, glob or None))  # one walk of the directories
        target = check_output(
            output,
            inputs=[name for name, _ in walked],
            sidecars=[(name, article) for name, article in walked if article is not None],
        )
        if target.is_stdout and not stdout_ok:
            raise InputError("-o - (standard output) is not supported here; give a file name")
    return day, limit, target


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--date", help="Article date YYYY-MM-DD or 'today' (overrides front matter and sidecars)."
)
@click.option("--json", "fmt", flag_value="json", default=True, help="JSON (default).")
@click.option("--geojson", "fmt", flag_value="geojson", help="GeoJSON FeatureCollection.")
@click.option("--csv", "fmt", flag_value="csv", help="CSV with ACLED-like columns.")
@click.option(
    "--geojsonseq",
    "fmt",
    flag_value="geojsonseq",
    help="GeoJSON text sequence (RFC 8142): one Feature per record.",
)
@click.option(
    "-o",
    "--output",
    help="Write to this regular file, atomically (- for standard output, the default).",
)
@click.option("--max-bytes", default="50MB", show_default=True, help=_MAX_BYTES_HELP)
@jobs_option(
    "Worker processes (default: every core; 1: serial). Output order and content "
    "are the same whatever the number."
)
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS",
    help="Run on a Dask cluster (tcp://scheduler:8786, or local:N for N local workers); "
    "-o names a directory that gets one JSON Lines part per partition.",
)
@click.option(
    "--partitions", type=click.IntRange(min=1), help="Dask partitions (default: 4 per worker)."
)
@click.option("--glob", "globs", multiple=True, metavar="PATTERN", help=_GLOB_HELP)
def parse(paths, date, fmt, output, max_bytes, jobs, dask_address, partitions, globs):
    """Find every place named in articles (files, directories, or - for stdin) and resolve it.

    Plain text, Markdown and HTML are read; a bad file is reported on stderr and the
    others are still parsed. Exit code 2 when no article could be parsed. -o refuses a
    directory, device, FIFO, socket, anything under /proc, /sys or /dev, any input file, and
    an input article's sidecar name (x.json beside x.txt, even before it exists); a failed
    write (disk full, closed pipe) exits 4 with the old file intact. Documents are read,
    parsed and written one at a time (memory stays flat), on every core (--jobs).
    """
    from ..errors import TrackerError
    from ..outputs import DocumentWriter, open_output

    if dask_address is not None:
        _parse_on_dask(paths, date, fmt, output, max_bytes, dask_address, partitions)
        return
    try:
        day, limit, target = _checked_arguments(
            paths, date, max_bytes, output, stdout_ok=True, glob=globs
        )
        resolved = 0
        with open_output(target) as sink:
            writer = DocumentWriter(sink, fmt)
            parsed = iter_parsed(
                paths, day, max_bytes=limit, jobs=jobs, progress=True, glob=globs, fmt=fmt
            )
            for doc in parsed:  # rendered where it was parsed (in the workers)
                writer.add(doc)
                resolved += doc.resolved
            if writer.count == 0:
                raise TrackerError("no article could be parsed; see the messages above")
            writer.close()
        if target is not None and not target.is_stdout:
            echo(
                f"wrote {writer.count} document(s), {resolved} resolved mention(s) to "
                f"{target.given}",
                err=True,
            )
    except TrackerError as err:
        fail(err)


def _parse_on_dask(paths, date, fmt, output, max_bytes, address, partitions) -> None:
    """``parse --dask ADDRESS -o DIR``: the documents parsed on a Dask cluster, one JSON Lines
    part per partition in DIR (:func:`tracker.dask.parse_to_parts`)."""
    from ..articles import check_date, parse_size
    from ..errors import InputError, TrackerError

    try:
        if output is None or output == "-":
            raise InputError("--dask needs -o DIR: the directory that gets one part per partition")
        if fmt != "json":
            raise InputError(f"--dask writes JSON Lines parts; drop --{fmt}")
        from ..dask import parse_to_parts

        report = parse_to_parts(
            paths,
            output,
            address=address,
            date=check_date(date),
            max_bytes=parse_size(max_bytes),
            partitions=partitions,
        )
    except TrackerError as err:
        fail(err)
    for problem in report.problems:
        echo(f"warning: {problem}", err=True)
    echo(
        f"wrote {report.documents} document(s) in {len(report.parts)} part(s) to {output} "
        f"on {report.workers} Dask worker(s)",
        err=True,
    )
    if report.failed:
        fail(
            TrackerError(
                f"{len(report.failed)} partition(s) failed after retries: "
                + "; ".join(report.failed[:5])
            )
        )


# -- map ---------------------------------------------------------------------------------------


@main.command("map")
@click.argument("paths", nargs=-1)
@click.option(
    "-o",
    "--output",
    required=True,
    help="The HTML file to write (a regular file, written atomically).",
)
@click.option("--date", help="Article date / front-line date, YYYY-MM-DD or 'today'.")
@click.option("--no-frontline", is_flag=True, help="Do not draw the DeepState occupied area.")
@click.option(
    "--offline",
    is_flag=True,
    help="One self-contained file: scripts inlined, no tile server (vector basemap).",
)
@click.option("--title", help="Title shown on the map.")
@click.option("--max-bytes", default="50MB", show_default=True, help=_MAX_BYTES_HELP)
@click.option(
    "--db",
    is_flag=False,
    flag_value="",
    metavar="[URL]",
    help="Also draw the articles of the article store (--db alone: the default store).",
)
@click.option("--since", help="With --db: the first article date, YYYY-MM-DD.")
@click.option("--until", help="With --db: the last article date, YYYY-MM-DD.")
@click.option("--glob", "globs", multiple=True, metavar="PATTERN", help=_GLOB_HELP)
@jobs_option("Worker processes for parsing (default: every core; 1: serial).")
def map_command(
    paths, output, date, no_frontline, offline, title, max_bytes, db, since, until, globs, jobs
):
    """Draw an interactive map of the places named in articles (files, directories, -), or
    of the article store's articles of a period (--db, --since, --until)."""
    from ..data.store import load
    from ..errors import TrackerError
    from ..frontline import frontline_of
    from ..maps import build_map, save_map

    try:
        day, limit, target = _checked_arguments(
            paths, date, max_bytes, output, stdout_ok=False, glob=globs
        )
        if title is not None:
            from ..paths import unsurrogate

            title = unsurrogate(title)  # an argument that is not UTF-8 stays printable
        from .store import map_docs

        docs = map_docs(paths, db, since, until)  # the stored articles first (--db)
        store = load()
        notices = Notices()
        docs += list(
            iter_parsed(
                paths, day, max_bytes=limit, store=store, notices=notices, glob=globs, jobs=jobs
            )
        )
        if not docs:
            raise TrackerError("no article could be read; nothing to map (see the messages above)")
        m = build_map(
            docs, date=day, frontline=not no_frontline, title=title, offline=offline, store=store
        )
        s = m.tracker_summary
        if s["date"] and not no_frontline:
            notices(frontline_of(store).notice(s["date"]))
        size = save_map(m, target, offline=offline)
    except TrackerError as err:
        fail(err)
    if s["markers"] == 0:
        echo(
            "warning: no place in these articles could be resolved; the map shows only "
            "the oblasts" + (" and the front line" if s["date"] else ""),
            err=True,
        )
    shown = getattr(m, "tracker_frontline", None)
    front = ""
    if s["date"] and not no_frontline:
        front = f", front line on {s['date']}"
        if shown and shown["snapshot"] != s["date"]:
            front += f" (DeepStateMap snapshot {shown['snapshot']})"
        if s.get("date_source", "").startswith("the newest snapshot"):
            echo(f"note: {s['frontline']}", err=True)  # never silently without a date
            front += " (the newest snapshot; no article date)"
    echo(
        f"wrote {target.given} ({size / 1e6:.1f} MB): {s['markers']} places, "
        f"{s['unresolved']} unresolved mentions listed"
        + front
        + (", self-contained" if offline else ""),
        err=True,
    )
