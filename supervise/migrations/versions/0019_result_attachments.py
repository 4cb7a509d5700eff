"""Attachments of a visit's result (photos, documents), per result or per 检查要点

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "result_attachment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("result_id", sa.Integer(), sa.ForeignKey("inspection_result.id"), nullable=False),
        sa.Column("point_id", sa.Integer(), sa.ForeignKey("check_point.id"), nullable=True),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("department.id"), nullable=False),
        sa.Column("sha256", S(length=64), nullable=False),
        sa.Column("name", S(length=128), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content_type", S(length=32), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), sa.ForeignKey("inspector.id"), nullable=False),
        sa.Column("uploaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index("ix_result_attachment_result_id", "result_attachment", ["result_id"])


def downgrade() -> None:
    op.drop_table("result_attachment")
