"""投诉举报 workflow: routing, 签收, 受理, 核查 (a directed visit), 办结 and 答复

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime
COLUMNS = (
    ("department_id", sa.Integer()),
    ("route_rule", S(length=128)),
    ("route_reason", S(length=256)),
    ("handler_id", sa.Integer()),
    ("signed_at", T()),
    ("accepted_at", T()),
    ("accept_decision", S(length=8)),
    ("reject_reason", sa.Text()),
    ("check_start", sa.Date()),
    ("check_end", sa.Date()),
    ("verified_on", sa.Date()),
    ("finding", S(length=8)),
    ("finding_note", sa.Text()),
    ("points_json", sa.Text()),
    ("case_decision", S(length=8)),
    ("case_number", S(length=64)),
    ("closed_at", T()),
    ("close_note", sa.Text()),
    ("replied_at", T()),
    ("reply_channel", S(length=16)),
    ("reply_text", sa.Text()),
)


def upgrade() -> None:
    with op.batch_alter_table("complaint") as batch_op:
        for name, type_ in COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.add_column(sa.Column("check_team", S(length=256), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("check_items", S(length=256), nullable=False, server_default=""))
        batch_op.create_foreign_key("fk_complaint_department", "department", ["department_id"], ["id"])
        batch_op.create_foreign_key("fk_complaint_handler", "user", ["handler_id"], ["id"])
        batch_op.create_index("ix_complaint_department_id", ["department_id"])
        batch_op.create_index("ix_complaint_handler_id", ["handler_id"])


def downgrade() -> None:
    with op.batch_alter_table("complaint") as batch_op:
        batch_op.drop_constraint("fk_complaint_handler", type_="foreignkey")
        batch_op.drop_constraint("fk_complaint_department", type_="foreignkey")
        batch_op.drop_index("ix_complaint_handler_id")
        batch_op.drop_index("ix_complaint_department_id")
        for name in ("check_team", "check_items", *(n for n, _ in reversed(COLUMNS))):
            batch_op.drop_column(name)
