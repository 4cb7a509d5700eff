"""A 投诉举报's 核查 follows the disposal paths: a disposal carries either a visit's result or its 工单

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("disposal") as batch_op:
        batch_op.alter_column("result_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("target_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("complaint_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_disposal_complaint", "complaint", ["complaint_id"], ["id"])
        batch_op.create_index("ix_disposal_complaint_id", ["complaint_id"])


def downgrade() -> None:
    with op.batch_alter_table("disposal") as batch_op:
        batch_op.drop_index("ix_disposal_complaint_id")
        batch_op.drop_constraint("fk_disposal_complaint", type_="foreignkey")
        batch_op.drop_column("complaint_id")
        batch_op.alter_column("target_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("result_id", existing_type=sa.Integer(), nullable=False)
