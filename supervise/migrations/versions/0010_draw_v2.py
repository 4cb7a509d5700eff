"""draw algorithm v2

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 18:00:00

Version 2 of the draw commits every input at the freeze (docs/draw-algorithm.md §10): the task keeps its
freeze (salt, committed task, published freeze object, recusals and exclusions) and its assignment mode
(属地 or 所所交叉); an inspector's post township decides 所所交叉.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN on both backends: a batch rebuild of these tables would have to drop tables that
    # others reference, and SQLite cannot add a foreign key to an existing table (the code is checked on import).
    op.add_column(
        "task",
        sa.Column(
            "assignment", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default="territorial"
        ),
    )
    op.add_column("task", sa.Column("freeze_json", sa.Text(), nullable=True))
    op.add_column(
        "inspector",
        sa.Column("office_township_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
    )


def downgrade() -> None:
    # DROP COLUMN in place (SQLite 3.35 and later): rebuilding the tables would break references to them.
    for table, column in (("inspector", "office_township_code"), ("task", "freeze_json"), ("task", "assignment")):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
