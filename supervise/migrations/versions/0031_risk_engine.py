"""The risk engine: fitted models (content-addressed), scoring runs, each firm's latest score, past inspections

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-06 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "risk_model",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("history_from", sa.Date(), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("features", sa.Text(), nullable=False),
        sa.Column("validation", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "risk_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("model_sha256", sa.String(64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("job_id", sa.String(64), nullable=True),
        sa.Column("scored", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("started_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_risk_run_model_sha256", "risk_run", ["model_sha256"])
    op.create_table(
        "risk_score",
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), primary_key=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("score_tier", sa.String(1), nullable=False),
        sa.Column("tier", sa.String(1), nullable=False),
        sa.Column("floor", sa.String(64), nullable=True),
        sa.Column("model_sha256", sa.String(64), nullable=False),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("risk_run.id"), nullable=False),
        sa.Column("scored_on", sa.Date(), nullable=False),
    )
    op.create_index("ix_risk_score_tier", "risk_score", ["tier"])
    op.create_index("ix_risk_score_run_id", "risk_score", ["run_id"])
    op.create_table(
        "past_inspection",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprise.id"), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("inspector_badge", sa.String(32), nullable=True),
        sa.Column("found", sa.Boolean(), nullable=False),
        sa.Column("critical_count", sa.Integer(), nullable=False),
        sa.Column("serious_count", sa.Integer(), nullable=False),
        sa.Column("minor_count", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("imported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index("ix_past_inspection_enterprise_id", "past_inspection", ["enterprise_id"])
    op.create_index("ix_past_inspection_inspected_on", "past_inspection", ["inspected_on"])


def downgrade() -> None:
    op.drop_table("past_inspection")
    op.drop_table("risk_score")
    op.drop_table("risk_run")
    op.drop_table("risk_model")
