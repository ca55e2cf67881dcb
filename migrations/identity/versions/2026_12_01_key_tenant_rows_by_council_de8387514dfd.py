"""key tenant rows by council

Revision ID: de8387514dfd
Revises: c7d1e5a9b230
Create Date: 2026-12-01 11:00:00.000000+00:00

Every key of the identity schema's audit table holds org_id, as in the schemas Citus distributes by
council (migrations/council_keys.py says how, common/citus.py why).
"""

from collections.abc import Sequence

from migrations.council_keys import Schema, key_by_council, key_by_id

revision: str = "de8387514dfd"
down_revision: str | None = "c7d1e5a9b230"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = Schema("identity", tables=("audit_events",))
"""The identity schema stays on the Citus coordinator as it is (common/citus.py); only its audit
table, one shape in every schema (common/audit.py), is keyed by council like the others."""


def upgrade() -> None:
    key_by_council(SCHEMA)


def downgrade() -> None:
    key_by_id(SCHEMA)
