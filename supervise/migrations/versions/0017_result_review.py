"""Results recorded against the checklists, by department, and reviewed before publication

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 10:00:00

Each department of a visit records its part and every 检查要点 (谁检查、谁录入); a teammate confirms each part;
the lead department's 审核人员 returns the result with a reason or publishes it. The publication deadline
counts from the inspection date, and recording has its own deadline (late recording is flagged).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime
NEW = (
    sa.Column("record_due", sa.Date(), nullable=True),
    sa.Column("recorded_late", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("reviewed_by", sa.Integer(), nullable=True),
    sa.Column("reviewed_at", T(), nullable=True),
    sa.Column("returned", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("returned_by", sa.Integer(), nullable=True),
    sa.Column("returned_at", T(), nullable=True),
    sa.Column("return_reason", sa.Text(), nullable=True),
)


def upgrade() -> None:
    for column in NEW:
        op.add_column("inspection_result", column)
    op.create_table(
        "result_part",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("result_id", sa.Integer(), sa.ForeignKey("inspection_result.id"), nullable=False),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("department.id"), nullable=False),
        sa.Column("category", S(length=32), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), sa.ForeignKey("inspector.id"), nullable=False),
        sa.Column("recorded_at", T(), nullable=False),
        sa.Column("confirmed_by", sa.Integer(), sa.ForeignKey("inspector.id"), nullable=True),
        sa.Column("confirmed_at", T(), nullable=True),
        sa.UniqueConstraint("result_id", "department_id"),
    )
    op.create_index("ix_result_part_result_id", "result_part", ["result_id"])
    op.create_table(
        "point_result",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("result_id", sa.Integer(), sa.ForeignKey("inspection_result.id"), nullable=False),
        sa.Column("point_id", sa.Integer(), sa.ForeignKey("check_point.id"), nullable=False),
        sa.Column("outcome", S(length=8), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.UniqueConstraint("result_id", "point_id"),
    )
    op.create_index("ix_point_result_result_id", "point_result", ["result_id"])
    # A result recorded before parts existed is one part of the task's lead department, as recorded.
    op.execute(
        "INSERT INTO result_part (result_id, department_id, category, findings, recorded_by, recorded_at,"
        " confirmed_by, confirmed_at)"
        " SELECT r.id, p.department_id, r.category, r.findings, r.recorded_by, r.recorded_at, r.confirmed_by,"
        " r.confirmed_at FROM inspection_result r JOIN draw_target t ON t.id = r.target_id"
        " JOIN task k ON k.id = t.task_id JOIN plan p ON p.id = k.plan_id"
    )


def downgrade() -> None:
    op.drop_table("point_result")
    op.drop_table("result_part")
    for column in reversed(NEW):
        op.execute(f"ALTER TABLE inspection_result DROP COLUMN {column.name}")  # in place: see 0010
