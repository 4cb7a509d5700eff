"""投诉举报 from the 12345 platform (intake and deadlines)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_no", S(length=64), nullable=False, unique=True),
        sa.Column("received_at", T(), nullable=False),
        sa.Column("channel", S(length=16), nullable=False),
        sa.Column("category", S(length=4), nullable=False),
        sa.Column("uscc", S(length=18), nullable=True),
        sa.Column("firm_name", S(length=128), nullable=False),
        sa.Column("firm_address", S(length=256), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("complainant_name", S(length=64), nullable=False),
        sa.Column("complainant_phone", S(length=32), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("source", S(length=8), nullable=False),
        sa.Column("state", S(length=16), nullable=False),
        sa.Column("sign_due", sa.Date(), nullable=False),
        sa.Column("accept_due", sa.Date(), nullable=True),
        sa.Column("verify_due", sa.Date(), nullable=True),
        sa.Column("close_due", sa.Date(), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("created_by", S(length=64), nullable=False),
    )
    for column in ("category", "uscc", "enterprise_id", "state"):
        op.create_index(f"ix_complaint_{column}", "complaint", [column])


def downgrade() -> None:
    op.drop_table("complaint")
