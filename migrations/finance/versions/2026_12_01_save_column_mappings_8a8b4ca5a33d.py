"""save column mappings: a council's answer to "we read your columns as…", per import

Revision ID: 8a8b4ca5a33d
Revises: 8df41ba40516
Create Date: 2026-12-01 11:00:00+00:00
"""

from collections.abc import Sequence

from migrations.saved_mappings import create_saved_mappings, drop_saved_mappings

revision: str = "8a8b4ca5a33d"
down_revision: str | None = "8df41ba40516"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_saved_mappings("finance")


def downgrade() -> None:
    drop_saved_mappings("finance")
