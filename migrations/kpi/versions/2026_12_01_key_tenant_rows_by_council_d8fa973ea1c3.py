"""key tenant rows by council

Revision ID: d8fa973ea1c3
Revises: e3b9a6d4c172
Create Date: 2026-12-01 11:00:00.000000+00:00

Every key of the kpi schema's tenant tables holds org_id, so Citus can distribute them by
council (migrations/council_keys.py says how, common/citus.py why).
"""

from collections.abc import Sequence

from migrations.council_keys import Reference, Schema, Unique, key_by_council, key_by_id

revision: str = "d8fa973ea1c3"
down_revision: str | None = "e3b9a6d4c172"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = Schema(
    "kpi",
    tables=(
        "audit_events",
        "measures",
        "populations",
        "actuals",
        "actual_revisions",
        "benchmarks",
        "targets",
        "library_adoptions",
    ),
    references=(
        Reference("targets", "measure_id", "measures", "CASCADE"),
        Reference("actuals", "measure_id", "measures", "CASCADE"),
        Reference("benchmarks", "measure_id", "measures", "CASCADE"),
        Reference("library_adoptions", "measure_id", "measures", "CASCADE"),
        Reference("actual_revisions", "actual_id", "actuals", "CASCADE"),
    ),
    uniques=(Unique("actual_revisions", ("actual_id", "number")),),
)


def upgrade() -> None:
    key_by_council(SCHEMA)


def downgrade() -> None:
    key_by_id(SCHEMA)
