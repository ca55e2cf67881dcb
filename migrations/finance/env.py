"""Alembic environment of the `finance` schema."""

from migrations.env_common import run_migrations
from services.finance.models import Base

run_migrations(Base.metadata, "finance")
