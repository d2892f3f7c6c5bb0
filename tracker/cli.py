"""The ``tracker`` command: a thin layer that parses, calls the public API and prints.

Exit codes: 0 success, 1 place not found, 2 bad input (coordinates, oblast,
empty name, outside Ukraine, bad file), 3 data not built / sources missing.
"""

from __future__ import annotations

import json
import logging
import sys

import click

from . import __version__

_EXIT = {"PlaceNotFound": 1, "DataNotBuilt": 3, "SourceError": 3}


def _fail(err: Exception) -> None:
    click.echo(f"error: {err}", err=True)
    sys.exit(_EXIT.get(type(err).__name__, 2))


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2, default=str)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tracker")
@click.option("-v", "--verbose", count=True, help="More log output (repeatable).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
def main(verbose: int, quiet: bool) -> None:
    """Turn war reporting into verified geography (Ukraine)."""
    level = logging.ERROR if quiet else (logging.WARNING - 10 * verbose)
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(message)s")


# -- where -------------------------------------------------------------------------------------


def _border_text(c) -> str:
    if c.km_to_oblast_border is None:
        return ""
    return f"{c.km_to_oblast_border:.1f} km to {c.across_border} border"


def _candidate_line(rank: int, c) -> str:
    admin = " / ".join(x for x in (c.oblast, c.raion, c.hromada) if x)
    xy = f"{c.lat:.5f},{c.lon:.5f}" if c.lon is not None else "no coordinates"
    return (
        f"{rank:>2}  {c.score:5.3f}  {c.name} ({c.name_uk})  {c.kind}  {admin}  "
        f"{c.katottg}  {xy}  {_border_text(c)}".rstrip()
    )


def _region_lines(r) -> list[str]:
    lines = [
        f"{r.lat:.5f},{r.lon:.5f}: {r.oblast} oblast ({r.oblast_iso})"
        + (" — on the border" if r.on_border else ""),
        f"  raion:   {r.raion or 'unknown'} ({r.raion_code or '-'})  [generalised polygons]",
        f"  hromada: {r.hromada or 'unknown'} ({r.hromada_code or '-'})  [generalised polygons]",
    ]
    for oblast, km in r.borders:
        lines.append(f"  {km:.1f} km to the {oblast} border")
    if r.nearest_settlement is not None:
        s = r.nearest_settlement
        lines.append(
            f"  nearest settlement: {s.name} ({s.name_uk}, {s.kind}, {s.katottg}), "
            f"{r.km_to_nearest_settlement:.1f} km"
        )
    if r.note:
        lines.append(f"  note: {r.note}")
    return lines


@main.command()
@click.argument("query")
@click.option("--oblast", help="Prefer places in this oblast (others are still listed).")
@click.option("--near", help="Prefer places near this place or LAT,LON.")
@click.option("--context", help='Free text to rank by, e.g. "SE of Oleksandrivka".')
@click.option("--limit", type=int, help="Show at most N candidates.")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@click.option("--evidence", is_flag=True, help="Show why each candidate is ranked where it is.")
@click.option(
    "--map",
    "map_path",
    type=click.Path(dir_okay=False),
    help="Also draw the candidates and their regions to this HTML file.",
)
@click.option("--offline", is_flag=True, help="With --map: one self-contained file.")
def where(query, oblast, near, context, limit, as_json, evidence, map_path, offline):
    """Which place is QUERY, and which oblast / raion / hromada is it in?

    QUERY is a place name as news spell it, a KATOTTG code, or LAT,LON for the
    reverse question (which region is this point in).
    """
    from .errors import TrackerError
    from .models import parse_lonlat

    try:
        point = parse_lonlat(query)
        if point is not None:
            from . import region_at

            r = region_at(point.lon, point.lat)
            click.echo(_dump(r.to_dict()) if as_json else "\n".join(_region_lines(r)))
            return
        from . import where as api_where

        found = api_where(query, oblast=oblast, near=near, context=context, limit=limit)
        if map_path:
            from .maps import candidates_map, save_map

            save_map(
                candidates_map(found, title=f"Which place is {query!r}?", offline=offline),
                map_path,
                offline=offline,
            )
            click.echo(f"wrote {map_path}", err=True)
    except TrackerError as err:
        _fail(err)
    if as_json:
        click.echo(_dump([c.to_dict() for c in found]))
        return
    for rank, c in enumerate(found, 1):
        click.echo(_candidate_line(rank, c))
        if evidence:
            for line in c.evidence:
                click.echo(f"        - {line}")


# -- data --------------------------------------------------------------------------------------


@main.group()
def data() -> None:
    """Build, inspect and fetch the data."""


@data.command("build")
@click.option(
    "--sources",
    type=click.Path(file_okay=False),
    envvar="TRACKER_SOURCES",
    help="Sources directory (default: $TRACKER_SOURCES).",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    envvar="TRACKER_DATA_DIR",
    help="Output directory (default: $TRACKER_DATA_DIR or the user cache).",
)
def data_build(sources, data_dir):
    """Build the gazetteer and boundary tables from the source files."""
    from tqdm import tqdm

    from . import build_data
    from .errors import TrackerError

    bar = tqdm(
        total=9, desc="building", unit="step", disable=not sys.stderr.isatty(), file=sys.stderr
    )

    def progress(message: str) -> None:
        bar.set_description(message)
        bar.update(1)
        if bar.disable:
            click.echo(f"  {message}", err=True)

    try:
        manifest = build_data(sources, data_dir, progress=progress)
    except TrackerError as err:
        bar.close()
        _fail(err)
    bar.close()
    cov = manifest["coverage"]
    click.echo(
        f"built {manifest['counts']['places']:,} places in {manifest['build_seconds']} s; "
        f"{cov['settlements_with_coordinates']:,} of {manifest['counts']['settlements']:,} "
        f"settlements located ({cov['share_with_coordinates']:.1%})"
    )


@data.command("status")
@click.option("--data-dir", type=click.Path(file_okay=False), envvar="TRACKER_DATA_DIR")
@click.option("--json", "as_json", is_flag=True)
def data_status(data_dir, as_json):
    """What is built, from which inputs, when, and the coverage figures."""
    from . import data_status as api_status
    from .errors import TrackerError

    try:
        m = api_status(data_dir)
    except TrackerError as err:
        _fail(err)
    if as_json:
        click.echo(_dump(m))
        return
    cov, counts = m["coverage"], m["counts"]
    click.echo(f"built {m['built_at']} in {m['build_seconds']} s by tracker {m['tracker_version']}")
    click.echo(f"sources: {m['sources_dir']}  (codifier: {m['katottg_edition']})")
    for path, digest in sorted(m["inputs"].items()):
        click.echo(f"  {digest[:16]}  {path}")
    ds = m.get("deepstate", {})
    click.echo(
        f"  DeepState: {ds.get('snapshots')} daily snapshots {ds.get('first')} … {ds.get('last')}"
    )
    click.echo(
        "places: "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items() if k != "name_variants")
        + f"; {counts['name_variants']:,} searchable spellings"
    )
    click.echo(
        f"coverage: {cov['settlements_with_coordinates']:,} of {counts['settlements']:,} "
        f"settlements have coordinates ({cov['share_with_coordinates']:.1%})"
    )
    for how, n in cov["matched_by"].items():
        click.echo(f"  {n:>6,}  matched {how}")
    unmatched = sum(cov["geonames_unmatched"].values())
    click.echo(
        f"GeoNames: {unmatched:,} of {cov['geonames_populated_places']:,} populated places "
        "unmatched:"
    )
    for why, n in cov["geonames_unmatched"].items():
        click.echo(f"  {n:>6,}  {why}")
    click.echo(
        f"checks: {cov['located_outside_codifier_oblast']} located settlements fall outside their "
        f"codifier oblast; hromada polygons with a code {cov['hromada_polygons_with_code']}"
        f"/{cov['hromada_polygons']}, raion polygons {cov['raion_polygons_with_code']}/136"
    )


@data.command("fetch")
@click.option(
    "--sources",
    type=click.Path(file_okay=False),
    envvar="TRACKER_SOURCES",
    required=True,
    help="Directory to download into.",
)
@click.option(
    "--deepstate-from", help="Also fetch DeepState daily snapshots from this date (YYYY-MM-DD)."
)
@click.option("--deepstate-to", help="… up to this date (default: today).")
def data_fetch(sources, deepstate_from, deepstate_to):
    """Download the source files from their canonical origins (needs the network)."""
    from datetime import date, timedelta

    from .data.sources import fetch
    from .errors import TrackerError

    dates = []
    try:
        if deepstate_from:
            d = date.fromisoformat(deepstate_from)
            end = date.fromisoformat(deepstate_to) if deepstate_to else date.today()
            while d <= end:
                dates.append(d.strftime("%Y%m%d"))
                d += timedelta(days=1)
    except ValueError as err:
        _fail(ValueError(f"bad date: {err}; expected YYYY-MM-DD"))
    try:
        written = fetch(
            sources, deepstate_dates=dates, progress=lambda p: click.echo(f"  {p}", err=True)
        )
    except (TrackerError, OSError) as err:
        _fail(err)
    click.echo(f"fetched {len(written)} files into {sources}")


# -- parse -------------------------------------------------------------------------------------


def _parse_paths(paths, date=None) -> list:
    """Parse every article under *paths*; report bad files on stderr (the others go on)."""
    from .articles import ReadProblem, iter_articles
    from .data.store import load
    from .parsing import parse_article

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
    from .errors import TrackerError
    from .outputs import render, write_atomic

    try:
        docs = _parse_paths(paths, date)
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
        _fail(err)


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
    from .data.store import load
    from .errors import TrackerError
    from .maps import build_map, save_map

    try:
        store = load()
        docs = _parse_paths(paths, date)
        if not docs:
            raise TrackerError("no article could be read; nothing to map (see the messages above)")
        m = build_map(
            docs, date=date, frontline=not no_frontline, title=title, offline=offline, store=store
        )
        size = save_map(m, output, offline=offline)
    except TrackerError as err:
        _fail(err)
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


# -- front line ---------------------------------------------------------------------------------

_PLACE_OPTIONS = [
    click.option("--oblast", help="Prefer places in this oblast."),
    click.option("--near", help="Prefer places near this place or LAT,LON."),
    click.option("--context", help='Free text to pick among same-named places ("near Mezhova").'),
]


def _place_options(fn):
    for option in reversed(_PLACE_OPTIONS):
        fn = option(fn)
    return fn


def _place_line(c) -> str:
    return f"{c.name} ({c.name_uk}), {c.kind}, {c.oblast} / {c.raion} / {c.hromada}, {c.katottg}"


@main.command()
@click.argument("place")
@click.option("--date", help="YYYY-MM-DD (default: the newest snapshot).")
@_place_options
@click.option("--json", "as_json", is_flag=True)
def status(place, date, oblast, near, context, as_json):
    """Front-line status of PLACE (a name, KATOTTG code or LAT,LON) on a date (DeepStateMap)."""
    from . import frontline_status
    from .errors import TrackerError
    from .models import parse_lonlat

    try:
        point = parse_lonlat(place)
        target = (point.lon, point.lat) if point is not None else place
        best, st = frontline_status(target, date, oblast=oblast, near=near, context=context)
    except TrackerError as err:
        _fail(err)
    if as_json:
        out = st.to_dict()
        out["place"] = (
            best.place.to_dict() if best is not None else {"lon": target[0], "lat": target[1]}
        )
        click.echo(_dump(out))
        return
    who = _place_line(best) if best is not None else place
    side = "inside" if st.km_to_line is not None and st.km_to_line < 0 else "from"
    km = abs(st.km_to_line) if st.km_to_line is not None else float("nan")
    click.echo(
        f"{who}\n  {st.date}: {st.status} ({km:.1f} km {side} the line of contact; "
        f"DeepStateMap snapshot {st.snapshot})"
    )


@main.command()
@click.argument("place")
@_place_options
@click.option(
    "--articles",
    multiple=True,
    type=click.Path(),
    help="Articles whose claims about PLACE join the timeline (repeatable).",
)
@click.option("--json", "as_json", is_flag=True)
def history(place, oblast, near, context, articles, as_json):
    """Dated changes of control of PLACE (DeepStateMap), with claims from --articles."""
    from . import control_history
    from .errors import TrackerError

    try:
        best, changes = control_history(place, oblast=oblast, near=near, context=context)
        events = [
            {"date": c.date, "kind": "control", "status": c.status, "source": "DeepStateMap"}
            for c in changes
        ]
        events += _claims_about(best.katottg, articles)
    except TrackerError as err:
        _fail(err)
    events.sort(key=lambda e: (e["date"] or "", e["kind"] != "control"))
    if as_json:
        click.echo(_dump({"place": best.place.to_dict(), "timeline": events}))
        return
    click.echo(_place_line(best))
    for e in events:
        if e["kind"] == "control":
            click.echo(f"  {e['date']}  {e['status']:<13} (DeepStateMap)")
        else:
            neg = "not " if e.get("negated") else ""
            check = f" [{e['check']}]" if e.get("check") else ""
            click.echo(
                f"  {e['date'] or '????-??-??'}  claim: {neg}{e['event']} — "
                f"{e['claimant']}, {e['stance']}{check} ({e['article']})"
            )


def _claims_about(katottg: str, articles) -> list[dict]:
    if not articles:
        return []
    out = []
    for doc in _parse_paths(articles):
        item = doc.article
        for r in doc.mentions:
            if r.place is None or r.place.katottg != katottg:
                continue
            for d in r.claims:
                out.append(
                    {
                        "date": item.date,
                        "kind": "claim",
                        "article": item.title or item.id,
                        "event": d["event"],
                        "claimant": d["claimant"],
                        "stance": d["stance"],
                        "negated": d["negated"],
                        "check": (d.get("frontline_check") or {}).get("verdict"),
                        "sentence": r.sentence,
                    }
                )
    return out


@main.group()
def frontline() -> None:
    """Occupied territory over time (DeepStateMap snapshots)."""


@frontline.command("stats")
@click.option("--from", "first", required=True, help="First date, YYYY-MM-DD.")
@click.option("--to", "last", required=True, help="Last date, YYYY-MM-DD.")
@click.option("--oblast", help="Only the part inside this oblast.")
@click.option("--json", "as_json", is_flag=True)
def frontline_stats(first, last, oblast, as_json):
    """Occupied km² on each date from --from to --to, and the change."""
    from tqdm import tqdm

    from . import area_stats
    from .errors import TrackerError

    try:
        from .frontline import parse_date

        d0, d1 = parse_date(first, "from"), parse_date(last, "to")
        days = (d1 - d0).days + 1 if d0 and d1 and d1 >= d0 else 0
        with tqdm(
            total=days, desc="snapshots", disable=not sys.stderr.isatty(), file=sys.stderr
        ) as bar:
            stats = area_stats(first, last, oblast=oblast, progress=bar.update)
    except TrackerError as err:
        _fail(err)
    data = stats.to_dict()
    if as_json:
        click.echo(_dump(data))
        return
    where = f" in {stats.oblast} oblast" if stats.oblast else ""
    click.echo(f"occupied area{where} (geodesic km², DeepStateMap):")
    for row in data["series"]:
        note = "" if row["snapshot"] == row["date"] else f"  (snapshot {row['snapshot']})"
        click.echo(f"  {row['date']}  {row['occupied_km2']:>12,.1f}{note}")
    click.echo(
        f"change {data['from']} → {data['to']}: {data['change_km2']:+,.1f} km² "
        f"(gained {data['gained_km2']:,.1f}, lost {data['lost_km2']:,.1f})"
    )


# -- evaluate ----------------------------------------------------------------------------------


@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--errors", "show_errors", is_flag=True, help="List every miss with its context.")
@click.option("--json", "as_json", is_flag=True)
def evaluate(gold, show_errors, as_json):
    """Measure accuracy on a gold file: an annotated corpus (documents with "text" and
    "mentions") or which-region questions ("query", "context_hint")."""
    from .errors import TrackerError
    from .evaluate import evaluate_corpus, evaluate_which_region, read_jsonl

    try:
        rows = read_jsonl(gold)
        if rows and "text" in rows[0] and "mentions" in rows[0]:
            report = evaluate_corpus(gold)
            if as_json:
                click.echo(
                    _dump(
                        {
                            "documents": report.documents,
                            "precision": report.precision,
                            "recall": report.recall,
                            "f1": report.f1,
                            "settlements": report.settlements,
                            "found": report.share(report.found, report.settlements),
                            "exact": report.share(report.exact, report.settlements),
                            "oblast": report.share(report.oblast, report.settlements),
                            "hromada": report.share(report.hromada, report.hromada_total),
                            "ambiguous": report.ambiguous,
                            "ambiguous_exact": report.share(
                                report.ambiguous_exact, report.ambiguous
                            ),
                            "ambiguous_oblast": report.share(
                                report.ambiguous_oblast, report.ambiguous
                            ),
                            "errors": report.errors if show_errors else len(report.errors),
                        }
                    )
                )
                return
            click.echo(report.summary())
            if show_errors:
                for e in report.errors:
                    click.echo(_dump(e))
            return
        report = evaluate_which_region(gold)
    except TrackerError as err:
        _fail(err)
    if as_json:
        click.echo(
            _dump(
                {
                    "questions": report.total,
                    "settlement_first": report.settlement_accuracy,
                    "hromada_first": report.hromada_accuracy,
                    "oblast_first": report.oblast_accuracy,
                    "errors": report.errors if show_errors else len(report.errors),
                }
            )
        )
        return
    click.echo(report.summary())
    if show_errors:
        for e in report.errors:
            click.echo(_dump(e))


if __name__ == "__main__":  # pragma: no cover
    main()
