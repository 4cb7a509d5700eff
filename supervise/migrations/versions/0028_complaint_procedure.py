"""投诉举报 to the letter of 总局令第20号: statutory routing, 不予受理 grounds, 调解, the 实名 reporter's notice,
split and 线索 工单

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT = (
    ("trade", 16), ("act_region", 6), ("other_region", 6), ("parent_ticket", 64), ("origin", 8),
    ("complainant_address", 256), ("reject_ground", 2), ("notice_channel", 16), ("mediation_state", 12),
    ("suspend_reason", 8), ("mediation_ground", 2), ("mediation_paper", 16),
)  # fmt: skip
NOT_NULL = {"trade", "origin", "complainant_address", "mediation_state"}
DATES = (
    "case_decided_on", "notice_due", "noticed_on", "mediation_due", "suspended_on", "mediation_ended_on",
    "end_notice_due", "end_noticed_on",
)  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table("complaint") as batch_op:
        for name, size in TEXT:
            if name in NOT_NULL:
                batch_op.add_column(sa.Column(name, sa.String(size), nullable=False, server_default=""))
            else:
                batch_op.add_column(sa.Column(name, sa.String(size), nullable=True))
        for name in DATES:
            batch_op.add_column(sa.Column(name, sa.Date(), nullable=True))
        batch_op.create_index("ix_complaint_parent_ticket", ["parent_ticket"])


def downgrade() -> None:
    with op.batch_alter_table("complaint") as batch_op:
        batch_op.drop_index("ix_complaint_parent_ticket")
        for name in (*DATES, *(n for n, _ in reversed(TEXT))):
            batch_op.drop_column(name)
