"""key tenant rows by council

Revision ID: 8df41ba40516
Revises: b41c7e2d9a05
Create Date: 2026-12-01 11:00:00.000000+00:00

Every key of the finance schema's tenant tables holds org_id, so Citus can distribute them by
council (migrations/council_keys.py says how, common/citus.py why).
"""

from collections.abc import Sequence

from migrations.council_keys import Reference, Schema, Unique, key_by_council, key_by_id

revision: str = "8df41ba40516"
down_revision: str | None = "b41c7e2d9a05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = Schema(
    "finance",
    tables=(
        "audit_events",
        "budget_lines",
        "budget_amounts",
        "forecasts",
        "savings_lines",
        "savings_targets",
        "savings_entries",
        "activity_measures",
        "benefit_calculations",
        "benefit_inputs",
        "reconciliation_flags",
    ),
    references=(
        Reference("budget_amounts", "budget_line_id", "budget_lines", "CASCADE"),
        Reference("forecasts", "budget_line_id", "budget_lines", "CASCADE"),
        Reference("savings_lines", "mitigates_line_id", "savings_lines", "SET NULL"),
        Reference("savings_targets", "savings_line_id", "savings_lines", "CASCADE"),
        Reference("savings_entries", "savings_line_id", "savings_lines", "CASCADE"),
        Reference("activity_measures", "savings_line_id", "savings_lines", "CASCADE"),
        Reference("benefit_calculations", "savings_line_id", "savings_lines", "CASCADE"),
        Reference("benefit_calculations", "overlaps_line_id", "savings_lines", "SET NULL"),
        Reference("benefit_inputs", "calculation_id", "benefit_calculations", "CASCADE"),
    ),
    uniques=(
        Unique("budget_amounts", ("budget_line_id", "financial_year")),
        Unique("forecasts", ("budget_line_id", "month")),
        Unique("savings_targets", ("savings_line_id", "financial_year")),
        Unique("savings_entries", ("savings_line_id", "month")),
        Unique("benefit_calculations", ("savings_line_id",)),
        Unique("benefit_inputs", ("calculation_id", "name")),
    ),
)


def upgrade() -> None:
    key_by_council(SCHEMA)


def downgrade() -> None:
    key_by_id(SCHEMA)
