"""save column mappings: a council's answer to "we read your columns as…", per import

Revision ID: 64f540b59639
Revises: e1d6ee3f0b11
Create Date: 2026-12-01 11:00:00+00:00
"""

from collections.abc import Sequence

from migrations.saved_mappings import create_saved_mappings, drop_saved_mappings

revision: str = "64f540b59639"
down_revision: str | None = "e1d6ee3f0b11"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_saved_mappings("projects")


def downgrade() -> None:
    drop_saved_mappings("projects")
