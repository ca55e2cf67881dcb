"""audit identity changes

Revision ID: 5d2e8c41f9a3
Revises: c3e1f0a2b7d4
Create Date: 2026-11-24 14:50:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "5d2e8c41f9a3"
down_revision: str | None = "c3e1f0a2b7d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column(
            "occurred_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("client", sa.String(length=200), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("entity", sa.String(length=100), nullable=False),
        sa.Column("entity_id", sa.String(length=100), nullable=False),
        sa.Column("before", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("after", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        schema="identity",
    )
    op.create_index(
        op.f("ix_identity_audit_events_org_id"),
        "audit_events",
        ["org_id", "entity", "entity_id"],
        unique=False,
        schema="identity",
    )
    # The gateway works as the schema's owner, so revoking rights is not enough: refuse any
    # change to a recorded event in the database itself.
    op.execute(
        """create function identity.audit_events_are_append_only() returns trigger
           language plpgsql as $$
           begin
               raise exception 'audit events cannot be changed or deleted';
           end $$"""
    )
    op.execute(
        """create trigger audit_events_append_only
           before update or delete on identity.audit_events
           for each statement execute function identity.audit_events_are_append_only()"""
    )


def downgrade() -> None:
    op.execute("drop trigger audit_events_append_only on identity.audit_events")
    op.execute("drop function identity.audit_events_are_append_only()")
    op.drop_index(
        op.f("ix_identity_audit_events_org_id"), table_name="audit_events", schema="identity"
    )
    op.drop_table("audit_events", schema="identity")
