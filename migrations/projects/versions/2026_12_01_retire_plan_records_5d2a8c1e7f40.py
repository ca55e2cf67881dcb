"""priorities, objectives, improvement actions and projects can be retired: they leave lists
and trackers but keep their history

Revision ID: 5d2a8c1e7f40
Revises: 64f540b59639
Create Date: 2026-12-01 11:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d2a8c1e7f40"
down_revision: str | None = "64f540b59639"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("priorities", "objectives", "improvement_actions", "projects")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(
            table,
            sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
            schema="projects",
        )


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "retired_at", schema="projects")
