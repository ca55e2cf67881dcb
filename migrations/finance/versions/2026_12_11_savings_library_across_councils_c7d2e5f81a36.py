"""savings library across councils

Revision ID: c7d2e5f81a36
Revises: 8a8b4ca5a33d
Create Date: 2026-12-11 09:00:00.000000+00:00

A savings line's theme as a person set it; each council's choice to share its savings lines; the
lines councils share and the published tables a platform administrator imports, as platform data
(no `org_id`) that every council reads and row-level security lets only their owner write.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "c7d2e5f81a36"
down_revision: str | None = "8a8b4ca5a33d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ORG = "nullif(current_setting('app.org_id', true), '')::uuid"
_WRITERS = {
    # A council writes only the rows it shares; nobody else writes them.
    "shared_savings": f"council_org_id = {_ORG}",
    # Only a session of no council (a platform administrator's) writes published tables.
    "published_tables": f"{_ORG} is null",
    "published_savings": f"{_ORG} is null",
}


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)
        for name in ("created_at", "updated_at")
    ]


def upgrade() -> None:
    op.add_column(
        "savings_lines", sa.Column("theme", sa.String(length=40), nullable=True), schema="finance"
    )
    op.create_table(
        "library_settings",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("share_savings", sa.Boolean(), nullable=False),
        sa.Column("council_name", sa.String(length=200), nullable=False),
        sa.Column("adult_population", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("org_id", name=op.f("pk_library_settings")),
        schema="finance",
    )
    op.create_table(
        "shared_savings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("council_org_id", sa.Uuid(), nullable=False),
        sa.Column("council", sa.String(length=200), nullable=False),
        sa.Column("adult_population", sa.Integer(), nullable=True),
        sa.Column("savings_line_id", sa.Uuid(), nullable=False),
        sa.Column("theme", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("financial_year", sa.String(length=7), nullable=False),
        sa.Column("planned", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("achieved", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column(
            "shared_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shared_savings")),
        schema="finance",
    )
    for column in ("council_org_id", "savings_line_id", "theme"):
        op.create_index(
            op.f(f"ix_finance_shared_savings_{column}"),
            "shared_savings",
            [column],
            schema="finance",
        )
    op.create_table(
        "published_tables",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source_document", sa.Text(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("sheet", sa.Text(), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column(
            "imported_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("reconciliations", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_tables")),
        schema="finance",
    )
    op.create_table(
        "published_savings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("table_id", sa.Uuid(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("council", sa.String(length=200), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column("area", sa.Text(), nullable=False),
        sa.Column("theme", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("financial_year", sa.String(length=7), nullable=False),
        sa.Column("planned", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("achieved", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("status", sa.String(length=80), nullable=False),
        sa.Column("source_document", sa.Text(), nullable=False),
        sa.Column("page", sa.String(length=20), nullable=False),
        sa.Column("adult_population", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["finance.published_tables.id"],
            name=op.f("fk_published_savings_table_id_published_tables"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_savings")),
        schema="finance",
    )
    for column in ("table_id", "theme"):
        op.create_index(
            op.f(f"ix_finance_published_savings_{column}"),
            "published_savings",
            [column],
            schema="finance",
        )
    for table, writer in _WRITERS.items():
        qualified = f"finance.{table}"
        op.execute(f"alter table {qualified} enable row level security")
        op.execute(f"alter table {qualified} force row level security")
        op.execute(f"create policy library_read on {qualified} for select using (true)")
        op.execute(f"create policy library_insert on {qualified} for insert with check ({writer})")
        op.execute(
            f"create policy library_update on {qualified} for update "
            f"using ({writer}) with check ({writer})"
        )
        op.execute(f"create policy library_delete on {qualified} for delete using ({writer})")


def downgrade() -> None:
    op.drop_table("published_savings", schema="finance")
    op.drop_table("published_tables", schema="finance")
    op.drop_table("shared_savings", schema="finance")
    op.drop_table("library_settings", schema="finance")
    op.drop_column("savings_lines", "theme", schema="finance")
