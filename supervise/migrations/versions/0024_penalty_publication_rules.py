"""行政处罚信息 to the letter of 总局令第45号: restrictions that lengthen the display, withdrawal, the 送达 notice

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("penalty_info") as batch_op:
        batch_op.add_column(sa.Column("restricted_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("withdraw_due", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("withdraw_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_penalty_info_withdrawn_by", "user", ["withdrawn_by"], ["id"])
    with op.batch_alter_table("enforcement_case") as batch_op:
        batch_op.add_column(sa.Column("publication_notified", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("enforcement_case") as batch_op:
        batch_op.drop_column("publication_notified")
    with op.batch_alter_table("penalty_info") as batch_op:
        batch_op.drop_constraint("fk_penalty_info_withdrawn_by", type_="foreignkey")
        for name in ("withdrawn_by", "withdraw_reason", "withdraw_due", "withdrawn_on", "restricted_until"):
            batch_op.drop_column(name)
