"""mark self-approvals

Revision ID: 4c8e1b7d2a90
Revises: ccceb17b1728
Create Date: 2026-12-01 08:20:00.000000+00:00

Approval needs a person other than the submitter, unless the council allows one-person teams to
approve their own figures; each such approval's revision is marked.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4c8e1b7d2a90"
down_revision: str | None = "ccceb17b1728"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "actual_revisions",
        sa.Column("self_approved", sa.Boolean(), server_default="false", nullable=False),
        schema="kpi",
    )


def downgrade() -> None:
    op.drop_column("actual_revisions", "self_approved", schema="kpi")
