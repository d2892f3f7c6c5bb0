"""Dates of articles: the ``date`` argument checked where it enters, dates found in metadata
made ``YYYY-MM-DD``, and the date of a dateline ("KYIV, June 8 (Reuters) -") when nothing
else gives one. The month and weekday names are ``knowledge/dates.toml``."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..errors import InputError
from ..knowledge import table
from .problems import ReadFailure

__all__ = [
    "DATELINE_YEARS",
    "FIRST_YEAR",
    "LAST_YEAR",
    "check_date",
    "dateline_date",
    "normalise_date",
    "resolve_date",
]

#: Dates outside these years are refused (they are typos, and date arithmetic must not overflow).
FIRST_YEAR, LAST_YEAR = 1900, 2999
#: How many years back a dateline without a year may reach.
DATELINE_YEARS = 6

_DATE_HELP = "expected YYYY-MM-DD (e.g. 2025-08-27) or an ISO timestamp (2025-08-27T10:00:00Z)"
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")

_MONTHS = {m: i + 1 for i, names in enumerate(table("dates")["months"]) for m in names}
_MONTH = r"(?P<month>(?i:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r"))\.?"
_PLACE = r"[A-ZÀ-Ý][\w’'.-]*(?:[ -][A-ZÀ-Ý][\w’'.-]*){0,3}"
#: "KYIV, June 8 (Reuters) -", "KYIV, Ukraine, Aug. 27, 2025 (AP) —", "Kyiv, 8 June 2025 -",
#: "June 8 (Reuters) -": at the start of the text, a place (and a country) if any, the date,
#: a news agency in parentheses if any, then a dash or colon.
_DATELINE = re.compile(
    rf"^\s*(?:{_PLACE}(?:,\s*{_PLACE})?\s*[,(]?\s*)?"
    rf"(?:{_MONTH}\s+(?P<day>\d{{1,2}})|(?P<day2>\d{{1,2}})\s+{_MONTH.replace('month', 'month2')})"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\)?\s*(?:\([^()\n]{1,40}\)\s*)?[-—–:]"
)
_WEEKDAYS: tuple[str, ...] = tuple(table("dates")["weekdays"])
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)


def normalise_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` for a date, datetime or ISO string found in metadata.

    Parameters
    ----------
    value : date, datetime, str or anything
        A metadata value (YAML reads an unquoted date as a date).

    Returns
    -------
    str or None
        None when it is not a date, or its year is outside :data:`FIRST_YEAR` ..
        :data:`LAST_YEAR`.
    """
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        text = value.strip()
        match = _ISO_DATE.match(text)
        if not match:
            return None
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
            if len(text) > 10:
                dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return day.isoformat()


def check_date(date: str | None) -> str | None:
    """A date argument checked where it enters: ``YYYY-MM-DD`` (or ``"today"``) or None.

    Parameters
    ----------
    date : str or None
        ``YYYY-MM-DD`` with a year from 1900 to 2999, or ``"today"`` (the local date).

    Returns
    -------
    str or None
        The date as ``YYYY-MM-DD`` (``"today"`` resolved), or None for None.

    Raises
    ------
    InputError
        For anything else, naming the value and the expected form.

    Examples
    --------
    >>> check_date("2025-08-27")
    '2025-08-27'
    """
    if date is None:
        return None
    if isinstance(date, str) and date.strip().lower() == "today":
        return dt.date.today().isoformat()
    if (
        not isinstance(date, str)
        or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)
        or normalise_date(date) is None
    ):
        raise InputError(
            f"date {date!r} is not a date; expected YYYY-MM-DD (years {FIRST_YEAR}-{LAST_YEAR}) "
            "or 'today', e.g. 2025-08-27"
        )
    return date


def resolve_date(value: Any, where: str, display: str) -> str:
    """The date of a metadata value, ``YYYY-MM-DD``.

    Parameters
    ----------
    value : Any
        The value.
    where : str
        Where it was found (``"'date' in front matter"``), for the message.
    display : str
        The document, for the message.

    Returns
    -------
    str

    Raises
    ------
    ReadFailure
        When *value* is not a date (see :func:`normalise_date`).
    """
    normal = normalise_date(value)
    if normal is None:
        raise ReadFailure(f"{display}: date {str(value)!r} ({where}) is not a date; {_DATE_HELP}")
    return normal


def dateline_date(text: str, reference: dt.date | str | None = None) -> tuple[str, str] | None:
    """The date of an article's dateline, and how it was read; None when it has none.

    A dateline opens the text: "KYIV, June 8 (Reuters) -", "KYIV, Ukraine, Aug. 27, 2025
    (AP) —", "Kyiv, 8 June 2025 -". Its year, when it gives none, is the latest year in which
    that day is not after *reference* (default today) — an article is read after it was
    written — except that a weekday the first paragraph names ("said on Sunday") picks the
    latest of the last :data:`DATELINE_YEARS` years in which the day fell on that weekday.

    Parameters
    ----------
    text
        The article text (its body, after any front matter).
    reference
        The day the articles are read on (``YYYY-MM-DD`` or a date); default today.

    Returns
    -------
    (str, str) or None
        ``("2025-06-08", "dateline 'KYIV, June 8 (Reuters) -', year from the weekday
        (Sunday)")``.

    Examples
    --------
    >>> dateline_date("KYIV, June 8 (Reuters) - Russia said on Sunday ...", "2026-12-01")[0]
    '2025-06-08'
    >>> dateline_date("KYIV, June 8 (Reuters) - Russia said ...", "2026-12-01")[0]
    '2026-06-08'
    >>> dateline_date("Kyiv, 27 August 2025 - ...")[0]
    '2025-08-27'
    >>> dateline_date("KYIV, Ukraine — Russian troops entered two villages") is None
    True
    """
    match = _DATELINE.match(text[:400])
    if not match:
        return None
    month = _MONTHS[(match["month"] or match["month2"]).lower()]
    day = int(match["day"] or match["day2"])
    shown = " ".join(match.group(0).split())
    if match["year"]:
        try:
            return dt.date(int(match["year"]), month, day).isoformat(), f"dateline {shown!r}"
        except ValueError:
            return None
    ref = _reference_day(reference)
    days = _days_before(month, day, ref)
    if not days:
        return None
    by_weekday = _by_weekday(text, match, days, shown)
    if by_weekday is not None:
        return by_weekday
    return days[0].isoformat(), f"dateline {shown!r}, the latest such day by {ref.isoformat()}"


def _reference_day(reference: dt.date | str | None) -> dt.date:
    if reference is None:
        return dt.date.today()
    if isinstance(reference, str):
        return dt.date.fromisoformat(reference)
    return reference


def _days_before(month: int, day: int, ref: dt.date) -> list[dt.date]:
    """That day of the month in each of the last :data:`DATELINE_YEARS` years, newest first,
    up to the day after *ref*."""
    days = []
    for year in range(ref.year, ref.year - DATELINE_YEARS - 1, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:  # 29 February
            continue
        if candidate <= ref + dt.timedelta(days=1):
            days.append(candidate)
    return days


def _by_weekday(
    text: str, match: re.Match[str], days: list[dt.date], shown: str
) -> tuple[str, str] | None:
    """The newest of *days* on the one weekday the first paragraph names, if it names one."""
    paragraph = text[: max(text.find("\n", match.end()), match.end() + 300)]
    named = {w.lower() for w in _WEEKDAY.findall(paragraph[match.end() :])}
    if len(named) != 1:
        return None
    weekday = _WEEKDAYS.index(named.pop())
    for candidate in days:
        if candidate.weekday() == weekday:
            how = f"dateline {shown!r}, year from the weekday ({_WEEKDAYS[weekday].title()})"
            return candidate.isoformat(), how
    return None
