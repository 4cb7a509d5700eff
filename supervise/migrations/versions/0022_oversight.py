"""督查 follow-up: 督查通报, 整改通知 and 整改报告, four-eyes decisions, 约谈 and 追责建议

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime


def _unit() -> list[sa.Column]:
    return [
        sa.Column("region_code", S(length=12), sa.ForeignKey("region.code"), nullable=False),
        sa.Column("period", S(length=8), nullable=False),
        sa.Column("unit_kind", S(length=12), nullable=False),
        sa.Column("unit_code", S(length=32), nullable=False),
        sa.Column("unit_name", S(length=64), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "oversight_notice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", S(length=32), nullable=False, unique=True),
        *_unit(),
        sa.Column("main_to", S(length=256), nullable=False),
        sa.Column("copy_to", S(length=512), nullable=False),
        sa.Column("reasons_json", sa.Text(), nullable=False),
        sa.Column("requirement", sa.Text(), nullable=False),
        sa.Column("issuer", S(length=64), nullable=False),
        sa.Column("issued_at", T(), nullable=False),
        sa.Column("proposed_by", S(length=64), nullable=False),
        sa.Column("confirmed_by", S(length=64), nullable=False),
    )
    op.create_table(
        "rectification",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", S(length=32), nullable=False, unique=True),
        sa.Column("notice_id", sa.Integer(), sa.ForeignKey("oversight_notice.id"), nullable=True),
        *_unit(),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("department.id"), nullable=False),
        sa.Column("reasons_json", sa.Text(), nullable=False),
        sa.Column("requirement", sa.Text(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", S(length=12), nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("interview_on", sa.Date(), nullable=True),
        sa.Column("interview_participants", S(length=512), nullable=True),
        sa.Column("interview_minutes", sa.Text(), nullable=True),
        sa.Column("interview_due", sa.Date(), nullable=True),
        sa.Column("accountability_on", sa.Date(), nullable=True),
        sa.Column("accountability_to", S(length=16), nullable=True),
        sa.Column("accountability_text", sa.Text(), nullable=True),
        sa.Column("recheck_json", sa.Text(), nullable=True),
        sa.Column("created_by", S(length=64), nullable=False),
    )
    op.create_table(
        "rectification_report",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("rectification_id", sa.Integer(), sa.ForeignKey("rectification.id"), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachments_json", sa.Text(), nullable=False),
        sa.Column("submitted_at", T(), nullable=False),
        sa.Column("submitted_by", S(length=64), nullable=False),
        sa.Column("outcome", S(length=8), nullable=True),
        sa.Column("outcome_reason", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
    )
    op.create_table(
        "oversight_decision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", S(length=16), nullable=False),
        sa.Column("rectification_id", sa.Integer(), sa.ForeignKey("rectification.id"), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("state", S(length=12), nullable=False),
        sa.Column("proposed_by", sa.Integer(), sa.ForeignKey("user.id"), nullable=False),
        sa.Column("proposed_at", T(), nullable=False),
        sa.Column("confirmed_by", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("confirmed_at", T(), nullable=True),
        sa.Column("result", S(length=32), nullable=True),
    )
    for table, columns in (
        ("oversight_notice", ("region_code", "period", "unit_code")),
        ("rectification", ("region_code", "period", "unit_code", "department_id", "due", "status")),
        ("rectification_report", ("rectification_id",)),
        ("oversight_decision", ("kind", "rectification_id", "state")),
    ):
        for column in columns:
            op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table in ("oversight_decision", "rectification_report", "rectification", "oversight_notice"):
        op.drop_table(table)
