"""benefits with their working

Revision ID: b3f1c9a2d7e4
Revises: 8572d232a324
Create Date: 2026-12-10 09:00:00.000000+00:00

A savings line can carry its calculation (one of four methods) and the inputs that give it, each
with an actual so far or a KPI whose actuals give one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b3f1c9a2d7e4"
down_revision: str | None = "8572d232a324"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)
        for name in ("created_at", "updated_at")
    ]


def upgrade() -> None:
    op.create_table(
        "benefit_calculations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("savings_line_id", sa.Uuid(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("spend_line", sa.Text(), nullable=False),
        sa.Column("overlaps_line_id", sa.Uuid(), nullable=True),
        sa.Column("overlap_percent", sa.Numeric(precision=9, scale=6), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["savings_line_id"],
            ["finance.savings_lines.id"],
            name=op.f("fk_benefit_calculations_savings_line_id_savings_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["overlaps_line_id"],
            ["finance.savings_lines.id"],
            name=op.f("fk_benefit_calculations_overlaps_line_id_savings_lines"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benefit_calculations")),
        sa.UniqueConstraint(
            "savings_line_id", name=op.f("uq_benefit_calculations_savings_line_id")
        ),
        schema="finance",
    )
    op.create_index(
        op.f("ix_finance_benefit_calculations_org_id"),
        "benefit_calculations",
        ["org_id"],
        schema="finance",
    )
    op.create_index(
        op.f("ix_finance_benefit_calculations_overlaps_line_id"),
        "benefit_calculations",
        ["overlaps_line_id"],
        schema="finance",
    )
    op.create_table(
        "benefit_inputs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("calculation_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("planned", sa.Numeric(precision=20, scale=6), nullable=False),
        sa.Column("actual", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("measure_id", sa.Uuid(), nullable=True),
        sa.Column("measure_reading", sa.String(length=10), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["calculation_id"],
            ["finance.benefit_calculations.id"],
            name=op.f("fk_benefit_inputs_calculation_id_benefit_calculations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benefit_inputs")),
        sa.UniqueConstraint(
            "calculation_id", "name", name=op.f("uq_benefit_inputs_calculation_id_name")
        ),
        schema="finance",
    )
    op.create_index(
        op.f("ix_finance_benefit_inputs_org_id"), "benefit_inputs", ["org_id"], schema="finance"
    )
    op.create_index(
        op.f("ix_finance_benefit_inputs_calculation_id"),
        "benefit_inputs",
        ["calculation_id"],
        schema="finance",
    )


def downgrade() -> None:
    op.drop_table("benefit_inputs", schema="finance")
    op.drop_table("benefit_calculations", schema="finance")
