"""督查 to the letter of 政府督查工作条例: the government's approval of a 通报 and a 追责建议, and the 复核

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("oversight_notice") as batch_op:
        batch_op.add_column(sa.Column("department_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("approved_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("approved_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("approval_ref", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("revoked_on", sa.Date(), nullable=True))
        batch_op.create_foreign_key("fk_oversight_notice_department", "department", ["department_id"], ["id"])
        batch_op.create_index("ix_oversight_notice_department_id", ["department_id"])
    with op.batch_alter_table("rectification") as batch_op:
        batch_op.add_column(sa.Column("accountability_approved_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("accountability_approved_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("accountability_approval_ref", sa.String(length=64), nullable=True))
    # A 通报 issued before: its answering department is the one its 整改通知 went to, or the unit itself.
    op.execute(
        "UPDATE oversight_notice SET department_id = COALESCE("
        "(SELECT r.department_id FROM rectification r WHERE r.notice_id = oversight_notice.id LIMIT 1),"
        "(SELECT d.id FROM department d WHERE d.code = oversight_notice.unit_code))"
    )
    op.create_table(
        "oversight_review",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("notice_id", sa.Integer(), sa.ForeignKey("oversight_notice.id"), nullable=False, unique=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("decision_due", sa.Date(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=8), nullable=True),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("oversight_review")
    with op.batch_alter_table("rectification") as batch_op:
        for name in ("accountability_approval_ref", "accountability_approved_on", "accountability_approved_by"):
            batch_op.drop_column(name)
    with op.batch_alter_table("oversight_notice") as batch_op:
        batch_op.drop_index("ix_oversight_notice_department_id")
        batch_op.drop_constraint("fk_oversight_notice_department", type_="foreignkey")
        for name in ("revoked_on", "approval_ref", "approved_on", "approved_by", "department_id"):
            batch_op.drop_column(name)
