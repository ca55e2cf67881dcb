"""The one declarative base of the `projects` schema; every sub-domain's tables use it."""

from sqlalchemy.orm import DeclarativeBase

from common.audit import audit_table
from common.db import schema_metadata


class Base(DeclarativeBase):
    metadata = schema_metadata("projects")


audit_events = audit_table(Base.metadata)
"""Who changed what in this schema, and when (common/audit.py records it)."""
