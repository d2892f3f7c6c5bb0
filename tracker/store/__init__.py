"""The article store: what every ingested article said, kept and queryable.

SQLite by default (a file in the user data directory), PostgreSQL (+ PostGIS) for teams,
through SQLAlchemy Core, with Alembic migrations. Not to be confused with
:mod:`tracker.data.store`, the loader of the *built* data (gazetteer, DeepState archive).

>>> from tracker.store import open_store, ingest
>>> with open_store("sqlite:///tracker.sqlite", create=True) as db:   # doctest: +SKIP
...     ingest(["articles/"], db, date="2025-08-27").counts
Counter({'new': 3})
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .database import ArticleStore, WriteResult, open_store
from .engine import default_url, locate
from .ingest import IngestSummary, ingest, reprocess
from .query import EventFilter, claims_about, event_rows, events_frame, status
from .rows import article_id, from_rows, to_rows

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "ArticleStore",
    "EventFilter",
    "IngestSummary",
    "WriteResult",
    "article_id",
    "claims_about",
    "default_url",
    "event_rows",
    "events",
    "events_frame",
    "from_rows",
    "ingest",
    "locate",
    "open_store",
    "reprocess",
    "status",
    "to_rows",
]


def events(
    *,
    since: str | None = None,
    until: str | None = None,
    oblast: str | None = None,
    place: str | None = None,
    claimant: str | None = None,
    event: str | None = None,
    stance: str | None = None,
    all_versions: bool = False,
    db: str | None = None,
) -> gpd.GeoDataFrame:
    """The stored claims as a GeoDataFrame of points (EPSG:4326), oldest first.

    Parameters
    ----------
    since, until : str, optional
        First and last article date, ``YYYY-MM-DD`` (inclusive).
    oblast : str, optional
        Only claims about places in this oblast (any spelling: "Dnipro", "UA-12").
    place : str, optional
        A KATOTTG code or a place name as stored (English or Ukrainian).
    claimant : str, optional
        A claimant type (``russian_mod``, ``ukrainian_military``, ...) or words of the
        claimant as written ("Tryhubov").
    event, stance : str, optional
        ``captured``, ``entered``, ... / ``claimed``, ``confirmed``, ...
    all_versions : bool
        Also the claims of older versions of an article.
    db : str, optional
        The store (default ``TRACKER_DB``, else the SQLite file in the user data directory).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per claim: date, place, katottg, oblast, raion, hromada, event, claimant,
        claimant_text, stance, negated, quote, verdict (DeepState), sentence, trigger,
        article_id, article, title, url, source, version, lon, lat, geometry.

    Examples
    --------
    >>> import tracker
    >>> tracker.events(place="Zaporizke", since="2025-08-01")[["date", "event", "stance"]]  # doctest: +SKIP
             date    event   stance
    0  2025-08-27  entered  confirmed
    """  # noqa: E501
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
    with open_store(db) as store:
        return events_frame(event_rows(store, flt))
