"""Alembic environment of the `kpi` schema."""

from migrations.env_common import run_migrations
from services.kpi.models import Base

run_migrations(Base.metadata, "kpi")
