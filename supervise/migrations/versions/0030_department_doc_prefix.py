"""A department's 发文机关代字 for the 文号 of its papers (GB/T 9704)

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch copy of `department` would drop a table other tables' foreign keys point at
    op.add_column("department", sa.Column("doc_prefix", sa.String(16), nullable=True))


def downgrade() -> None:
    op.drop_column("department", "doc_prefix")
