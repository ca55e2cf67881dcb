"""adopt from the national library

Revision ID: d41e7a9c3b10
Revises: 4c8e1b7d2a90
Create Date: 2026-12-10 09:30:00.000000+00:00

A measure adopted from the national library (ASCOF) keeps the definition's key and year.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d41e7a9c3b10"
down_revision: str | None = "4c8e1b7d2a90"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "library_adoptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("measure_id", sa.Uuid(), nullable=False),
        sa.Column("library_key", sa.String(length=60), nullable=False),
        sa.Column("framework", sa.String(length=20), nullable=False),
        sa.Column("framework_year", sa.String(length=7), nullable=False),
        sa.Column("national_id", sa.String(length=20), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["kpi.measures.id"],
            name=op.f("fk_library_adoptions_measure_id_measures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_adoptions")),
        sa.UniqueConstraint(
            "org_id", "library_key", name=op.f("uq_library_adoptions_org_id_library_key")
        ),
        schema="kpi",
    )
    op.create_index(
        op.f("ix_kpi_library_adoptions_org_id"), "library_adoptions", ["org_id"], schema="kpi"
    )
    op.create_index(
        op.f("ix_kpi_library_adoptions_measure_id"),
        "library_adoptions",
        ["measure_id"],
        schema="kpi",
    )


def downgrade() -> None:
    op.drop_table("library_adoptions", schema="kpi")
