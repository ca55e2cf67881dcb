"""Alembic environment of the `finance` schema."""

from migrations.env_common import run_migrations
from services.finance.models import Base  # registers every table of the schema

run_migrations(Base.metadata, "finance")
