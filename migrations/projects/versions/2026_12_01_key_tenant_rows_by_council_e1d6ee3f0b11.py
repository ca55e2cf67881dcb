"""key tenant rows by council

Revision ID: e1d6ee3f0b11
Revises: 3c1f0d7e9a24
Create Date: 2026-12-01 11:00:00.000000+00:00

Every key of the projects schema's tenant tables holds org_id, so Citus can distribute them by
council (migrations/council_keys.py says how, common/citus.py why).
"""

from collections.abc import Sequence

from migrations.council_keys import Reference, Schema, Unique, key_by_council, key_by_id

revision: str = "e1d6ee3f0b11"
down_revision: str | None = "3c1f0d7e9a24"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = Schema(
    "projects",
    tables=(
        "audit_events",
        "priorities",
        "objectives",
        "programmes",
        "projects",
        "highlight_reports",
        "milestones",
        "raid_items",
        "improvement_actions",
    ),
    references=(
        Reference("programmes", "parent_id", "programmes", "RESTRICT"),
        Reference("projects", "programme_id", "programmes", "RESTRICT"),
        Reference("highlight_reports", "project_id", "projects", "CASCADE"),
        Reference("milestones", "project_id", "projects", "CASCADE"),
        Reference("raid_items", "project_id", "projects", "CASCADE"),
    ),
    uniques=(Unique("highlight_reports", ("project_id", "period")),),
)


def upgrade() -> None:
    key_by_council(SCHEMA)


def downgrade() -> None:
    key_by_id(SCHEMA)
