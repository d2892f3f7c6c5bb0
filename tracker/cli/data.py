"""``tracker data build | status | fetch``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .app import dump, fail, main


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
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    metavar="SECONDS",
    help="Wait this long for another build of the same directory to finish (default: exit 2).",
)
def data_build(sources, data_dir, wait):
    """Build the gazetteer and boundary tables from the source files.

    The new build is written beside the current one (DIR/.builds/<id>) and switched in with one
    atomic rename of the pointer DIR/current; one build at a time per directory.
    """
    from tqdm import tqdm

    from .. import config
    from ..data.build import build
    from ..data.store import reset
    from ..errors import SourceError, TrackerError

    bar = tqdm(
        total=9, desc="building", unit="step", disable=not sys.stderr.isatty(), file=sys.stderr
    )

    def progress(message: str) -> None:
        bar.set_description(message)
        bar.update(1)
        if bar.disable:
            click.echo(f"  {message}", err=True)

    target = Path(data_dir).expanduser() if data_dir else config.data_dir()
    try:
        src = config.sources_dir(sources)
        if src is None:
            raise SourceError(
                "no sources directory given; pass --sources DIR (e.g. ../shared/geodata) "
                "or set TRACKER_SOURCES"
            )
        manifest = build(src, target, progress=progress, wait=wait)
    except TrackerError as err:
        bar.close()
        fail(err)
    finally:
        reset()
    bar.close()
    cov = manifest["coverage"]
    click.echo(
        f"built {manifest['counts']['places']:,} places in {manifest['build_seconds']} s; "
        f"{cov['settlements_with_coordinates']:,} of {manifest['counts']['settlements']:,} "
        f"settlements located ({cov['share_with_coordinates']:.1%}); "
        f"build {manifest['build_id']} is now current in {target}"
    )


@data.command("status")
@click.option("--data-dir", type=click.Path(file_okay=False), envvar="TRACKER_DATA_DIR")
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--verify",
    is_flag=True,
    help="Also hash every built file against the manifest (sha256); exit 3 when one differs.",
)
def data_status(data_dir, as_json, verify):
    """What is built, from which inputs, when, and the coverage figures.

    Every command checks the build cheaply when it loads it (sizes, file headers); --verify
    reads every byte. A damaged build is reported in one line with exit code 3.
    """
    from .. import config
    from ..data.manifest import open_build
    from ..errors import TrackerError

    root = Path(data_dir).expanduser() if data_dir else config.data_dir()
    try:
        build = open_build(root, full=verify)
    except TrackerError as err:
        fail(err)
    build.close()
    m = build.manifest
    if as_json:
        click.echo(dump({**m, "verified": verify} if verify else m))
        return
    files = m["files"].values()
    size = sum(f["size"] for f in files)
    cov, counts = m["coverage"], m["counts"]
    click.echo(f"built {m['built_at']} in {m['build_seconds']} s by tracker {m['tracker_version']}")
    click.echo(f"data: {root}  (build {build.build_id}, {len(files)} files, {size / 1e6:.1f} MB)")
    if verify:
        click.echo(f"verified: the sha256 of all {len(files)} files match the manifest")
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

    from ..data.sources import fetch
    from ..errors import TrackerError

    dates = []
    try:
        if deepstate_from:
            d = date.fromisoformat(deepstate_from)
            end = date.fromisoformat(deepstate_to) if deepstate_to else date.today()
            while d <= end:
                dates.append(d.strftime("%Y%m%d"))
                d += timedelta(days=1)
    except ValueError as err:
        fail(ValueError(f"bad date: {err}; expected YYYY-MM-DD"))
    try:
        written = fetch(
            sources, deepstate_dates=dates, progress=lambda p: click.echo(f"  {p}", err=True)
        )
    except (TrackerError, OSError) as err:
        fail(err)
    click.echo(f"fetched {len(written)} files into {sources}")
