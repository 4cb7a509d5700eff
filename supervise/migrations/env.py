"""Alembic environment: migrations run on the engine handed over by supervise.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import credit.models  # noqa: F401 - registers the tables on SQLModel.metadata
import credit.risk.models  # noqa: F401
import inspections.complaints.models  # noqa: F401
import inspections.disposals.models  # noqa: F401
import inspections.models  # noqa: F401
import reports.models  # noqa: F401
import reports.oversight.models  # noqa: F401
import scheduling.models  # noqa: F401
import supervise.models  # noqa: F401

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # SQLite needs batch ALTERs
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
