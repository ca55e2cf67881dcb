"""allow self-approval

Revision ID: 9a3f6c2e1d47
Revises: b41d7e2a9c58
Create Date: 2026-12-01 08:20:00.000000+00:00

A council setting: one-person teams may approve the KPI figures they submitted (off by default).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9a3f6c2e1d47"
down_revision: str | None = "b41d7e2a9c58"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "organisations",
        sa.Column("allow_self_approval", sa.Boolean(), server_default="false", nullable=False),
        schema="identity",
    )


def downgrade() -> None:
    op.drop_column("organisations", "allow_self_approval", schema="identity")
