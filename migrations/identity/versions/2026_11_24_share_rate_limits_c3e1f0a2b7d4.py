"""share rate limits between gateway processes

Revision ID: c3e1f0a2b7d4
Revises: aab171797601
Create Date: 2026-11-24 14:45:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3e1f0a2b7d4"
down_revision: str | None = "aab171797601"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # UNLOGGED: counters a minute old are worthless, so they need no crash safety or replicas.
    # Fill factor 70 leaves room on each page for the row's next version (HOT updates).
    op.create_table(
        "rate_limit_counters",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("window_start", sa.BigInteger(), nullable=False),
        sa.Column("current_count", sa.Integer(), nullable=False),
        sa.Column("previous_count", sa.Integer(), nullable=False),
        sa.Column("allowed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit_counters")),
        schema="identity",
        prefixes=["UNLOGGED"],
        postgresql_with={"fillfactor": "70"},
    )


def downgrade() -> None:
    op.drop_table("rate_limit_counters", schema="identity")
