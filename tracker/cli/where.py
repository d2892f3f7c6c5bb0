"""``tracker where``: which place, which region."""

from __future__ import annotations

import click

from .app import dump, fail, main


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
    from ..errors import TrackerError
    from ..models import parse_lonlat

    try:
        point = parse_lonlat(query)
        if point is not None:
            from .. import region_at

            r = region_at(point.lon, point.lat)
            click.echo(dump(r.to_dict()) if as_json else "\n".join(_region_lines(r)))
            return
        from .. import where as api_where

        found = api_where(query, oblast=oblast, near=near, context=context, limit=limit)
        if map_path:
            from ..maps import candidates_map, save_map

            save_map(
                candidates_map(found, title=f"Which place is {query!r}?", offline=offline),
                map_path,
                offline=offline,
            )
            click.echo(f"wrote {map_path}", err=True)
    except TrackerError as err:
        fail(err)
    if as_json:
        click.echo(dump([c.to_dict() for c in found]))
        return
    for rank, c in enumerate(found, 1):
        click.echo(_candidate_line(rank, c))
        if evidence:
            for line in c.evidence:
                click.echo(f"        - {line}")
