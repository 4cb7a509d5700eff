"""Credit rules to the letter of the law

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 22:00:00

List entries carry their ground, the 责令 step, the penalty decision, 上一级 approval, the objection's
acceptance, the repair application's conditions and a 行政复议/诉讼 record; measures may depend on the
ground (docs/credit.md); a licence records the check it followed, or that it followed none.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENTRY_COLUMNS = (
    ("ground", sa.String(32)),
    ("notified_by", sa.Integer()),
    ("statement", sa.Text()),
    ("order_number", sa.String(64)),
    ("order_due", sa.Date()),
    ("penalty_number", sa.String(64)),
    ("penalty_on", sa.Date()),
    ("penalty_field", sa.String(16)),
    ("higher_approved_by", sa.Integer()),
    ("higher_approved_on", sa.Date()),
    ("objection_by", sa.Integer()),
    ("objection_accept_due", sa.Date()),
    ("objection_accepted_on", sa.Date()),
    ("repair_by", sa.Integer()),
    ("repair_due", sa.Date()),
    ("repair_conditions", sa.Text()),
    ("review_kind", sa.String(8)),
    ("review_filed_on", sa.Date()),
    ("review_result", sa.String(256)),
)


def upgrade() -> None:
    # Plain columns without foreign keys: SQLite cannot add a constraint in place (see 0010).
    for name, kind in ENTRY_COLUMNS:
        op.add_column("list_entry", sa.Column(name, kind, nullable=True))
    op.add_column(
        "list_entry",
        sa.Column("higher_approval_required", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("license", sa.Column("check_id", sa.String(32), nullable=True))
    op.add_column("license", sa.Column("unchecked", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("sanction_measure", sa.Column("ground", sa.String(32), nullable=True))
    op.add_column("sanction_measure", sa.Column("field", sa.String(16), nullable=True))


def downgrade() -> None:
    for name in ("ground", "field"):
        op.execute(f"ALTER TABLE sanction_measure DROP COLUMN {name}")  # in place: see 0010
    for name in ("check_id", "unchecked"):
        op.execute(f"ALTER TABLE license DROP COLUMN {name}")
    for name, _kind in (*ENTRY_COLUMNS, ("higher_approval_required", None)):
        op.execute(f"ALTER TABLE list_entry DROP COLUMN {name}")
