"""save column mappings: a council's answer to "we read your columns as…", per import

Revision ID: 9f3031bb3126
Revises: d8fa973ea1c3
Create Date: 2026-12-01 11:00:00+00:00
"""

from collections.abc import Sequence

from migrations.saved_mappings import create_saved_mappings, drop_saved_mappings

revision: str = "9f3031bb3126"
down_revision: str | None = "d8fa973ea1c3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_saved_mappings("kpi")


def downgrade() -> None:
    drop_saved_mappings("kpi")
