"""budget lines and savings lines can be retired: they leave the monitor and the tracker but
keep their history

Revision ID: 6e3b9d2f8a51
Revises: c7d2e5f81a36
Create Date: 2026-12-01 11:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6e3b9d2f8a51"
down_revision: str | None = "c7d2e5f81a36"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("budget_lines", "savings_lines")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(
            table,
            sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
            schema="finance",
        )


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "retired_at", schema="finance")
