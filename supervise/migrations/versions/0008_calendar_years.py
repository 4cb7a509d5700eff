"""calendar years

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:30:00

A year's holidays come from the State Council's notice; chinesecalendar covers only years already
announced. calendar_year records which years an administrator entered and whether the entry is complete:
only a complete year is official, and deadlines that fall in any other year are provisional.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_year",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("notice", sa.String(length=128), nullable=False, server_default=""),
        sa.Column("complete", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_table("calendar_year")
