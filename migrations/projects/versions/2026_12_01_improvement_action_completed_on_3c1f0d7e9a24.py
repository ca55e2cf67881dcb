"""improvement actions keep the day they were completed, so the plan can be read as at a day,
and the instant each was written, so an area is named as it was first written

Revision ID: 3c1f0d7e9a24
Revises: 97471840e791
Create Date: 2026-12-01 08:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3c1f0d7e9a24"
down_revision: str | None = "97471840e791"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Actions completed before this column existed keep no day: read as closed at any day.
    op.add_column(
        "improvement_actions",
        sa.Column("completed_on", sa.Date(), nullable=True),
        schema="projects",
    )
    # now() is the transaction's start, the same for every action added in one transaction (an
    # import): the clock tells which was written first.
    op.alter_column(
        "improvement_actions",
        "created_at",
        server_default=sa.text("clock_timestamp()"),
        schema="projects",
    )


def downgrade() -> None:
    op.alter_column(
        "improvement_actions", "created_at", server_default=sa.text("now()"), schema="projects"
    )
    op.drop_column("improvement_actions", "completed_on", schema="projects")
