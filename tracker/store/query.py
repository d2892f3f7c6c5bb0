"""Reading the article store: events (claims) by place, oblast, date, claimant; the stored
claims about one settlement; the stored articles of a period; what the store holds.

Queries read the current version of each article (``is_current``) unless told otherwise; a
claim's date is its article's date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from datetime import date as Date
from typing import TYPE_CHECKING, Any, get_args

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidQuery
from ..models import Claimant, Event, ParsedArticle, Stance
from . import schema
from .database import ArticleStore
from .rows import from_rows

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "EVENT_COLUMNS",
    "EventFilter",
    "claims_about",
    "event_rows",
    "events_frame",
    "load_docs",
    "period_ids",
    "status",
]

_KATOTTG = re.compile(r"^UA\d{17}$", re.IGNORECASE)

#: The columns of an events table, in order (``tracker events --csv``, :func:`tracker.events`).
EVENT_COLUMNS = (
    "date",
    "place",
    "katottg",
    "oblast",
    "raion",
    "hromada",
    "event",
    "claimant",
    "claimant_text",
    "stance",
    "negated",
    "quote",
    "verdict",
    "sentence",
    "trigger",
    "article_id",
    "article",
    "title",
    "url",
    "source",
    "version",
    "lon",
    "lat",
)


def _date(value: str | Date | None, name: str) -> Date | None:
    if value is None or isinstance(value, Date):
        return value
    from ..frontline import parse_date

    return parse_date(value, name)


def _choice(value: str | None, allowed: Sequence[str], name: str) -> str | None:
    if value is None:
        return None
    key = value.strip().lower().replace(" ", "_").replace("-", "_")
    if key == "not_corroborated":
        key = "not corroborated"
    if key not in allowed:
        raise InvalidQuery(f"`{name}` was {value!r} but is expected to be one of {list(allowed)}")
    return key


@dataclass(frozen=True)
class EventFilter:
    """The filters of :func:`events_frame` / ``tracker events``, checked.

    Parameters
    ----------
    since, until : str or date, optional
        First and last article date (inclusive), ``YYYY-MM-DD``.
    oblast : str, optional
        Any spelling :func:`tracker.regions.find_oblast` knows ("Dnipro", "UA-12").
    place : str, optional
        A KATOTTG code, or a place name as stored (English or Ukrainian, any case).
    claimant : str, optional
        A claimant type (``russian_mod``, ``ukrainian_military``, ...) or words of the
        claimant as written ("Tryhubov").
    event, stance : str, optional
        One of the claim events / stances (``captured``, ``claimed``, ...).
    all_versions : bool
        Also claims of older versions of an article.
    """

    since: Date | None = None
    until: Date | None = None
    oblast: str | None = None
    place: str | None = None
    claimant: str | None = None
    event: str | None = None
    stance: str | None = None
    all_versions: bool = False

    @classmethod
    def of(
        cls,
        *,
        since: str | Date | None = None,
        until: str | Date | None = None,
        oblast: str | None = None,
        place: str | None = None,
        claimant: str | None = None,
        event: str | None = None,
        stance: str | None = None,
        all_versions: bool = False,
    ) -> EventFilter:
        """Check and normalise the filters (InvalidQuery / UnknownRegion, exit 2)."""
        first, last = _date(since, "since"), _date(until, "until")
        if first and last and first > last:
            raise InvalidQuery(f"`since` ({first}) is after `until` ({last}); give since <= until")
        if oblast is not None:
            from ..regions import find_oblast

            oblast = find_oblast(oblast).name
        for name, value in (("place", place), ("claimant", claimant)):
            if value is not None and not value.strip():
                raise InvalidQuery(f"`{name}` is empty; give a value or leave it out")
        claimant_key = claimant.strip() if claimant else None
        if claimant_key:
            normal = claimant_key.lower().replace(" ", "_").replace("-", "_")
            if normal in get_args(Claimant):
                claimant_key = normal
        return cls(
            since=first,
            until=last,
            oblast=oblast,
            place=place.strip() if place else None,
            claimant=claimant_key,
            event=_choice(event, get_args(Event), "event"),
            stance=_choice(stance, get_args(Stance), "stance"),
            all_versions=all_versions,
        )


def _event_select(flt: EventFilter) -> sa.Select[Any]:
    c, m, a = schema.claims, schema.mentions, schema.articles
    query = (
        sa.select(
            a.c.published.label("date"),
            c.c.place_name.label("place"),
            c.c.katottg,
            c.c.oblast,
            m.c.raion,
            m.c.hromada,
            c.c.event,
            c.c.claimant,
            c.c.claimant_text,
            c.c.stance,
            c.c.negated,
            c.c.quote,
            c.c.verdict,
            c.c.sentence,
            c.c.trigger,
            c.c.article_id,
            a.c.name.label("article"),
            a.c.title,
            a.c.url,
            a.c.source,
            a.c.version,
            c.c.lon,
            c.c.lat,
        )
        .select_from(
            c.join(a, a.c.id == c.c.article_id).join(
                m, sa.and_(m.c.article_id == c.c.article_id, m.c.seq == c.c.mention_seq)
            )
        )
        .order_by(a.c.published, a.c.name, c.c.article_id, c.c.mention_seq, c.c.seq)
    )
    if not flt.all_versions:
        query = query.where(a.c.is_current.is_(True))
    if flt.since:
        query = query.where(a.c.published >= flt.since)
    if flt.until:
        query = query.where(a.c.published <= flt.until)
    if flt.oblast:
        query = query.where(c.c.oblast == flt.oblast)
    if flt.place:
        if _KATOTTG.match(flt.place):
            query = query.where(c.c.katottg == flt.place.upper())
        else:
            key = flt.place.lower()
            query = query.where(
                sa.or_(
                    sa.func.lower(c.c.place_name) == key,
                    sa.func.lower(m.c.name_uk) == key,
                    sa.func.lower(m.c.surface) == key,
                )
            )
    if flt.claimant:
        if flt.claimant in get_args(Claimant):
            query = query.where(c.c.claimant == flt.claimant)
        else:
            like = f"%{_escape_like(flt.claimant.lower())}%"
            query = query.where(sa.func.lower(c.c.claimant_text).like(like, escape="\\"))
    if flt.event:
        query = query.where(c.c.event == flt.event)
    if flt.stance:
        query = query.where(c.c.stance == flt.stance)
    return query


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def event_rows(store: ArticleStore, flt: EventFilter, *, limit: int | None = None) -> list[dict]:
    """The claims that pass *flt*, oldest first, as dicts with :data:`EVENT_COLUMNS`."""
    query = _event_select(flt)
    if limit is not None:
        query = query.limit(limit)
    with store.connect() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
    for row in rows:
        row["date"] = row["date"].isoformat() if row["date"] is not None else None
        row["negated"], row["quote"] = bool(row["negated"]), bool(row["quote"])
    return rows


def events_frame(rows: Sequence[Mapping[str, Any]]) -> gpd.GeoDataFrame:
    """*rows* of :func:`event_rows` as a GeoDataFrame of points (EPSG:4326; no geometry for a
    claim about a place without coordinates)."""
    import geopandas as gpd
    import pandas as pd

    frame = pd.DataFrame(list(rows), columns=list(EVENT_COLUMNS))
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs="EPSG:4326")
    out = gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
    missing = frame["lon"].isna() | frame["lat"].isna()
    if missing.any():
        out.loc[missing, "geometry"] = None
    return out


def claims_about(
    store: ArticleStore, katottg: str, *, skip: Iterable[Mapping[str, Any]] = ()
) -> list[dict]:
    """The stored claims about one settlement, as ``tracker history`` timeline entries.

    Each is ``date, kind="claim", article, event, claimant, stance, negated, check,
    sentence`` (the mention's, as for ``--articles``, when *skip* has claims; else the
    claim's), ``claim_sentence`` and ``stored: True``;
    those an entry of *skip* has already (the same claims of the same article read from
    ``--articles``) are left out.
    """
    c, a, m = schema.claims, schema.articles, schema.mentions
    seen = {_claim_key(e) for e in skip if e.get("kind") == "claim"}
    # the mention's sentence only when there are --articles claims to compare with (it costs
    # a join with the large mentions table); otherwise the claim's own sentence
    sentence = m.c.sentence if seen else c.c.sentence
    tables = c.join(a, a.c.id == c.c.article_id)
    if seen:
        tables = tables.join(
            m, sa.and_(m.c.article_id == c.c.article_id, m.c.seq == c.c.mention_seq)
        )
    query = (
        sa.select(
            sa.cast(a.c.published, sa.String),  # 'YYYY-MM-DD' as stored, on both engines
            a.c.title,
            a.c.name,
            c.c.event,
            c.c.claimant,
            c.c.stance,
            c.c.negated,
            c.c.verdict,
            sentence.label("sentence"),
            c.c.sentence.label("claim_sentence"),
        )
        .select_from(tables)
        .where(c.c.katottg == katottg, a.c.is_current.is_(True))
        .order_by(a.c.published, a.c.name, c.c.mention_seq, c.c.seq)
    )
    with store.connect() as conn:
        rows = conn.execute(query).all()
    out = [
        {
            "date": day, "event": event, "claimant": claimant, "stance": stance,
            "negated": bool(negated), "check": check, "sentence": said,
            "claim_sentence": claim_said, "kind": "claim", "article": title or name,
            "stored": True,
        }
        for day, title, name, event, claimant, stance, negated, check, said, claim_said in rows
    ]  # fmt: skip
    return [e for e in out if _claim_key(e) not in seen] if seen else out


def _claim_key(e: Mapping[str, Any]) -> tuple:
    """One statement: what, who, how, in which sentence (the article's date, title and check
    aside: ``--articles`` read without them give the same claims)."""
    sentence = " ".join(str(e.get("sentence")).split())
    return (e.get("event"), e.get("claimant"), e.get("stance"), bool(e.get("negated")), sentence)


def period_ids(
    store: ArticleStore,
    *,
    since: str | Date | None = None,
    until: str | Date | None = None,
    all_versions: bool = False,
) -> list[str]:
    """Ids of the stored articles dated *since* .. *until* (undated ones only when neither
    is given), oldest first."""
    a = schema.articles
    first, last = _date(since, "since"), _date(until, "until")
    query = sa.select(a.c.id).order_by(a.c.published, a.c.name, a.c.id)
    if not all_versions:
        query = query.where(a.c.is_current.is_(True))
    if first:
        query = query.where(a.c.published >= first)
    if last:
        query = query.where(a.c.published <= last)
    with store.connect() as conn:
        return list(conn.execute(query).scalars())


def load_docs(conn: Connection, ids: Sequence[str]) -> dict[str, ParsedArticle]:
    """The stored articles *ids*, rebuilt (:func:`tracker.store.rows.from_rows`)."""
    a, m, c = schema.articles, schema.mentions, schema.claims
    out: dict[str, ParsedArticle] = {}
    for start in range(0, len(ids), 200):
        chunk = list(ids[start : start + 200])
        arts = {
            r["id"]: dict(r) for r in conn.execute(sa.select(a).where(a.c.id.in_(chunk))).mappings()
        }
        ments: dict[str, list[dict]] = {i: [] for i in chunk}
        for r in conn.execute(sa.select(m).where(m.c.article_id.in_(chunk))).mappings():
            ments[r["article_id"]].append(dict(r))
        clms: dict[str, list[dict]] = {i: [] for i in chunk}
        for r in conn.execute(sa.select(c).where(c.c.article_id.in_(chunk))).mappings():
            clms[r["article_id"]].append(dict(r))
        for i in chunk:
            if i in arts:
                out[i] = from_rows(arts[i], ments[i], clms[i])
    return out


def stored_docs(store: ArticleStore, ids: Sequence[str]) -> list[ParsedArticle]:
    """The stored articles *ids*, in that order."""
    with store.connect() as conn:
        docs = load_docs(conn, ids)
    return [docs[i] for i in ids if i in docs]


def status(store: ArticleStore) -> dict[str, Any]:
    """What the store holds: counts, date range, engine, schema, data builds."""
    a, m, c = schema.articles, schema.mentions, schema.claims
    loc = store.location
    out: dict[str, Any] = {
        "store": loc.display,
        "engine": loc.engine,
        "schema": store.revision,
        "schema_head": schema.SCHEMA_HEAD,
    }
    with store.connect() as conn:
        count = sa.func.count()
        out["articles"] = conn.execute(
            sa.select(count).select_from(a).where(a.c.is_current.is_(True))
        ).scalar_one()
        out["article_versions"] = conn.execute(sa.select(count).select_from(a)).scalar_one()
        out["mentions"] = conn.execute(sa.select(count).select_from(m)).scalar_one()
        out["resolved_mentions"] = conn.execute(
            sa.select(count).select_from(m).where(m.c.katottg.is_not(None))
        ).scalar_one()
        out["places"] = conn.execute(
            sa.select(sa.func.count(sa.distinct(m.c.katottg)))
        ).scalar_one()
        out["claims"] = conn.execute(sa.select(count).select_from(c)).scalar_one()
        first, last, undated = conn.execute(
            sa.select(
                sa.func.min(a.c.published),
                sa.func.max(a.c.published),
                sa.func.sum(sa.case((a.c.published.is_(None), 1), else_=0)),
            ).where(a.c.is_current.is_(True))
        ).one()
        out["dates"] = {
            "first": first.isoformat() if first else None,
            "last": last.isoformat() if last else None,
            "undated": int(undated or 0),
        }
        ing_first, ing_last = conn.execute(
            sa.select(sa.func.min(a.c.ingested_at), sa.func.max(a.c.ingested_at))
        ).one()
        out["ingested"] = {"first": _stamp(ing_first), "last": _stamp(ing_last)}
        out["builds"] = [
            {"tracker_version": v, "data_build": b, "articles": n}
            for v, b, n in conn.execute(
                sa.select(a.c.tracker_version, a.c.data_build, count)
                .group_by(a.c.tracker_version, a.c.data_build)
                .order_by(sa.func.max(a.c.ingested_at).desc())
            )
        ]
        if loc.engine == "sqlite":
            out["journal_mode"] = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        else:
            out["server"] = conn.exec_driver_sql("SHOW server_version").scalar()
    if loc.path is not None:
        out["bytes"] = sum(
            p.stat().st_size
            for p in (loc.path, loc.path.with_name(loc.path.name + "-wal"))
            if p.exists()
        )
    out["postgis"] = store.postgis
    return out


def _stamp(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        from datetime import datetime

        value = datetime.fromisoformat(value)
    if value.tzinfo is None:  # SQLite keeps no zone; the tracker stores UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
