"""The 行政处罚 procedure between 立案 and the decision: 告知, 陈述申辩, 听证, 法制审核, the 90-day clock

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 08:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STRINGS = (
    ("not_filed_ground", 16), ("inform_number", 64), ("proposed_kind", 16), ("proposed_amount", 32),
    ("no_penalty_ground", 16),
)  # fmt: skip
DATES = ("decision_due", "informed_on", "hearing_request_due", "service_due")
FLAGS = ("hearing_applies", "listing_notified", "complex_case")


def upgrade() -> None:
    with op.batch_alter_table("enforcement_case") as batch_op:
        for name, size in STRINGS:
            batch_op.add_column(sa.Column(name, sa.String(length=size), nullable=True))
        for name in DATES:
            batch_op.add_column(sa.Column(name, sa.Date(), nullable=True))
        for name in FLAGS:
            batch_op.add_column(sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("extension_days", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_unique_constraint("uq_enforcement_case_inform_number", ["inform_number"])
    op.create_table(
        "case_step",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("enforcement_case.id"), nullable=False, index=True),
        sa.Column("step", sa.String(length=24), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.UniqueConstraint("case_id", "step", "seq"),
    )
    op.create_table(
        "lenient_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_number", sa.String(length=64), nullable=False, index=True),
        sa.Column("issuer", sa.String(length=128), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("violation", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("imported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("lenient_item")
    op.drop_table("case_step")
    with op.batch_alter_table("enforcement_case") as batch_op:
        batch_op.drop_constraint("uq_enforcement_case_inform_number", type_="unique")
        for name in ("extension_days", *FLAGS, *DATES, *(n for n, _ in STRINGS)):
            batch_op.drop_column(name)
