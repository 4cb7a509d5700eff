"""后续处置 and 行政处罚案件 (the enforcement loop)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 14:00:00

Every finding of a visit is followed to closure: 无需处置, 责令改正 with its 复查, 移送 to a 行政处罚案件, 抄告 to
another department with its acknowledgement, or 列入经营异常名录.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "disposal",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", S(length=32), nullable=False, unique=True),
        sa.Column("result_id", sa.Integer(), sa.ForeignKey("inspection_result.id"), nullable=False),
        sa.Column("target_id", sa.Integer(), sa.ForeignKey("draw_target.id"), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("department.id"), nullable=False),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("inspector.id"), nullable=True),
        sa.Column("kind", S(length=16), nullable=False),
        sa.Column("status", S(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("legal_basis", S(length=256), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("created_by", S(length=64), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("closed_at", T(), nullable=True),
        sa.Column("closed_by", S(length=64), nullable=True),
        sa.Column("close_note", sa.Text(), nullable=True),
        sa.Column("notice_number", S(length=64), nullable=True, unique=True),
        sa.Column("notice_on", sa.Date(), nullable=True),
        sa.Column("recheck_start", sa.Date(), nullable=True),
        sa.Column("recheck_end", sa.Date(), nullable=True),
        sa.Column("recheck_on", sa.Date(), nullable=True),
        sa.Column("recheck_outcome", S(length=8), nullable=True),
        sa.Column("recheck_by", sa.Integer(), nullable=True),
        sa.Column("refer_department_id", sa.Integer(), nullable=True),
        sa.Column("acked_at", T(), nullable=True),
        sa.Column("acked_by", S(length=64), nullable=True),
        sa.Column("ack_note", sa.Text(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("escalated_to", sa.Integer(), nullable=True),
    )
    for column in ("result_id", "target_id", "enterprise_id", "department_id", "kind", "status", "due"):
        op.create_index(f"ix_disposal_{column}", "disposal", [column])
    op.create_index("ix_disposal_refer_department_id", "disposal", ["refer_department_id"])
    op.create_table(
        "enforcement_case",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("disposal_id", sa.Integer(), sa.ForeignKey("disposal.id"), nullable=False, unique=True),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("department.id"), nullable=False),
        sa.Column("status", S(length=16), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("filing_due", sa.Date(), nullable=False),
        sa.Column("points", sa.Text(), nullable=False),
        sa.Column("case_number", S(length=64), nullable=True, unique=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("not_filed_reason", sa.Text(), nullable=True),
        sa.Column("decision_number", S(length=64), nullable=True, unique=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("penalty_kind", S(length=16), nullable=True),
        sa.Column("penalty_content", sa.Text(), nullable=True),
        sa.Column("amount", S(length=32), nullable=True),
        sa.Column("heavy", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("served_on", sa.Date(), nullable=True),
        sa.Column("fulfilled_on", sa.Date(), nullable=True),
        sa.Column("penalty_id", sa.Integer(), nullable=True),
        sa.Column("entry_id", sa.Integer(), nullable=True),
    )
    for column in ("enterprise_id", "department_id", "status"):
        op.create_index(f"ix_enforcement_case_{column}", "enforcement_case", [column])


def downgrade() -> None:
    op.drop_table("enforcement_case")
    op.drop_table("disposal")
