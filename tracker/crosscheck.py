"""Territorial claims vs the DeepState snapshots around the article date.

A claim that a settlement was captured or entered is *corroborated* when DeepState
shows it inside the occupied area on the article date or within the next 14 days
(DeepState lags announcements by a day or more), *not corroborated* when it does not
in that window, and *contradicted* when it stays outside for 60 days. A liberation
claim is corroborated when the settlement, occupied before, is outside the occupied
area within the window, and contradicted when it stays inside. A negated claim ("did
not manage to gain a foothold") is checked the other way round. Every verdict carries
the dates it rests on; the map is © DeepStateMap.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import timedelta

from .frontline import ATTRIBUTION, Frontline, parse_date

__all__ = ["TERRITORIAL_EVENTS", "check_claim"]

#: Claims about who controls a place.
TERRITORIAL_EVENTS = ("captured", "entered", "liberated")
WINDOW_DAYS = 14
CONTRADICTION_DAYS = 60


def _status_on(changes: list[tuple[str, str]], day: Date) -> str | None:
    state = None
    for when, status in changes:
        if when <= day.isoformat():
            state = status
    return state


def _first(changes: list[tuple[str, str]], start: Date, end: Date, wanted: str) -> str | None:
    """The first day in [start, end] with status *wanted* (from the change list)."""
    if _status_on(changes, start) == wanted:
        return start.isoformat()
    for when, status in changes:
        if start.isoformat() < when <= end.isoformat() and status == wanted:
            return when
    return None


def check_claim(
    event: str, negated: bool, katottg: str, when: str | None, front: Frontline
) -> dict | None:
    """The DeepState check of one claim about a settlement, or None when it is not territorial.

    Parameters
    ----------
    event
        ``captured``, ``entered`` or ``liberated`` (others are not checked).
    negated
        The claim says it did *not* happen.
    katottg
        The settlement's code (its control history is precomputed).
    when
        The article date, YYYY-MM-DD.
    """
    if event not in TERRITORIAL_EVENTS:
        return None
    base = {"source": ATTRIBUTION, "window_days": WINDOW_DAYS}
    if not when:
        return {**base, "verdict": "no date", "note": "the article has no date"}
    day = parse_date(when)
    if not front.covers(day):
        return {
            **base,
            "verdict": "no data",
            "note": f"before the first snapshot ({front.dates[0].isoformat()})",
        }
    changes = [(c.date, c.status) for c in front.history(katottg)]
    window_end = day + timedelta(days=WINDOW_DAYS)
    on_date = _status_on(changes, day)
    out = {
        **base,
        "date": day.isoformat(),
        "status_on_date": on_date,
        "window": [day.isoformat(), window_end.isoformat()],
    }
    if event in ("captured", "entered"):
        seen = _first(changes, day, window_end, "occupied")
        out["first_occupied"] = seen
        if negated:
            verdict = "contradicted" if on_date == "occupied" else "corroborated"
        elif seen:
            verdict = "corroborated"
        else:
            later = _first(changes, day, day + timedelta(days=CONTRADICTION_DAYS), "occupied")
            out["first_occupied"] = later
            verdict = "not corroborated" if later else "contradicted"
    else:  # liberated
        before = _first(changes, day - timedelta(days=CONTRADICTION_DAYS), day, "occupied")
        free = _first(changes, day, window_end, "not occupied")
        out["first_free"] = free
        if negated:
            verdict = "corroborated" if on_date == "occupied" else "contradicted"
        elif free and before:
            verdict = "corroborated"
        elif not free:
            verdict = "contradicted"
        else:
            verdict = "not corroborated"  # not occupied before: nothing to liberate in the map
    out["verdict"] = verdict
    return out
