"""``tracker where``: which place, which region."""

from __future__ import annotations

import re

import click

from .app import NumberArgsCommand, dump, echo, fail, main

#: The longest QUERY (a place name, a code or LAT,LON); real names are far shorter.
MAX_QUERY_CHARS = 500

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+|nan|inf(?:inity)?)"
_NUMBER_PAIR = re.compile(rf"^\s*({_NUMBER})\s*[,;\s]\s*({_NUMBER})\s*$", re.IGNORECASE)


def check_query(query: str, what: str = "QUERY") -> None:
    """Refuse, before any data is loaded, a query that can never be answered.

    Raises
    ------
    InvalidQuery
        For an empty query, one without a letter or digit (``","``), or a longer one than
        :data:`MAX_QUERY_CHARS`.
    InvalidCoordinates
        For a pair of numbers that are not finite (``"NaN,NaN"``, ``"inf,inf"``).
    """
    from ..errors import InvalidCoordinates, InvalidQuery

    if not query.strip():
        raise InvalidQuery(f"{what} is empty; give a place name, a KATOTTG code or LAT,LON")
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidQuery(
            f"{what} is {len(query):,} characters long, over the limit of {MAX_QUERY_CHARS}; "
            "give a place name, a KATOTTG code or LAT,LON"
        )
    if not any(ch.isalnum() for ch in query):
        raise InvalidQuery(
            f"{what} {query!r} is empty (no letter or digit); give a place name, a KATOTTG "
            "code or LAT,LON"
        )
    match = _NUMBER_PAIR.match(query)
    if match and any(p.lstrip("+-").lower().startswith(("nan", "inf")) for p in match.groups()):
        raise InvalidCoordinates(
            f"coordinates {query.strip()!r} are not finite numbers; expected LAT,LON as in "
            "'47.87,36.57'"
        )


def check_options(**values: str | None) -> None:
    """Refuse an option given as empty text (``--oblast ""``): it is a scripting slip, not a
    request to ignore the option."""
    from ..errors import InvalidQuery

    for name, value in values.items():
        if value is not None and not value.strip():
            flag = "--" + name.replace("_", "-")
            raise InvalidQuery(f"{flag} is empty; give a value or leave the option out")


#: The state border is named beside the oblast border within this distance (km), or when it
#: is the nearer of the two.
STATE_BORDER_SHOWN_KM = 50.0


def _border_text(c) -> str:
    parts = []
    if c.km_to_oblast_border is not None:
        parts.append(f"{c.km_to_oblast_border:.1f} km to {c.across_border} border")
    state_km = c.km_to_state_border
    if state_km is not None and (
        state_km <= STATE_BORDER_SHOWN_KM
        or c.km_to_oblast_border is None
        or state_km < c.km_to_oblast_border
    ):
        parts.append(f"{state_km:.1f} km to the border with {c.state_border_with}")
    return "; ".join(parts)


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
    if r.state_border is not None and (
        r.state_border[1] <= STATE_BORDER_SHOWN_KM
        or not r.borders
        or r.state_border[1] < r.borders[0][1]
    ):
        lines.append(f"  {r.state_border[1]:.1f} km to the state border with {r.state_border[0]}")
    if r.nearest_settlement is not None:
        s = r.nearest_settlement
        lines.append(
            f"  nearest settlement: {s.name} ({s.name_uk}, {s.kind}, {s.katottg}), "
            f"{r.km_to_nearest_settlement:.1f} km"
        )
    if r.note:
        lines.append(f"  note: {r.note}")
    return lines


@main.command(cls=NumberArgsCommand)
@click.argument("query")
@click.option("--oblast", help="Prefer places in this oblast (others are still listed).")
@click.option("--near", help="Prefer places near this place or LAT,LON.")
@click.option("--context", help='Free text to rank by, e.g. "SE of Oleksandrivka".')
@click.option("--limit", type=click.IntRange(min=1), help="Show at most N candidates.")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
@click.option("--evidence", is_flag=True, help="Show why each candidate is ranked where it is.")
@click.option(
    "--fuzzy", is_flag=True, help="Also accept a misspelt name (>= 85% similar to a spelling)."
)
@click.option(
    "--map",
    "map_path",
    help="Also draw the candidates and their regions to this HTML file (written atomically).",
)
@click.option("--offline", is_flag=True, help="With --map: one self-contained file.")
def where(query, oblast, near, context, limit, as_json, evidence, fuzzy, map_path, offline):
    """Which place is QUERY, and which oblast / raion / hromada is it in?

    QUERY is a place name as news spell it, a KATOTTG code, or LAT,LON for the
    reverse question (which region is this point in; a negative LAT needs no --).
    """
    from ..errors import TrackerError
    from ..models import parse_lonlat

    try:
        check_query(query)
        check_options(oblast=oblast, near=near, context=context)
        target = None
        if map_path is not None:
            from ..paths import check_output

            target = check_output(map_path)
            if target.is_stdout:
                raise TrackerError("--map - is not supported; give an HTML file name")
        point = parse_lonlat(query)
        if point is not None:
            from .. import region_at

            r = region_at(point.lon, point.lat)
            if as_json:
                echo(dump(r.to_dict()), raw=True)
            else:
                echo("\n".join(_region_lines(r)))
            return
        from .. import where as api_where

        found = api_where(
            query, oblast=oblast, near=near, context=context, limit=limit, fuzzy=fuzzy
        )
        if target is not None:
            from ..maps import candidates_map, save_map

            save_map(
                candidates_map(found, title=f"Which place is {query!r}?", offline=offline),
                target,
                offline=offline,
            )
            echo(f"wrote {target.given}", err=True)
    except TrackerError as err:
        fail(err)
    if as_json:
        echo(dump([c.to_dict() for c in found]), raw=True)
        return
    for rank, c in enumerate(found, 1):
        echo(_candidate_line(rank, c))
        if evidence:
            for line in c.evidence:
                echo(f"        - {line}")
