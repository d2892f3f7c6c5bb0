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
from typing import TYPE_CHECKING

from ..models import CrossCheck, Event, Verdict

if TYPE_CHECKING:
    from ..frontline import Frontline

__all__ = ["CONTRADICTION_DAYS", "TERRITORIAL_EVENTS", "WINDOW_DAYS", "check_claim"]

#: Claims about who controls a place.
TERRITORIAL_EVENTS: tuple[Event, ...] = ("captured", "entered", "liberated")
#: Days after the article date in which DeepState corroborates a claim.
WINDOW_DAYS = 14
#: Days without the claimed change after which a claim is contradicted.
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


def _gain(
    changes: list[tuple[str, str]], day: Date, negated: bool, on_date: str | None
) -> tuple[Verdict, str | None]:
    """A capture or entry: occupied within the window (contradicted after 60 days without)."""
    seen = _first(changes, day, day + timedelta(days=WINDOW_DAYS), "occupied")
    if negated:
        return ("contradicted" if on_date == "occupied" else "corroborated"), seen
    if seen:
        return "corroborated", seen
    later = _first(changes, day, day + timedelta(days=CONTRADICTION_DAYS), "occupied")
    return ("not corroborated" if later else "contradicted"), later


def _loss(
    changes: list[tuple[str, str]], day: Date, negated: bool, on_date: str | None
) -> tuple[Verdict, str | None]:
    """A liberation: occupied before, not occupied within the window."""
    before = _first(changes, day - timedelta(days=CONTRADICTION_DAYS), day, "occupied")
    free = _first(changes, day, day + timedelta(days=WINDOW_DAYS), "not occupied")
    if negated:
        return ("corroborated" if on_date == "occupied" else "contradicted"), free
    if free and before:
        return "corroborated", free
    if not free:
        return "contradicted", free
    return "not corroborated", free  # not occupied before: nothing to liberate in the map


def check_claim(
    event: Event, negated: bool, katottg: str, when: str | None, front: Frontline | None
) -> CrossCheck | None:
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
    front
        The DeepState archive (None only when *when* is None).

    Returns
    -------
    CrossCheck or None
        The verdict with the dates it rests on.
    """
    if event not in TERRITORIAL_EVENTS:
        return None
    from ..frontline import ATTRIBUTION, parse_date  # pandas: only when claims are checked

    day = parse_date(when) if when else None
    if day is None or front is None:
        return CrossCheck("no date", ATTRIBUTION, WINDOW_DAYS, note="the article has no date")
    if not front.covers(day):
        return CrossCheck(
            "no data",
            ATTRIBUTION,
            WINDOW_DAYS,
            note=f"before the first snapshot ({front.dates[0].isoformat()})",
        )
    newest = front.dates[-1]
    if day > newest:
        return CrossCheck(
            "no data",
            ATTRIBUTION,
            WINDOW_DAYS,
            note=f"after the newest snapshot ({newest.isoformat()}); rebuild the data with a "
            "newer DeepState archive to check it",
        )
    changes = [(c.date, c.status) for c in front.history(katottg)]
    on_date = _status_on(changes, day)
    gain = event in ("captured", "entered")
    verdict, seen = (_gain if gain else _loss)(changes, day, negated, on_date)
    note = None
    horizon = day + timedelta(days=CONTRADICTION_DAYS if gain else WINDOW_DAYS)
    if verdict == "contradicted" and not negated and horizon > newest:
        # the map has not had the days a contradiction needs: absence is not yet evidence
        verdict = "not corroborated"
        note = f"the archive ends {newest.isoformat()}, before {horizon.isoformat()}"
    return CrossCheck(
        verdict,
        ATTRIBUTION,
        WINDOW_DAYS,
        date=day.isoformat(),
        status_on_date=on_date,
        window=(day.isoformat(), (day + timedelta(days=WINDOW_DAYS)).isoformat()),
        looked_for="occupied" if gain else "not occupied",
        first_seen=seen,
        note=note,
    )
