"""organisation version

Revision ID: e4a8c1f2d903
Revises: de8387514dfd
Create Date: 2026-12-01 10:30:00.000000+00:00

A council's settings carry a version, like every other record that can be changed: it is the
ETag of `GET /api/v1/organisation`, and a change must name it in If-Match, so two admins
changing the deadlines at once cannot overwrite each other.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e4a8c1f2d903"
down_revision: str | None = "de8387514dfd"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "organisations",
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        schema="identity",
    )


def downgrade() -> None:
    op.drop_column("organisations", "version", schema="identity")
