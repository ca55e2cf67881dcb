"""api keys act as one role

Revision ID: b41d7e2a9c58
Revises: e7b2d9c4a1f6
Create Date: 2026-12-01 08:00:00.000000+00:00

A key used to act as the union of one role per service it was scoped to (kpi: data provider,
projects: programme office, finance: finance), and the KPI service let keys past its team checks.
Each key now names one role. Existing keys keep as much of what they did as one role gives:
read-only keys are viewers; read-write keys that reach kpi or projects act as the programme
office (which changes both, and enters figures for any team, as those keys could); finance-only
keys act as finance. A read-write key scoped to finance and another service keeps reading
finance but no longer changes it: an admin makes a finance key for that.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b41d7e2a9c58"
down_revision: str | None = "e7b2d9c4a1f6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("api_keys", sa.Column("role", sa.String(length=32)), schema="identity")
    op.add_column("api_keys", sa.Column("team", sa.String(length=200)), schema="identity")
    op.execute(
        """
        UPDATE identity.api_keys SET role = CASE
            WHEN access <> 'read_write' THEN 'viewer'
            WHEN services && ARRAY['kpi', 'projects']::varchar[] THEN 'programme_office'
            ELSE 'finance'
        END
        """
    )
    op.alter_column("api_keys", "role", nullable=False, schema="identity")


def downgrade() -> None:
    op.drop_column("api_keys", "team", schema="identity")
    op.drop_column("api_keys", "role", schema="identity")
