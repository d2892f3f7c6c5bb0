"""``tracker ingest``, ``reprocess``, ``events``, ``db status|upgrade``, ``export``: the
article store (:mod:`tracker.store`).

Every command takes ``--db URL`` (default ``TRACKER_DB``, else an SQLite file in the user
data directory). Article text is printed through :func:`tracker.terminal.clean`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import click

from .app import Notices, dump, echo, fail, jobs_option, main

if TYPE_CHECKING:
    from ..articles import ReadProblem
    from ..models import Article
    from ..store import ArticleStore, WriteResult
    from ..store.ingest import Reprocessed

_DB_HELP = (
    "The store: sqlite:///PATH, a file path, or postgresql://USER@HOST/DB "
    "(default: $TRACKER_DB, else store.sqlite in the user data directory)."
)
_MAX_BYTES_HELP = "Refuse a file or stdin larger than this per document (default 50MB)."


def db_option(fn: Any) -> Any:
    """The ``--db URL`` option."""
    return click.option("--db", "db", metavar="URL", help=_DB_HELP)(fn)


def stored_claims(
    katottg: str, db: str | None, *, skip: Iterable[dict[str, Any]] = ()
) -> list[dict[str, Any]]:
    """The article store's claims about a settlement as ``tracker history`` timeline entries
    (none when no --db is given and the default store does not exist yet)."""
    from ..store import claims_about, locate, open_store

    location = locate(db)
    if db is None and not location.exists:
        return []
    with open_store(db) as store:
        return claims_about(store, katottg, skip=skip)


def map_docs(
    paths: tuple[str, ...], db: str | None, since: str | None, until: str | None
) -> list[Any]:
    """``tracker map --db``: the stored articles of the period, rebuilt as parsed articles
    (none without --db). *db* is ``""`` for ``--db`` alone (the default store)."""
    from ..errors import InputError
    from ..store import open_store
    from ..store.query import period_ids, stored_docs

    if db is None:
        if not paths:
            raise InputError("give article files or directories, or --db to map the store")
        if since or until:
            raise InputError("--since and --until select articles of the store; add --db")
        return []
    with open_store(db or None) as store:
        ids = period_ids(store, since=since, until=until)
        if not ids:
            span = f" dated {since or '...'} .. {until or '...'}" if since or until else ""
            raise InputError(
                f"the article store {store.location.display} holds no article{span}; "
                "see `tracker db status`"
            )
        return stored_docs(store, ids)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option(
    "--date", help="Article date YYYY-MM-DD or 'today' (overrides front matter and sidecars)."
)
@jobs_option("Parser processes (default: every core; 1: serial).")
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Articles per transaction.",
)
@click.option("--source", help="The publication of these articles (default: the URL's host).")
@click.option(
    "--replace",
    is_flag=True,
    help="Store articles already stored again, with the metadata given now.",
)
@click.option("--max-bytes", default="50MB", show_default=True, help=_MAX_BYTES_HELP)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article.")
def ingest(
    paths: tuple[str, ...],
    db: str | None,
    date: str | None,
    jobs: int | None,
    batch: int,
    source: str | None,
    replace: bool,
    max_bytes: str,
    as_json: bool,
) -> None:
    """Parse articles (files, directories, - for stdin) into the article store.

    Each article is stored once, under a stable id (a hash of its normalised text): a text
    stored already is reported "unchanged" and not parsed again; a new text under a URL
    already stored is a new version (the old one is kept). One transaction per batch of
    articles, so an interrupted ingest leaves no half-stored article and the next one stores
    the rest.
    """
    from ..articles import check_date, parse_size
    from ..errors import TrackerError
    from ..store import ingest as run
    from ..store import open_store

    notices = Notices()
    counts: dict[str, int] = {}
    try:
        day = check_date(date)
        limit = parse_size(max_bytes)
        with open_store(db, create=True) as store:
            for note in store.notes:
                notices(note)

            def on_result(result: WriteResult, article: Article) -> None:
                counts[result.outcome] = counts.get(result.outcome, 0) + 1
                if as_json:
                    out = {
                        "outcome": result.outcome,
                        "id": result.id,
                        "name": result.name,
                        "path": article.path,
                        "version": result.version,
                        "mentions": result.mentions,
                        "claims": result.claims,
                    }
                    if result.previous_id:
                        out["previous_id"] = result.previous_id
                    if result.note:
                        out["note"] = result.note
                    echo(json.dumps(out, ensure_ascii=False, sort_keys=True), raw=True)
                else:
                    echo(_result_line(result, article))
                if result.note:
                    echo(f"note: {result.name}: {result.note}", err=True)

            def on_problem(problem: ReadProblem) -> None:
                echo(f"{'error' if problem.fatal else 'warning'}: {problem.message}", err=True)

            summary = run(
                paths,
                store,
                date=day,
                jobs=jobs,
                batch=batch,
                source=source,
                replace=replace,
                max_bytes=limit,
                on_result=on_result,
                on_problem=on_problem,
                on_note=notices,
            )
            where = store.location.display
        if summary.total == 0:
            raise TrackerError("no article could be read; see the messages above")
    except TrackerError as err:
        fail(err)
    parts = ", ".join(f"{n} {k}" for k, n in sorted(summary.counts.items()))
    echo(f"{summary.total} article(s): {parts}; store {where}", err=True)


def _result_line(result: WriteResult, article: Article) -> str:
    what = f"{result.outcome:<12} {result.id[:16]}  {result.name}"
    if result.outcome == "unchanged":
        return what
    what += f"  {result.mentions} mentions, {result.claims} claims"
    if result.outcome == "new version":
        previous = (result.previous_id or "")[:16]
        what += f" (version {result.version} of {article.url}; replaces {previous})"
    return what


@main.command()
@db_option
@click.option(
    "--all", "force", is_flag=True, help="Every article, also those parsed by this build."
)
@click.option("--dry-run", is_flag=True, help="Only say what would change.")
@jobs_option("Parser processes (default: every core; 1: serial).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article.")
def reprocess(db: str | None, force: bool, dry_run: bool, jobs: int | None, as_json: bool) -> None:
    """Re-resolve stored articles after a data build or tracker upgrade, saying what changed.

    Articles parsed by another tracker version or data build are parsed again from their
    stored text and metadata; their mentions and claims are replaced (one transaction per
    batch).
    """
    from ..errors import TrackerError
    from ..store import open_store
    from ..store import reprocess as run

    notices = Notices()

    def on_result(r: Reprocessed) -> None:
        if as_json:
            echo(
                json.dumps(
                    {
                        "id": r.id,
                        "name": r.name,
                        "changes": list(r.changes),
                        "before": {"tracker_version": r.before[0], "data_build": r.before[1]},
                    },
                    ensure_ascii=False,
                    sort_keys=True,
                ),
                raw=True,
            )
            return
        state = f"changed ({len(r.changes)})" if r.changes else "same"
        echo(f"{state:<13} {r.id[:16]}  {r.name}")
        for line in r.changes:
            echo(f"    {line}")

    try:
        with open_store(db) as store:
            for note in store.notes:
                notices(note)
            summary = run(
                store,
                force=force,
                dry_run=dry_run,
                jobs=jobs,
                on_result=on_result,
                on_note=notices,
            )
            where = store.location.display
    except TrackerError as err:
        fail(err)
    done = summary.counts.get("reprocessed", 0)
    verb = "would reprocess" if dry_run else "reprocessed"
    if done == 0:
        echo(
            f"nothing to reprocess: every article was parsed by this build; store {where}", err=True
        )
        return
    echo(f"{verb} {done} article(s), {summary.changed} changed; store {where}", err=True)


# -- events ------------------------------------------------------------------------------------


@main.command()
@db_option
@click.option("--since", help="First article date, YYYY-MM-DD.")
@click.option("--until", help="Last article date, YYYY-MM-DD.")
@click.option("--oblast", help="Claims about places in this oblast.")
@click.option("--place", help="A settlement's KATOTTG code or name (as stored).")
@click.option("--claimant", help="russian_mod, ukrainian_military, ... or words of the claimant.")
@click.option("--event", help="captured, entered, advancing, repelled, liberated, attacked, ...")
@click.option("--stance", help="claimed, confirmed, denied, disputed, reported, assessed.")
@click.option("--all-versions", is_flag=True, help="Also claims of older versions of an article.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many claims.")
@click.option("--json", "fmt", flag_value="json", help="JSON Lines, one claim a line.")
@click.option("--csv", "fmt", flag_value="csv", help="CSV.")
@click.option("--geojson", "fmt", flag_value="geojson", help="GeoJSON FeatureCollection.")
@click.option("-o", "--output", help="Write to this file, atomically (default: standard output).")
def events(
    db: str | None,
    since: str | None,
    until: str | None,
    oblast: str | None,
    place: str | None,
    claimant: str | None,
    event: str | None,
    stance: str | None,
    all_versions: bool,
    limit: int | None,
    fmt: str | None,
    output: str | None,
) -> None:
    """Stored claims (who says what happened where, and DeepState's verdict), oldest first."""
    from ..errors import TrackerError
    from ..outputs import open_output
    from ..paths import check_output
    from ..store import EventFilter, event_rows, open_store

    try:
        flt = EventFilter.of(
            since=since,
            until=until,
            oblast=oblast,
            place=place,
            claimant=claimant,
            event=event,
            stance=stance,
            all_versions=all_versions,
        )
        target = check_output(output) if output is not None else None
        with open_store(db) as store:
            Notices()(store.notes[0] if store.notes else None)
            rows = event_rows(store, flt, limit=limit)
        if fmt is None and (target is None or target.is_stdout):
            _print_table(rows)
            return
        with open_output(target) as sink:
            sink.write(_render(rows, fmt or "json"))
    except TrackerError as err:
        fail(err)
    if target is not None and not target.is_stdout:
        echo(f"wrote {len(rows)} claim(s) to {target.given}", err=True)


def _render(rows: list[dict], fmt: str) -> str:
    import csv
    import io

    from ..store.query import EVENT_COLUMNS

    if fmt == "json":
        return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(EVENT_COLUMNS)
        for r in rows:
            writer.writerow([r[c] for c in EVENT_COLUMNS])
        return buf.getvalue()
    features = []
    for r in rows:
        geometry = None
        if r["lon"] is not None and r["lat"] is not None:
            geometry = {"type": "Point", "coordinates": [r["lon"], r["lat"]]}
        props = {k: v for k, v in r.items() if k not in ("lon", "lat")}
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return (
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False) + "\n"
    )


def _print_table(rows: list[dict]) -> None:
    if not rows:
        echo("no stored claim matches", err=True)
        return
    for r in rows:
        neg = "not " if r["negated"] else ""
        verdict = f" [DeepState: {r['verdict']}]" if r["verdict"] else ""
        where = f"{r['place']} ({r['oblast']})" if r["oblast"] else str(r["place"])
        # the words that made the claim: two claims of a place on a day are told apart
        said = f" “{r['trigger']}”" if r.get("trigger") else ""
        echo(
            f"{r['date'] or '????-??-??'}  {where}: {neg}{r['event']}{said} — {r['claimant']}, "
            f"{r['stance']}{verdict}  ({r['title'] or r['article']})"
        )
    echo(f"{len(rows)} claim(s)", err=True)


# -- db ----------------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """The article store: what it holds, its schema."""


@db.command("status")
@db_option
@click.option("--check", is_flag=True, help="Also check the database's integrity (SQLite).")
@click.option("--json", "as_json", is_flag=True)
def db_status(db: str | None, check: bool, as_json: bool) -> None:
    """Counts, date range, engine, schema version and data builds of the store."""
    from ..errors import StoreError, TrackerError
    from ..store import open_store, status

    try:
        with open_store(db) as store:
            info = status(store)
            if check:
                info["integrity"] = _integrity(store)
    except StoreError as err:
        if not str(err).startswith("no article store"):
            fail(err)
        echo(str(err))
        return
    except TrackerError as err:
        fail(err)
    info["current_data_build"] = _current_build()
    if as_json:
        echo(dump(info), raw=True)
    else:
        _print_status(info)
    if check and info["integrity"] != "ok":
        fail(
            StoreError(
                f"the article store {info['store']} fails its integrity check: {info['integrity']}"
            )
        )


def _integrity(store: ArticleStore) -> str:
    if store.location.engine != "sqlite":
        return "ok"
    with store.connect() as conn:
        rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
    return "ok" if rows == ["ok"] else "; ".join(rows[:5])


def _current_build() -> str | None:
    from ..config import data_dir

    try:
        from ..data.manifest import read_pointer

        return read_pointer(data_dir())
    except Exception:  # no data built: the status still answers
        return None


def _print_status(info: dict) -> None:
    engine = info["engine"]
    if engine == "sqlite":
        size = info.get("bytes", 0) / 1e6
        detail = f"SQLite, {size:.1f} MB, journal {info.get('journal_mode')}"
    else:
        postgis = f", PostGIS {info['postgis']}" if info.get("postgis") else ", no PostGIS"
        detail = f"PostgreSQL {info.get('server')}{postgis}"
    schema = info["schema"]
    head = "" if schema == info["schema_head"] else f" (this tracker: {info['schema_head']})"
    d = info["dates"]
    echo(f"store      {info['store']} ({detail})")
    echo(f"schema     {schema}{head}")
    versions = info["article_versions"] - info["articles"]
    echo(
        f"articles   {info['articles']:,}"
        + (f" (+{versions:,} older versions)" if versions else "")
        + f", dated {d['first'] or '-'} .. {d['last'] or '-'}"
        + (f", {d['undated']} undated" if d["undated"] else "")
    )
    echo(
        f"mentions   {info['mentions']:,} ({info['resolved_mentions']:,} resolved, "
        f"{info['places']:,} distinct places)"
    )
    echo(f"claims     {info['claims']:,}")
    ing = info["ingested"]
    echo(f"ingested   {ing['first'] or '-'} .. {ing['last'] or '-'}")
    current = info.get("current_data_build")
    for b in info["builds"]:
        mark = " (current data build)" if b["data_build"] == current else ""
        echo(
            f"parsed by  tracker {b['tracker_version']}, data build {b['data_build']}{mark}: "
            f"{b['articles']:,} article(s)"
        )
    stale = sum(b["articles"] for b in info["builds"] if current and b["data_build"] != current)
    if stale:
        echo(
            f"note: {stale:,} article(s) were parsed with another data build; "
            "`tracker reprocess` re-resolves them",
            err=True,
        )
    if "integrity" in info:
        echo(f"integrity  {info['integrity']}")


@db.command("upgrade")
@db_option
def db_upgrade(db: str | None) -> None:
    """Bring the store's schema to this tracker's version (Alembic migrations).

    Commands do it on first use too; run it explicitly to upgrade a shared PostgreSQL store
    once, as its owner. On PostgreSQL it also adds the PostGIS point columns when PostGIS has
    become available.
    """
    from ..errors import TrackerError
    from ..store import open_store

    try:
        with open_store(db, create=True) as store:
            before, after = store.upgrade()
            for note in store.notes:
                echo(f"note: {note}", err=True)
            postgis = store.postgis
            where = store.location.display
    except TrackerError as err:
        fail(err)
    geometry = f"; PostGIS {postgis} point columns" if postgis else ""
    was = "new store, " if before is None else ("" if before == after else f"was {before}, ")
    echo(f"store {where}: schema {after} ({was}newest){geometry}")


# -- export ------------------------------------------------------------------------------------


@main.command()
@db_option
@click.option("--gpkg", "gpkg", required=True, metavar="FILE", help="The GeoPackage to write.")
@click.option("--all-versions", is_flag=True, help="Also older versions of articles.")
def export(db: str | None, gpkg: str, all_versions: bool) -> None:
    """Write the store as a GeoPackage for QGIS: articles, mentions and claims as points,
    settlements' control changes (DeepStateMap)."""
    from ..errors import TrackerError
    from ..paths import check_output
    from ..store import open_store
    from ..store.export import export_gpkg

    notices = Notices()
    try:
        target = check_output(gpkg)
        with open_store(db) as store:
            counts = export_gpkg(store, target, all_versions=all_versions, on_note=notices)
    except TrackerError as err:
        fail(err)
    layers = ", ".join(f"{name} {n:,}" for name, n in counts.items())
    echo(f"wrote {target.given}: {layers} (EPSG:4326)", err=True)
