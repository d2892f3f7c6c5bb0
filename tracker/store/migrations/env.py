"""Alembic environment of the article store: runs on the connection the tracker passes in.

The tracker calls Alembic itself (:func:`tracker.store.database.upgrade`, ``tracker db
upgrade``) with ``config.attributes["connection"]`` set to an open connection inside a
transaction, so that a migration and the check of the current revision are one transaction
(two processes never migrate at once: SQLite takes the write lock with ``BEGIN IMMEDIATE``,
PostgreSQL an advisory lock).
"""

from __future__ import annotations

from alembic import context

from tracker.store.schema import metadata


def run() -> None:
    """Run the migrations on the connection the tracker passed in."""
    connection = context.config.attributes.get("connection")
    if connection is None:  # pragma: no cover - the tracker always passes one
        raise RuntimeError(
            "the article store's migrations run through the tracker: use `tracker db upgrade`"
        )
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):  # run by Alembic (not imported by a doctest collector)
    run()
