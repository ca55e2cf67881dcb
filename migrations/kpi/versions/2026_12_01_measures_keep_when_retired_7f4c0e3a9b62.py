"""measures keep when they were retired, as every record that can be retired does

Revision ID: 7f4c0e3a9b62
Revises: 9f3031bb3126
Create Date: 2026-12-01 11:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7f4c0e3a9b62"
down_revision: str | None = "9f3031bb3126"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("measures",)


def upgrade() -> None:
    for table in TABLES:
        op.add_column(
            table,
            sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
            schema="kpi",
        )
    # A measure no longer reported was retired already: its last change is when.
    op.execute("UPDATE kpi.measures SET retired_at = updated_at WHERE NOT active")


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "retired_at", schema="kpi")
