"""draw outcome counts

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 20:00:00

Draw listings showed how many firms each draw selected by parsing its record, several megabytes for a
provincial draw, on every listing. The counts are now stored with the draw; existing draws are filled in
from their records.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE on both backends: SQLite's batch mode would copy and drop the draw table, which its
    # draw targets reference.
    op.add_column("draw", sa.Column("selected_count", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("draw", sa.Column("unstaffed_count", sa.Integer(), nullable=False, server_default="0"))
    bind = op.get_bind()
    draws = sa.table(
        "draw",
        sa.column("id", sa.Integer()),
        sa.column("record", sa.Text()),
        sa.column("selected_count", sa.Integer()),
        sa.column("unstaffed_count", sa.Integer()),
    )
    for draw_id in bind.execute(sa.select(draws.c.id)).scalars().all():  # one record in memory at a time
        record = bind.execute(sa.select(draws.c.record).where(draws.c.id == draw_id)).scalar_one()
        outcome = json.loads(record)["outcome"]
        bind.execute(
            draws.update()
            .where(draws.c.id == draw_id)
            .values(selected_count=len(outcome["selected"]), unstaffed_count=len(outcome["unstaffed"]))
        )


def downgrade() -> None:
    op.drop_column("draw", "unstaffed_count")  # SQLite 3.35+ drops a column in place
    op.drop_column("draw", "selected_count")
