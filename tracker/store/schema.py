"""The tables of the article store (SQLAlchemy Core), identical on SQLite and PostgreSQL.

Three tables, one row per thing an article said:

``articles``
    One row per stored text. ``id`` is the stable article id (a hash of the normalised body
    text, :func:`tracker.store.rows.article_id`); the text is kept exactly as read. A new text
    under a URL already stored is a new *version* (``version`` counts up, ``previous_id``
    names the one it replaces, only the newest has ``is_current``); the old one is kept.
    ``tracker_version`` and ``data_build`` say what produced the parse.
``mentions``
    One row per place mention (``article_id``, ``seq``): offsets, surface text, kind,
    status, the place (KATOTTG code, names, oblast / raion / hromada, lon / lat; the whole
    place as JSON), confidence, geo-precision, alternatives, region checks and the front-line
    status on the article date.
``claims``
    One row per claim about a mention (``article_id``, ``mention_seq``, ``seq``): the place,
    event, claimant, stance, negation, the sentence and the DeepState cross-check verdict.

On PostgreSQL with PostGIS, ``mentions`` and ``claims`` also get a ``geom`` column
(``geometry(Point, 4326)``, generated from lon / lat, GiST-indexed) that QGIS and PostGIS
queries can use; it is not part of this metadata because it exists only there (see the
migrations). Schema versions are Alembic revisions (``tracker/store/migrations``);
:data:`SCHEMA_HEAD` is the newest one this tracker knows.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

__all__ = ["KNOWN_REVISIONS", "SCHEMA_HEAD", "articles", "claims", "mentions", "metadata"]

#: Every schema revision this tracker can read, oldest first; the last is the newest.
KNOWN_REVISIONS: tuple[str, ...] = ("0001",)
#: The schema revision this tracker writes (the Alembic head).
SCHEMA_HEAD = KNOWN_REVISIONS[-1]

_JSON = JSON().with_variant(JSONB(), "postgresql")

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", String(32), primary_key=True),  # hash of the normalised body text
    Column("url", Text),
    Column("title", Text),
    Column("source", Text),  # publication (--source, else the URL's host)
    Column("published", Date),  # article date
    Column("name", Text, nullable=False),  # the reader's id (file stem)
    Column("path", Text),
    Column("format", String(16), nullable=False),
    Column("body_start", Integer, nullable=False),
    Column("text", Text, nullable=False),  # exactly as read
    Column("bytes", Integer, nullable=False),  # UTF-8 size of the text
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("reprocessed_at", DateTime(timezone=True)),
    Column("tracker_version", String(32), nullable=False),
    Column("data_build", String(64), nullable=False),
    Column("version", Integer, nullable=False),  # 1, 2, ... per URL
    Column("previous_id", String(32)),  # the version this one replaces
    Column("is_current", Boolean, nullable=False),
    Column("n_mentions", Integer, nullable=False),
    Column("n_claims", Integer, nullable=False),
    UniqueConstraint("url", "version", name="uq_articles_url_version"),
    Index("ix_articles_published", "published"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("start_offset", Integer, nullable=False),
    Column("end_offset", Integer, nullable=False),
    Column("surface", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("cue", Text),
    Column("occupation_name", Boolean, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("geo_precision", Integer),
    Column("katottg", String(19)),
    Column("name", Text),
    Column("name_uk", Text),
    Column("category", String(4)),
    Column("place_kind", String(16)),
    Column("oblast", Text),
    Column("oblast_iso", String(8)),
    Column("raion", Text),
    Column("raion_code", String(19)),
    Column("hromada", Text),
    Column("hromada_code", String(19)),
    Column("country", Text),  # a place abroad: its country
    Column("lon", Float),
    Column("lat", Float),
    Column("frontline_date", Date),
    Column("frontline_snapshot", Date),
    Column("frontline_status", String(16)),
    Column("km_to_line", Float),
    Column("place", _JSON),  # the place (or the place abroad), every field
    Column("alternatives", _JSON, nullable=False),
    Column("evidence", _JSON, nullable=False),
    Column("regions", _JSON),
    Column("frontline", _JSON),
    ForeignKeyConstraint(
        ["article_id"], ["articles.id"], ondelete="CASCADE", name="fk_mentions_article"
    ),
    Index("ix_mentions_katottg", "katottg"),
    Index("ix_mentions_oblast", "oblast"),
)

claims = Table(
    "claims",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("mention_seq", Integer, primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("katottg", String(19)),
    Column("place_name", Text),
    Column("oblast", Text),
    Column("lon", Float),
    Column("lat", Float),
    Column("event", String(16), nullable=False),
    Column("claimant", String(32), nullable=False),
    Column("claimant_text", Text),
    Column("stance", String(16), nullable=False),
    Column("negated", Boolean, nullable=False),
    Column("quote", Boolean, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("sentence_start", Integer, nullable=False),
    Column("sentence_end", Integer, nullable=False),
    Column("trigger", Text, nullable=False),
    Column("trigger_start", Integer, nullable=False),
    Column("trigger_end", Integer, nullable=False),
    Column("place_spans", _JSON, nullable=False),
    Column("verdict", String(24)),  # DeepState cross-check
    Column("frontline_check", _JSON),
    ForeignKeyConstraint(
        ["article_id", "mention_seq"],
        ["mentions.article_id", "mentions.seq"],
        ondelete="CASCADE",
        name="fk_claims_mention",
    ),
    Index("ix_claims_katottg", "katottg"),
)
