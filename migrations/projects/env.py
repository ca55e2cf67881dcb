"""Alembic environment of the `projects` schema."""

from migrations.env_common import run_migrations

# services.projects.models imports every sub-domain's tables, so all of them are compared.
from services.projects.models import Base

run_migrations(Base.metadata, "projects")
