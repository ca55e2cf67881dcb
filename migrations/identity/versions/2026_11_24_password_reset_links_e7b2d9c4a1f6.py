"""password reset links

Revision ID: e7b2d9c4a1f6
Revises: 5d2e8c41f9a3
Create Date: 2026-11-24 15:25:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e7b2d9c4a1f6"
down_revision: str | None = "5d2e8c41f9a3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_password_resets_token_digest")),
        schema="identity",
    )
    op.create_index(
        op.f("ix_identity_password_resets_org_id"),
        "password_resets",
        ["org_id"],
        unique=False,
        schema="identity",
    )
    op.create_index(
        op.f("ix_identity_password_resets_user_id"),
        "password_resets",
        ["user_id"],
        unique=False,
        schema="identity",
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_identity_password_resets_user_id"), table_name="password_resets", schema="identity"
    )
    op.drop_index(
        op.f("ix_identity_password_resets_org_id"), table_name="password_resets", schema="identity"
    )
    op.drop_table("password_resets", schema="identity")
