"""检查要点 of the inspection items (按标执法)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 02:00:00

Each 抽查事项 carries its checklist (text, legal basis, 判定标准, severity, 裁量基准) and its 核查方式.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.add_column("inspection_item", sa.Column("check_methods", S(length=128), nullable=False, server_default=""))
    op.create_table(
        "check_point",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("inspection_item.id"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("legal_basis", S(length=256), nullable=False),
        sa.Column("criterion", sa.Text(), nullable=False),
        sa.Column("severity", S(length=8), nullable=False),
        sa.Column("discretion_ref", S(length=256), nullable=True),
        sa.UniqueConstraint("item_id", "seq", name="uq_check_point_item_seq"),
    )
    op.create_index("ix_check_point_item_id", "check_point", ["item_id"])


def downgrade() -> None:
    op.drop_table("check_point")
    op.execute("ALTER TABLE inspection_item DROP COLUMN check_methods")  # in place: see 0010
