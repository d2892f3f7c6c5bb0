"""``tracker status``, ``tracker history``, ``tracker frontline stats``.

A date outside the DeepState archive (``--date today`` weeks after the last fetch, an
article older than the first snapshot) is answered from the nearest snapshot; the answer
says which, and a note on stderr says how to fetch more (once per command).
"""

from __future__ import annotations

import math
import os
import sys

import click

from .app import Notices, NumberArgsCommand, dump, echo, fail, main
from .parse import parse_paths
from .where import check_options, check_query

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


def _point_in_ukraine(place: str):
    """The point of a LAT,LON argument, checked to lie in Ukraine (or None for a name)."""
    from .. import region_at
    from ..models import parse_lonlat

    point = parse_lonlat(place)
    if point is None:
        return None, None
    return point, region_at(point.lon, point.lat)  # OutsideUkraine (exit 2) as for where


def _check_article_paths(paths) -> None:
    """Every --articles path exists and is a file or directory (exit 2 before any work)."""
    import stat

    from ..errors import InputError

    for path in paths:
        if path == "-":
            continue
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            raise InputError(
                f"--articles {path!r}: no such file or directory; give article files or directories"
            ) from None
        except OSError as err:
            raise InputError(f"--articles {path!r}: {err.strerror or err}") from err
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise InputError(
                f"--articles {path!r}: not a regular file or directory; give article files "
                "or directories"
            )


@main.command(cls=NumberArgsCommand)
@click.argument("place")
@click.option("--date", help="YYYY-MM-DD or 'today' (default: the newest snapshot).")
@_place_options
@click.option("--json", "as_json", is_flag=True)
def status(place, date, oblast, near, context, as_json):
    """Front-line status of PLACE (a name, KATOTTG code or LAT,LON) on a date (DeepStateMap).

    A date after the newest snapshot (or before the oldest) is answered from that snapshot,
    and the answer says so.
    """
    from .. import frontline_status
    from ..errors import TrackerError
    from ..frontline import parse_date

    notices = Notices()
    try:
        check_query(place, "PLACE")
        check_options(oblast=oblast, near=near, context=context)
        day = parse_date(date)
        when = day.isoformat() if day is not None else None
        point, _ = _point_in_ukraine(place)
        target = (point.lon, point.lat) if point is not None else place
        best, st = frontline_status(target, when, oblast=oblast, near=near, context=context)
    except TrackerError as err:
        fail(err)
    if st.note:
        notices(_notice_for(st.date))
    if as_json:
        out = st.to_dict()
        out["place"] = (
            best.place.to_dict() if best is not None else {"lon": target[0], "lat": target[1]}
        )
        echo(dump(out), raw=True)
        return
    who = _place_line(best) if best is not None else place
    snapshot = f"DeepStateMap snapshot {st.snapshot}"
    if st.note:
        newest = st.snapshot < st.date
        snapshot += ", the newest snapshot" if newest else ", the oldest snapshot"
    if st.km_to_line is None or math.isnan(st.km_to_line):
        where = f"no line of contact in the snapshot; {snapshot}"
    else:
        side = "inside" if st.km_to_line < 0 else "from"
        where = f"{abs(st.km_to_line):.1f} km {side} the line of contact; {snapshot}"
    echo(f"{who}\n  {st.date}: {st.status} ({where})")


def _notice_for(day: str | None) -> str | None:
    from ..data.store import load
    from ..frontline import frontline_of

    return frontline_of(load()).notice(day) if day else None


@main.command(cls=NumberArgsCommand)
@click.argument("place")
@_place_options
@click.option(
    "--articles",
    multiple=True,
    help="Articles whose claims about PLACE join the timeline (repeatable).",
)
@click.option("--db", metavar="URL", help="The article store whose claims join the timeline.")
@click.option(
    "--date",
    help="The date of the --articles, YYYY-MM-DD or 'today' (overrides front matter, sidecars "
    "and datelines, as for parse).",
)
@click.option("--json", "as_json", is_flag=True)
def history(place, oblast, near, context, articles, db, date, as_json):
    """Dated changes of control of PLACE (DeepStateMap), with the claims of the article store
    (tracker ingest) and of --articles.

    PLACE is a settlement name, a KATOTTG code, or LAT,LON (the nearest settlement). An
    article without a date in its front matter, sidecar or dateline takes --date; one with
    none at all is listed with ????-??-??.
    """
    from .. import control_history
    from ..data.store import load
    from ..errors import TrackerError

    notices = Notices()
    nearest_to = None
    try:
        check_query(place, "PLACE")
        check_options(oblast=oblast, near=near, context=context)
        _check_article_paths(articles)
        from ..articles import check_date

        day = check_date(date)
        point, region = _point_in_ukraine(place)
        query = place
        if point is not None:
            settlement = region.nearest_settlement
            if settlement is None:
                from ..errors import InvalidQuery

                raise InvalidQuery(
                    f"no settlement with coordinates near {point.lat:.5f},{point.lon:.5f}; "
                    "give the settlement's name or KATOTTG code"
                )
            query = settlement.katottg
            nearest_to = {
                "lat": point.lat,
                "lon": point.lon,
                "km": region.km_to_nearest_settlement,
            }
        best, changes = control_history(query, oblast=oblast, near=near, context=context)
        events = [
            {"date": c.date, "kind": "control", "status": c.status, "source": "DeepStateMap"}
            for c in changes
        ]
        events += _claims_about(best.katottg, articles, day)
        from .store import stored_claims

        events += stored_claims(best.katottg, db, skip=events)
        from ..frontline import frontline_of

        front = frontline_of(load())
    except TrackerError as err:
        fail(err)
    events.sort(key=lambda e: (e["date"] or "", e["kind"] != "control"))
    newest = front.dates[-1].isoformat()
    later = [e for e in events if e["kind"] != "control" and e["date"] and e["date"] > newest]
    for e in events:
        if e["kind"] != "control" and e["date"]:
            notices(front.notice(e["date"]))
    if as_json:
        out = {
            "place": best.place.to_dict(),
            "timeline": events,
            "snapshots": {"first": front.dates[0].isoformat(), "last": newest},
        }
        if nearest_to is not None:
            out["nearest_to"] = nearest_to
        echo(dump(out), raw=True)
        return
    echo(_place_line(best))
    if nearest_to is not None:
        echo(
            f"  (the settlement nearest to {nearest_to['lat']:.5f},{nearest_to['lon']:.5f}, "
            f"{nearest_to['km']:.1f} km away)"
        )
    from ..maps.places import words

    claimants = words("claimants")  # "Ukrainian military", not ukrainian_military
    marked = False
    for e in events:
        if later and not marked and e["date"] and e["date"] > newest:
            echo(f"  {newest}  newest DeepStateMap snapshot; later claims are not in the archive")
            marked = True
        if e["kind"] == "control":
            echo(f"  {e['date']}  {e['status']:<13} (DeepStateMap)")
        else:
            neg = "not " if e.get("negated") else ""
            check = f" [{e['check']}]" if e.get("check") else ""
            who = claimants.get(e["claimant"], e["claimant"])
            echo(
                f"  {e['date'] or '????-??-??'}  claim: {neg}{e['event']} — "
                f"{who}, {e['stance']}{check} ({e['article']})"
            )


def _claims_about(katottg: str, articles, date: str | None = None) -> list[dict]:
    if not articles:
        return []
    from ..maps.places import article_label

    out = []
    for doc in parse_paths(articles, date):
        item = doc.article
        for r in doc.mentions:
            if r.place is None or r.place.katottg != katottg:
                continue
            for c in r.claims:
                out.append(
                    {
                        "date": item.date,
                        "kind": "claim",
                        "article": article_label(item, 60),
                        "event": c.claim.event,
                        "claimant": c.claim.claimant,
                        "stance": c.claim.stance,
                        "negated": c.claim.negated,
                        "check": c.frontline_check.verdict if c.frontline_check else None,
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

        check_options(oblast=oblast)
        d0, d1 = parse_date(first, "from"), parse_date(last, "to")
        days = (d1 - d0).days + 1 if d0 and d1 and d1 >= d0 else 0
        with tqdm(
            total=days, desc="snapshots", disable=not sys.stderr.isatty(), file=sys.stderr
        ) as bar:
            stats = area_stats(d0.isoformat(), d1.isoformat(), oblast=oblast, progress=bar.update)
    except TrackerError as err:
        fail(err)
    Notices()(_notice_for(stats.last))
    data = stats.to_dict()
    if as_json:
        echo(dump(data), raw=True)
        return
    where = f" in {stats.oblast} oblast" if stats.oblast else ""
    echo(f"occupied area{where} (geodesic km², DeepStateMap):")
    for row in data["series"]:
        note = "" if row["snapshot"] == row["date"] else f"  (snapshot {row['snapshot']})"
        echo(f"  {row['date']}  {row['occupied_km2']:>12,.1f}{note}")
    echo(
        f"change {data['from']} → {data['to']}: {data['change_km2']:+,.1f} km² "
        f"(gained {data['gained_km2']:,.1f}, lost {data['lost_km2']:,.1f})"
    )
