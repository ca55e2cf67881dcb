"""council deadlines and reminders

Revision ID: c7d1e5a9b230
Revises: c7d1a5e93b20
Create Date: 2026-12-01 09:00:00.000000+00:00

Each council's deadlines (due dates, period close, reminder lead time); a person's choice to get
no reminders; and one row per reminder sent, unique per person, item and day, so a second run (or
a second replica) sends nothing again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "c7d1e5a9b230"
down_revision: str | None = "c7d1a5e93b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "organisations",
        sa.Column("deadlines", postgresql.JSONB(), server_default="{}", nullable=False),
        schema="identity",
    )
    op.add_column(
        "users",
        sa.Column("reminders_off", sa.Boolean(), server_default="false", nullable=False),
        schema="identity",
    )
    op.create_table(
        "reminders_sent",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("item", sa.String(length=300), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders_sent")),
        sa.UniqueConstraint(
            "user_id", "item", "day", name=op.f("uq_reminders_sent_user_id_item_day")
        ),
        schema="identity",
    )
    op.create_index(
        op.f("ix_identity_reminders_sent_org_id"), "reminders_sent", ["org_id"], schema="identity"
    )


def downgrade() -> None:
    op.drop_table("reminders_sent", schema="identity")
    op.drop_column("users", "reminders_off", schema="identity")
    op.drop_column("organisations", "deadlines", schema="identity")
