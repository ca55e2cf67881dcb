"""The `saved_mappings` table, the same in each service schema whose imports save column
mappings (common/saved_mappings.py): one definition for the three revisions that create it."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


def create_saved_mappings(schema: str) -> None:
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
        schema=schema,
    )


def drop_saved_mappings(schema: str) -> None:
    op.drop_table("saved_mappings", schema=schema)
