"""行政处罚信息 as a public credit record

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 01:00:00

A penalty decision's publication, display period and early stop (提前停止公示); docs/credit.md.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "penalty_info",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("department.id"), nullable=False),
        sa.Column("decision_number", S(length=64), nullable=False, unique=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("kind", S(length=8), nullable=False),
        sa.Column("field", S(length=16), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("publish_due", sa.Date(), nullable=False),
        sa.Column("display_until", sa.Date(), nullable=False),
        sa.Column("state", S(length=16), nullable=False),
        sa.Column("recorded_by", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("stop_applied_on", sa.Date(), nullable=True),
        sa.Column("stop_by", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("stop_conditions", sa.Text(), nullable=True),
        sa.Column("stop_decided_on", sa.Date(), nullable=True),
        sa.Column("stop_decided_by", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("stop_note", sa.Text(), nullable=True),
    )
    op.create_index("ix_penalty_info_enterprise_id", "penalty_info", ["enterprise_id"])
    op.create_index("ix_penalty_info_state", "penalty_info", ["state"])


def downgrade() -> None:
    op.drop_table("penalty_info")
