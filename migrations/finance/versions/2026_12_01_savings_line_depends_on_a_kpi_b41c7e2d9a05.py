"""a savings line names the KPI it depends on

Revision ID: b41c7e2d9a05
Revises: 5b2e9c1d7a40
Create Date: 2026-12-01 08:30:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b41c7e2d9a05"
down_revision: str | None = "5b2e9c1d7a40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A measure of the kpi service: no foreign key across schemas, checked over HTTP.
    op.add_column(
        "savings_lines", sa.Column("kpi_measure_id", sa.Uuid(), nullable=True), schema="finance"
    )
    op.create_index(
        op.f("ix_finance_savings_lines_kpi_measure_id"),
        "savings_lines",
        ["kpi_measure_id"],
        unique=False,
        schema="finance",
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_finance_savings_lines_kpi_measure_id"),
        table_name="savings_lines",
        schema="finance",
    )
    op.drop_column("savings_lines", "kpi_measure_id", schema="finance")
