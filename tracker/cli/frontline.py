"""``tracker status``, ``tracker history``, ``tracker frontline stats``."""

from __future__ import annotations

import sys

import click

from .app import dump, fail, main
from .parse import parse_paths

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
    from .. import frontline_status
    from ..errors import TrackerError
    from ..models import parse_lonlat

    try:
        point = parse_lonlat(place)
        target = (point.lon, point.lat) if point is not None else place
        best, st = frontline_status(target, date, oblast=oblast, near=near, context=context)
    except TrackerError as err:
        fail(err)
    if as_json:
        out = st.to_dict()
        out["place"] = (
            best.place.to_dict() if best is not None else {"lon": target[0], "lat": target[1]}
        )
        click.echo(dump(out))
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
    from .. import control_history
    from ..errors import TrackerError

    try:
        best, changes = control_history(place, oblast=oblast, near=near, context=context)
        events = [
            {"date": c.date, "kind": "control", "status": c.status, "source": "DeepStateMap"}
            for c in changes
        ]
        events += _claims_about(best.katottg, articles)
    except TrackerError as err:
        fail(err)
    events.sort(key=lambda e: (e["date"] or "", e["kind"] != "control"))
    if as_json:
        click.echo(dump({"place": best.place.to_dict(), "timeline": events}))
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
    for doc in parse_paths(articles):
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

    from .. import area_stats
    from ..errors import TrackerError

    try:
        from ..frontline import parse_date

        d0, d1 = parse_date(first, "from"), parse_date(last, "to")
        days = (d1 - d0).days + 1 if d0 and d1 and d1 >= d0 else 0
        with tqdm(
            total=days, desc="snapshots", disable=not sys.stderr.isatty(), file=sys.stderr
        ) as bar:
            stats = area_stats(first, last, oblast=oblast, progress=bar.update)
    except TrackerError as err:
        fail(err)
    data = stats.to_dict()
    if as_json:
        click.echo(dump(data))
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
