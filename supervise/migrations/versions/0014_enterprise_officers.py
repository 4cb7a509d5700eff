"""Officers of market entities (任职限制)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 00:00:00

The 董事, 监事 and 高级管理人员 of an entity, so that a registration or a change of officers can be checked
against the persons the law bars (docs/credit.md, 任职限制).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "enterprise_officer",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("id_number", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
    )
    op.create_index("ix_enterprise_officer_enterprise_id", "enterprise_officer", ["enterprise_id"])
    op.create_index("ix_enterprise_officer_id_number", "enterprise_officer", ["id_number"])


def downgrade() -> None:
    op.drop_table("enterprise_officer")
