"""keep reconciliation flags: imported stated totals that did not add up

Revision ID: 5b2e9c1d7a40
Revises: b3f1c9a2d7e4
Create Date: 2026-12-01 08:45:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "5b2e9c1d7a40"
down_revision: str | None = "b3f1c9a2d7e4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reconciliation_flags",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tracker", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("sheet", sa.Text(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("stated", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("lines", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("explained_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("explained_by", sa.String(length=200), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reconciliation_flags")),
        schema="finance",
    )
    op.create_index(
        op.f("ix_finance_reconciliation_flags_org_id"),
        "reconciliation_flags",
        ["org_id"],
        unique=False,
        schema="finance",
    )
    op.create_index(
        op.f("ix_finance_reconciliation_flags_tracker"),
        "reconciliation_flags",
        ["tracker"],
        unique=False,
        schema="finance",
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_finance_reconciliation_flags_tracker"),
        table_name="reconciliation_flags",
        schema="finance",
    )
    op.drop_index(
        op.f("ix_finance_reconciliation_flags_org_id"),
        table_name="reconciliation_flags",
        schema="finance",
    )
    op.drop_table("reconciliation_flags", schema="finance")
