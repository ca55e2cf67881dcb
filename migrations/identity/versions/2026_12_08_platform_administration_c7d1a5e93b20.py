"""platform administration

Revision ID: c7d1a5e93b20
Revises: 9a3f6c2e1d47
Create Date: 2026-12-08 09:00:00.000000+00:00

A council can be disabled by a platform administrator (its records stay); each person's last
sign-in is kept, for the councils' usage. Platform administrators themselves are users of no
council (org_id all zeros), so they need no table of their own.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c7d1a5e93b20"
down_revision: str | None = "9a3f6c2e1d47"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "organisations",
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        schema="identity",
    )
    op.add_column(
        "users",
        sa.Column("last_signed_in_at", sa.DateTime(timezone=True), nullable=True),
        schema="identity",
    )


def downgrade() -> None:
    op.drop_column("users", "last_signed_in_at", schema="identity")
    op.drop_column("organisations", "disabled_at", schema="identity")
