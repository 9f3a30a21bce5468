"""Alembic environment: always run with a connection handed in by db.migrate."""

from __future__ import annotations

from alembic import context

import db.models  # noqa: F401 - registers every table on Base.metadata
from db.base import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the CLI of alembic itself, for developers
    from sqlalchemy import create_engine

    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///dev.sqlite3")
    connection = engine.connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: batch mode copies the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
