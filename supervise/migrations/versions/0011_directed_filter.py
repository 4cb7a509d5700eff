"""定向抽查 filter

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 19:00:00

A 定向抽查 is a random draw within a filtered population (industries, regions); the filter is frozen with
the task and committed by the freeze digest (docs/draw-algorithm.md §10.8).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("task", sa.Column("filter_json", sa.Text(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE task DROP COLUMN filter_json")  # in place: see 0010
