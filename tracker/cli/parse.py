"""``tracker parse`` and ``tracker map``: articles in, places out."""

from __future__ import annotations

import click

from .app import fail, main


def parse_paths(paths, date=None) -> list:
    """Parse every article under *paths*; report bad files on stderr (the others go on)."""
    from ..articles import ReadProblem, iter_articles
    from ..data.store import load
    from ..parsing import parse_article

    store, docs = load(), []
    for item in iter_articles(paths, date=date):
        if isinstance(item, ReadProblem):
            click.echo(f"{'error' if item.fatal else 'warning'}: {item.message}", err=True)
            continue
        docs.append(parse_article(item, store=store))
    return docs


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--date", help="Article date YYYY-MM-DD (overrides front matter and sidecars).")
@click.option("--json", "fmt", flag_value="json", default=True, help="JSON (default).")
@click.option("--geojson", "fmt", flag_value="geojson", help="GeoJSON FeatureCollection.")
@click.option("--csv", "fmt", flag_value="csv", help="CSV with ACLED-like columns.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (atomically).")
def parse(paths, date, fmt, output):
    """Find every place named in articles (files, directories, or - for stdin) and resolve it.

    Plain text, Markdown and HTML are read; a bad file is reported on stderr and the
    others are still parsed. Exit code 2 when no article could be parsed.
    """
    from ..errors import TrackerError
    from ..outputs import render, write_atomic

    try:
        docs = parse_paths(paths, date)
        if not docs:
            raise TrackerError("no article could be parsed; see the messages above")
        text = render(docs, fmt)
        if output:
            write_atomic(output, text if text.endswith("\n") else text + "\n")
            resolved = sum(m.place is not None for d in docs for m in d.mentions)
            click.echo(
                f"wrote {len(docs)} document(s), {resolved} resolved mention(s) to {output}",
                err=True,
            )
        else:
            click.echo(text, nl=not text.endswith("\n"))
    except TrackerError as err:
        fail(err)


# -- map ---------------------------------------------------------------------------------------


@main.command("map")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The HTML file to write (atomically).",
)
@click.option("--date", help="Article date / front-line date, YYYY-MM-DD.")
@click.option("--no-frontline", is_flag=True, help="Do not draw the DeepState occupied area.")
@click.option(
    "--offline",
    is_flag=True,
    help="One self-contained file: scripts inlined, no tile server (vector basemap).",
)
@click.option("--title", help="Title shown on the map.")
def map_command(paths, output, date, no_frontline, offline, title):
    """Draw an interactive map of the places named in articles (files, directories, -)."""
    from ..data.store import load
    from ..errors import TrackerError
    from ..maps import build_map, save_map

    try:
        store = load()
        docs = parse_paths(paths, date)
        if not docs:
            raise TrackerError("no article could be read; nothing to map (see the messages above)")
        m = build_map(
            docs, date=date, frontline=not no_frontline, title=title, offline=offline, store=store
        )
        size = save_map(m, output, offline=offline)
    except TrackerError as err:
        fail(err)
    s = m.tracker_summary
    if s["markers"] == 0:
        click.echo(
            "warning: no place in these articles could be resolved; the map shows only "
            "the oblasts" + (" and the front line" if s["date"] else ""),
            err=True,
        )
    click.echo(
        f"wrote {output} ({size / 1e6:.1f} MB): {s['markers']} places, "
        f"{s['unresolved']} unresolved mentions listed"
        + (f", front line on {s['date']}" if s["date"] and not no_frontline else "")
        + (", self-contained" if offline else ""),
        err=True,
    )
