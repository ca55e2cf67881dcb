"""a project names its senior responsible owner (SRO)

Revision ID: 8a1d4f6b2c73
Revises: 5d2a8c1e7f40
Create Date: 2026-12-01 11:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8a1d4f6b2c73"
down_revision: str | None = "5d2a8c1e7f40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "projects",
        sa.Column("sro", sa.String(200), nullable=False, server_default=""),
        schema="projects",
    )


def downgrade() -> None:
    op.drop_column("projects", "sro", schema="projects")
