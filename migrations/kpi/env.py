"""Alembic environment of the `kpi` schema."""

from migrations.env_common import run_migrations
from services.kpi.models import ALL_MODELS, Base

assert ALL_MODELS  # importing the module registered every table of the schema on Base

run_migrations(Base.metadata, "kpi")
