"""Dated occupied-territory snapshots (DeepStateMap): status of a point on a date, the
line of contact, control history of settlements, occupied area.

The data build stores every daily snapshot (``frontline.parquet``) and the dates on
which each front-area settlement entered or left the occupied polygon
(``control.parquet``). A day without a snapshot falls back to the nearest earlier
one, and every answer says which snapshot it used. A date after the newest snapshot
(today's news, when the archive was fetched weeks ago) is answered from the newest one,
a date before the oldest from the oldest one, and the answer carries a ``note`` saying so
(:meth:`Frontline.nearest`, :meth:`Frontline.notice`). Map © DeepStateMap: attribute
"DeepStateMap" wherever these answers are shown.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date as Date
from datetime import timedelta
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Literal, overload

import numpy as np

from .data.deepstate import INTERIOR_MARGIN_M, control_table
from .errors import DataDamaged, InvalidQuery

if TYPE_CHECKING:
    import shapely

__all__ = [
    "ATTRIBUTION",
    "INTERIOR_MARGIN_M",
    "AreaStats",
    "ControlChange",
    "Frontline",
    "FrontlineStatus",
    "Snapshot",
    "area_stats",
    "control_table",
    "frontline_of",
    "parse_date",
]

ATTRIBUTION = "DeepStateMap"


_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z]*)?$")


@overload
def parse_date(value: None, name: str = "date") -> None: ...
@overload
def parse_date(value: str | Date, name: str = "date") -> Date: ...
def parse_date(value: str | Date | None, name: str = "date") -> Date | None:
    """``YYYY-MM-DD``, an ISO timestamp, ``"today"`` (or a date) -> date.

    Raises
    ------
    InvalidQuery
        For anything else, naming the argument and the expected form.
    """
    if value is None or isinstance(value, Date):
        return value
    text = str(value).strip()
    if text.lower() == "today":
        return Date.today()
    match = _DAY.match(text)
    try:
        if match is None:
            raise ValueError(text)
        return Date.fromisoformat(match[1])
    except ValueError as err:
        raise InvalidQuery(
            f"`{name}` was {value!r}; expected YYYY-MM-DD (e.g. 2025-08-27) or 'today'"
        ) from err


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The snapshot that answers for a date (see :meth:`Frontline.nearest`)."""

    asked: Date  # the date asked
    index: int  # index of the snapshot used in :attr:`Frontline.dates`
    used: Date  # the date of the snapshot used
    #: "exact" (a snapshot of that day), "earlier" (a missing day inside the archive: the
    #: nearest earlier snapshot), "after" (after the newest snapshot), "before" (before the
    #: oldest snapshot).
    position: Literal["exact", "earlier", "after", "before"]

    @property
    def outside(self) -> bool:
        """True when the date lies outside the archive (before or after it)."""
        return self.position in ("after", "before")

    @property
    def note(self) -> str | None:
        """The ``note`` of an answer for a date outside the archive (None inside it)."""
        if self.position == "after":
            return (
                f"{self.asked.isoformat()} is after the newest DeepState snapshot "
                f"({self.used.isoformat()}); the front line shown is that of "
                f"{self.used.isoformat()}"
            )
        if self.position == "before":
            return (
                f"{self.asked.isoformat()} is before the oldest DeepState snapshot "
                f"({self.used.isoformat()}); the front line shown is that of "
                f"{self.used.isoformat()}"
            )
        return None

    @property
    def notice(self) -> str | None:
        """The one line to print on stderr for a date outside the archive (None inside it)."""
        if self.position == "after":
            return (
                f"front line as of {self.used.isoformat()}, the newest snapshot; run "
                f"`tracker data fetch --deepstate-from {(self.used + timedelta(days=1))}` "
                "for later days"
            )
        if self.position == "before":
            return (
                f"front line as of {self.used.isoformat()}, the oldest snapshot; run "
                f"`tracker data fetch --deepstate-from {self.asked.isoformat()} "
                f"--deepstate-to {(self.used - timedelta(days=1))}` for earlier days"
            )
        return None


@dataclass(frozen=True, slots=True)
class FrontlineStatus:
    """The front-line situation of one point on one date."""

    date: str  # the date asked
    snapshot: str  # the snapshot used (the nearest earlier one when that day is missing)
    status: str  # "occupied" | "not occupied"
    km_to_line: float | None  # signed: negative inside the occupied area, positive outside
    source: str = ATTRIBUTION
    #: Set when the date lies outside the archive: which snapshot answers instead, and why.
    note: str | None = None

    def to_dict(self) -> dict:
        """A JSON-ready dict (the ``frontline`` object of DESIGN.md §5); ``note`` only when
        the date lies outside the archive."""
        out = {
            "date": self.date,
            "snapshot": self.snapshot,
            "status": self.status,
            "km_to_line": None if self.km_to_line is None else round(self.km_to_line, 2),
            "source": self.source,
        }
        if self.note is not None:
            out["note"] = self.note
        return out


@dataclass(frozen=True, slots=True)
class ControlChange:
    """A date on which a settlement entered or left the occupied area."""

    date: str
    status: str  # "occupied" | "not occupied"


class Frontline:
    """The snapshot archive of one data directory (see :func:`frontline_of`).

    Made from a :class:`tracker.data.store.Store`; only the list of dates is read then. A
    snapshot's geometry is read the first time its date is asked about, the control changes
    the first time a settlement's history is (:class:`tracker.data.snapshots.Snapshots`), so
    an undated parse or a claim check reads no geometry at all.
    """

    def __init__(self, store) -> None:
        self.store = store
        self.snapshots = store.snapshots
        self.dates: list[Date] = self.snapshots.dates
        self._line = lru_cache(maxsize=16)(self._contact_line)

    @cached_property
    def _changes(self) -> dict[str, list[tuple[str, bool]]]:
        return self.snapshots.changes

    @cached_property
    def _geod(self):
        from pyproj import Geod

        return Geod(ellps="WGS84")

    @cached_property
    def _to_metric(self):
        from pyproj import Transformer

        from .spatial import METRIC_CRS

        return Transformer.from_crs(4326, METRIC_CRS, always_xy=True)

    def covers(self, when: str | Date) -> bool:
        """True when there is a snapshot on or before *when*."""
        return bool(self.dates) and parse_date(when) >= self.dates[0]

    # -- snapshots -----------------------------------------------------------------------------
    def _require_dates(self) -> None:
        if not self.dates:
            raise DataDamaged(
                f"built data in {self.store.directory} is damaged (frontline.parquet holds no "
                "DeepState snapshot); run `tracker data build`"
            )

    def nearest(self, when: str | Date) -> Snapshot:
        """The snapshot that answers for *when*, also outside the archive.

        Inside the archive it is the snapshot of that day or the nearest earlier one; after
        the newest snapshot it is the newest, before the oldest the oldest. The result says
        which (:attr:`Snapshot.position`, :attr:`Snapshot.note`, :attr:`Snapshot.notice`).
        """
        self._require_dates()
        day = parse_date(when)
        i = bisect_right(self.dates, day) - 1
        if i < 0:
            return Snapshot(day, 0, self.dates[0], "before")
        if day > self.dates[-1]:
            return Snapshot(day, i, self.dates[i], "after")
        return Snapshot(day, i, self.dates[i], "exact" if self.dates[i] == day else "earlier")

    def notice(self, when: str | Date | None) -> str | None:
        """The stderr line for a date outside the archive ("front line as of ..."), or None."""
        if when is None:
            return None
        return self.nearest(when).notice

    def index_for(self, when: str | Date) -> int:
        """Index of the snapshot for *when* (the nearest earlier one when that day is missing,
        the newest after the archive); an error before the archive (see :meth:`nearest`)."""
        self._require_dates()
        day = parse_date(when)
        i = bisect_right(self.dates, day) - 1
        if i < 0:
            raise InvalidQuery(
                f"`date` was {day.isoformat()!r}, before the first DeepState snapshot "
                f"({self.dates[0].isoformat()}); give a date from {self.dates[0].isoformat()} on"
            )
        return i

    def occupied(self, i: int) -> shapely.Geometry:
        """The occupied area of snapshot *i* (prepared for fast point tests)."""
        return self.snapshots.geometry(i)

    def _contact_line(self, i: int):
        """The line of contact of snapshot *i* as short metric pieces, in an STRtree.

        The occupied area's outline is cut into pieces of <= 31 segments; the pieces whose
        midpoint lies inside Ukraine's interior (3 km from the border and the coast) are the
        line of contact. One vectorised point test instead of a polygon intersection.
        """
        import shapely  # not at import: an undated parse needs no geometry

        coords_parts = [
            shapely.get_coordinates(p)
            for p in shapely.get_parts(shapely.boundary(self.occupied(i)))
        ]
        pieces: list[np.ndarray] = []
        mids: list[np.ndarray] = []
        for coords in coords_parts:
            for start in range(0, len(coords) - 1, 31):
                chunk = coords[start : start + 32]
                if len(chunk) >= 2:
                    pieces.append(chunk)
                    mids.append(chunk[len(chunk) // 2])
        if not pieces:
            return shapely.STRtree([]), np.asarray([])
        mid = np.asarray(mids)
        keep = shapely.contains_xy(self.store.interior, mid[:, 0], mid[:, 1])
        lines = []
        for chunk, ok in zip(pieces, keep, strict=True):
            if ok:
                x, y = self._to_metric.transform(chunk[:, 0], chunk[:, 1])
                lines.append(shapely.linestrings(np.column_stack([x, y])))
        line_array = np.asarray(lines)
        return shapely.STRtree(line_array), line_array

    # -- points ----------------------------------------------------------------------------
    def status(self, lon, lat, when: str | Date) -> list[FrontlineStatus]:
        """Occupied or not, and signed km to the line of contact, for points on a date.

        A date outside the archive is answered from the nearest snapshot (the newest or
        the oldest), and each status carries a ``note`` saying so.
        """
        import shapely  # not at import: an undated parse needs no geometry

        lon = np.atleast_1d(np.asarray(lon, dtype=float))
        lat = np.atleast_1d(np.asarray(lat, dtype=float))
        snap = self.nearest(when)
        i = snap.index
        inside = shapely.contains_xy(self.occupied(i), lon, lat)
        km = self.km_to_line(lon, lat, i)
        signed = np.where(inside, -km, km)
        asked, used, note = snap.asked.isoformat(), snap.used.isoformat(), snap.note
        return [
            FrontlineStatus(
                asked,
                used,
                "occupied" if o else "not occupied",
                None if np.isnan(d) else float(d),
                note=note,
            )
            for o, d in zip(inside, signed, strict=True)
        ]

    def km_to_line(self, lon, lat, i: int) -> np.ndarray:
        """Planar km (Ukraine's conformal projection, < 0.2 % off) to snapshot *i*'s line."""
        import shapely  # not at import: an undated parse needs no geometry

        tree, pieces = self._line(i)
        if len(pieces) == 0:
            return np.full(np.shape(lon), np.nan)
        x, y = self._to_metric.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        _, dist = tree.query_nearest(
            shapely.points(np.atleast_1d(x), np.atleast_1d(y)),
            return_distance=True,
            all_matches=False,
        )
        return dist / 1000.0

    # -- settlements -----------------------------------------------------------------------
    def history(self, katottg: str) -> list[ControlChange]:
        """The dates on which a settlement entered or left the occupied area (archive period).

        The first entry is its status on the first snapshot; a settlement never inside the
        occupied area has a single "not occupied" entry.
        """
        changes = self._changes.get(katottg)
        if not changes:
            return [ControlChange(self.dates[0].isoformat(), "not occupied")]
        return [ControlChange(d, "occupied" if o else "not occupied") for d, o in changes]

    # -- area ------------------------------------------------------------------------------
    def area_km2(self, when: str | Date, within: shapely.Geometry | None = None) -> float:
        """Geodesic area (WGS84 ellipsoid, km²) of the occupied area on a date, optionally
        inside a polygon (an oblast)."""
        import shapely  # not at import: an undated parse needs no geometry

        geom = self.occupied(self.index_for(when))
        if within is not None:
            geom = shapely.intersection(geom, within)
        area, _ = self._geod.geometry_area_perimeter(geom)
        return abs(area) / 1e6


@dataclass(frozen=True, slots=True)
class AreaStats:
    """Occupied area on each date of a range, and the change between its ends."""

    first: str
    last: str
    oblast: str | None
    series: tuple[tuple[str, str, float], ...]  # (date asked, snapshot used, km²)
    gained_km2: float  # occupied on the last date but not on the first
    lost_km2: float  # occupied on the first date but not on the last

    def to_dict(self) -> dict:
        """A JSON-ready dict."""
        return {
            "from": self.first,
            "to": self.last,
            "oblast": self.oblast,
            "series": [
                {"date": d, "snapshot": s, "occupied_km2": round(a, 1)} for d, s, a in self.series
            ],
            "change_km2": round(self.series[-1][2] - self.series[0][2], 1),
            "gained_km2": round(self.gained_km2, 1),
            "lost_km2": round(self.lost_km2, 1),
            "area": "geodesic (WGS84 ellipsoid)",
            "source": ATTRIBUTION,
        }


def area_stats(
    front: Frontline,
    first: str,
    last: str,
    *,
    within=None,
    oblast: str | None = None,
    progress=None,
) -> AreaStats:
    """Occupied km² on every day from *first* to *last* (snapshots as available)."""
    d0, d1 = parse_date(first, "from"), parse_date(last, "to")
    if d1 < d0:
        raise InvalidQuery(f"`to` ({d1}) is before `from` ({d0}); swap them")
    front.index_for(d0)  # a clear error before the archive begins
    days = [d0 + timedelta(days=k) for k in range((d1 - d0).days + 1)]
    series, cache = [], {}
    for day in days:
        i = front.index_for(day)
        if i not in cache:
            cache[i] = front.area_km2(day, within)
        series.append((day.isoformat(), front.dates[i].isoformat(), cache[i]))
        if progress:
            progress(1)
    import shapely

    a = front.occupied(front.index_for(d0))
    b = front.occupied(front.index_for(d1))
    if within is not None:
        a, b = shapely.intersection(a, within), shapely.intersection(b, within)
    gained = abs(front._geod.geometry_area_perimeter(shapely.difference(b, a))[0]) / 1e6
    lost = abs(front._geod.geometry_area_perimeter(shapely.difference(a, b))[0]) / 1e6
    return AreaStats(d0.isoformat(), d1.isoformat(), oblast, tuple(series), gained, lost)


def frontline_of(store) -> Frontline:
    """The :class:`Frontline` of a loaded :class:`tracker.data.store.Store` (made once per
    store); an object that carries its own ``frontline`` (a stand-in in tests) gives that.

    Examples
    --------
    >>> from tracker.data.store import load
    >>> frontline_of(load()).dates[-1]  # doctest: +SKIP
    datetime.date(2025, 9, 30)
    """
    given = getattr(store, "frontline", None)
    return given if given is not None else _frontline_of(store)


@lru_cache(maxsize=8)
def _frontline_of(store) -> Frontline:
    return Frontline(store)
