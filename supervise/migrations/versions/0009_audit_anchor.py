"""audit anchor

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:00:00

The hash chain detects a changed or removed row in the middle, but not the newest rows deleted together.
Anchors record the chain's head and length when a report is archived, a draw is made and once a day; they
are also written to a file in the instance folder and printed in reports and on draw pages.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_anchor",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("head_id", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
    )
    op.create_index("ix_audit_anchor_head_id", "audit_anchor", ["head_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_anchor_head_id", table_name="audit_anchor")
    op.drop_table("audit_anchor")
