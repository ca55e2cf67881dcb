"""changes after period close

Revision ID: e3b9a6d4c172
Revises: d41e7a9c3b10
Create Date: 2026-12-01 09:00:00.000000+00:00

A period's figures are locked once it closes; an approver may still change one, giving a reason.
The revision records the role they did it as (the reason goes in `reason`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e3b9a6d4c172"
down_revision: str | None = "d41e7a9c3b10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "actual_revisions",
        sa.Column("closed_period_role", sa.String(length=32), nullable=True),
        schema="kpi",
    )


def downgrade() -> None:
    op.drop_column("actual_revisions", "closed_period_role", schema="kpi")
