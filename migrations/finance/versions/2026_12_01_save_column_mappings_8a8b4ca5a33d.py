"""save column mappings: a council's answer to "we read your columns as…", per import

Revision ID: 8a8b4ca5a33d
Revises: b41c7e2d9a05
Create Date: 2026-12-01 11:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "8a8b4ca5a33d"
down_revision: str | None = "b41c7e2d9a05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saved_mappings",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("headings_key", sa.String(length=64), nullable=False),
        sa.Column("headings", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("mapping", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("saved_by", sa.String(length=200), nullable=False),
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
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_saved_mappings")),
        sa.UniqueConstraint(
            "org_id",
            "kind",
            "headings_key",
            name=op.f("uq_saved_mappings_org_id_kind_headings_key"),
        ),
        schema="finance",
    )


def downgrade() -> None:
    op.drop_table("saved_mappings", schema="finance")
