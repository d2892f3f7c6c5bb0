"""``tracker parse`` and ``tracker map``: articles in, places out.

Both check ``-o`` (:func:`tracker.paths.check_output`), ``--date`` and ``--max-bytes``
before any data is loaded or any article read; ``parse`` then streams: one document is
read, parsed and written at a time (:class:`tracker.outputs.DocumentWriter` into an
:class:`~tracker.outputs.AtomicWriter` or standard output).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import click

from .app import Notices, echo, fail, main

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
) -> Iterator:
    """Parse every article under *paths*, one at a time; report bad files on stderr (the
    others go on) and, once, a date outside the front-line archive."""
    from ..articles import DEFAULT_MAX_BYTES, ReadProblem, iter_articles
    from ..data.store import load
    from ..parsing import parse_article

    items = iter_articles(paths, date=date, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    notices = notices if notices is not None else Notices()
    for item in items:
        if isinstance(item, ReadProblem):
            echo(f"{'error' if item.fatal else 'warning'}: {item.message}", err=True)
            continue
        store = store or load()  # only once an article is read: bad inputs need no data
        if item.date:
            notices(store.frontline.notice(item.date))
        yield parse_article(item, store=store)


def parse_paths(paths, date=None, *, max_bytes: int | None = None) -> list:
    """Parse every article under *paths*; report bad files on stderr (the others go on)."""
    return list(iter_parsed(paths, date, max_bytes=max_bytes))


def _checked_arguments(paths, date, max_bytes, output, *, stdout_ok: bool):
    """``(date, limit, target)`` checked before any work (exit 2 on a bad one)."""
    from ..articles import check_date, input_files, parse_size
    from ..errors import InputError
    from ..paths import check_output

    day = check_date(date)
    limit = parse_size(max_bytes)
    target = None
    if output is not None:
        target = check_output(output, inputs=input_files(paths))
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
    "-o",
    "--output",
    help="Write to this regular file, atomically (- for standard output, the default).",
)
@click.option("--max-bytes", default="50MB", show_default=True, help=_MAX_BYTES_HELP)
def parse(paths, date, fmt, output, max_bytes):
    """Find every place named in articles (files, directories, or - for stdin) and resolve it.

    Plain text, Markdown and HTML are read; a bad file is reported on stderr and the
    others are still parsed. Exit code 2 when no article could be parsed. -o refuses a
    directory, device, FIFO, socket, anything under /proc, /sys or /dev, and any input file;
    a failed write (disk full, closed pipe) exits 4 with the old file intact.
    """
    from ..errors import TrackerError
    from ..outputs import DocumentWriter, open_output

    try:
        day, limit, target = _checked_arguments(paths, date, max_bytes, output, stdout_ok=True)
        resolved = 0
        with open_output(target) as sink:
            writer = DocumentWriter(sink, fmt)
            for doc in iter_parsed(paths, day, max_bytes=limit):
                writer.add(doc)
                resolved += sum(m.place is not None for m in doc.mentions)
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


# -- map ---------------------------------------------------------------------------------------


@main.command("map")
@click.argument("paths", nargs=-1, required=True)
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
def map_command(paths, output, date, no_frontline, offline, title, max_bytes):
    """Draw an interactive map of the places named in articles (files, directories, -)."""
    from ..data.store import load
    from ..errors import TrackerError
    from ..maps import build_map, save_map

    try:
        day, limit, target = _checked_arguments(paths, date, max_bytes, output, stdout_ok=False)
        if title is not None:
            from ..paths import unsurrogate

            title = unsurrogate(title)  # an argument that is not UTF-8 stays printable
        store = load()
        notices = Notices()
        docs = list(iter_parsed(paths, day, max_bytes=limit, store=store, notices=notices))
        if not docs:
            raise TrackerError("no article could be read; nothing to map (see the messages above)")
        m = build_map(
            docs, date=day, frontline=not no_frontline, title=title, offline=offline, store=store
        )
        s = m.tracker_summary
        if s["date"] and not no_frontline:
            notices(store.frontline.notice(s["date"]))
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
    echo(
        f"wrote {target.given} ({size / 1e6:.1f} MB): {s['markers']} places, "
        f"{s['unresolved']} unresolved mentions listed"
        + front
        + (", self-contained" if offline else ""),
        err=True,
    )
