"""Online objection and repair applications

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 23:00:00

Firms file 异议 and 信用修复 applications online; an officer registers each into the entry's due process (docs/credit.md).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "credit_application",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(20), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("list_entry.id"), nullable=False, index=True),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("contact_name", sa.String(64), nullable=False),
        sa.Column("contact_phone", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("commitment", sa.Boolean(), nullable=False),
        sa.Column("attachments", sa.Text(), nullable=False),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("register_due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("handled_by", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("handled_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("credit_application")
