"""Alembic environment of the `projects` schema."""

from migrations.env_common import run_migrations
from services.projects.models import Base

run_migrations(Base.metadata, "projects")
