"""The first schema: articles, mentions, claims (PostGIS point columns when available).

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("path", sa.Text),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("body_start", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("bytes", sa.Integer, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reprocessed_at", sa.DateTime(timezone=True)),
        sa.Column("tracker_version", sa.String(32), nullable=False),
        sa.Column("data_build", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("previous_id", sa.String(32)),
        sa.Column("is_current", sa.Boolean, nullable=False),
        sa.Column("n_mentions", sa.Integer, nullable=False),
        sa.Column("n_claims", sa.Integer, nullable=False),
        sa.UniqueConstraint("url", "version", name="uq_articles_url_version"),
    )
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_table(
        "mentions",
        sa.Column("article_id", sa.String(32), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("start_offset", sa.Integer, nullable=False),
        sa.Column("end_offset", sa.Integer, nullable=False),
        sa.Column("surface", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("cue", sa.Text),
        sa.Column("occupation_name", sa.Boolean, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("geo_precision", sa.Integer),
        sa.Column("katottg", sa.String(19)),
        sa.Column("name", sa.Text),
        sa.Column("name_uk", sa.Text),
        sa.Column("category", sa.String(4)),
        sa.Column("place_kind", sa.String(16)),
        sa.Column("oblast", sa.Text),
        sa.Column("oblast_iso", sa.String(8)),
        sa.Column("raion", sa.Text),
        sa.Column("raion_code", sa.String(19)),
        sa.Column("hromada", sa.Text),
        sa.Column("hromada_code", sa.String(19)),
        sa.Column("country", sa.Text),
        sa.Column("lon", sa.Float),
        sa.Column("lat", sa.Float),
        sa.Column("frontline_date", sa.Date),
        sa.Column("frontline_snapshot", sa.Date),
        sa.Column("frontline_status", sa.String(16)),
        sa.Column("km_to_line", sa.Float),
        sa.Column("place", _JSON),
        sa.Column("alternatives", _JSON, nullable=False),
        sa.Column("evidence", _JSON, nullable=False),
        sa.Column("regions", _JSON),
        sa.Column("frontline", _JSON),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], ondelete="CASCADE", name="fk_mentions_article"
        ),
    )
    op.create_index("ix_mentions_katottg", "mentions", ["katottg"])
    op.create_index("ix_mentions_oblast", "mentions", ["oblast"])
    op.create_table(
        "claims",
        sa.Column("article_id", sa.String(32), primary_key=True),
        sa.Column("mention_seq", sa.Integer, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("katottg", sa.String(19)),
        sa.Column("place_name", sa.Text),
        sa.Column("oblast", sa.Text),
        sa.Column("lon", sa.Float),
        sa.Column("lat", sa.Float),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("claimant", sa.String(32), nullable=False),
        sa.Column("claimant_text", sa.Text),
        sa.Column("stance", sa.String(16), nullable=False),
        sa.Column("negated", sa.Boolean, nullable=False),
        sa.Column("quote", sa.Boolean, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("sentence_start", sa.Integer, nullable=False),
        sa.Column("sentence_end", sa.Integer, nullable=False),
        sa.Column("trigger", sa.Text, nullable=False),
        sa.Column("trigger_start", sa.Integer, nullable=False),
        sa.Column("trigger_end", sa.Integer, nullable=False),
        sa.Column("place_spans", _JSON, nullable=False),
        sa.Column("verdict", sa.String(24)),
        sa.Column("frontline_check", _JSON),
        sa.ForeignKeyConstraint(
            ["article_id", "mention_seq"],
            ["mentions.article_id", "mentions.seq"],
            ondelete="CASCADE",
            name="fk_claims_mention",
        ),
    )
    op.create_index("ix_claims_katottg", "claims", ["katottg"])

    from tracker.store.database import ensure_geometry

    ensure_geometry(op.get_bind())


def downgrade() -> None:
    op.drop_table("claims")
    op.drop_table("mentions")
    op.drop_table("articles")
