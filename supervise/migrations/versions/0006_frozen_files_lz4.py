"""frozen population and inspector files compressed with lz4 on PostgreSQL

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 16:20:00

A provincial draw freezes and publishes an ~80 MB population.txt. PostgreSQL's default TOAST
compression (pglz) takes about a second to store it; lz4 about a third of that and decompresses
faster for downloads. Servers built without lz4 (or SQLite) keep their default.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    ("task", "population_text"),
    ("task", "inspectors_text"),
    ("draw", "population_text"),
    ("draw", "inspectors_text"),
]


def _lz4_available() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    found = bind.execute(
        sa.text("SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)")
    ).first()
    return found is not None


def _set(method: str) -> None:
    for table, column in COLUMNS:
        op.execute(f'ALTER TABLE "{table}" ALTER COLUMN {column} SET COMPRESSION {method}')


def upgrade() -> None:
    if _lz4_available():
        _set("lz4")


def downgrade() -> None:
    if _lz4_available():
        _set("pglz")
