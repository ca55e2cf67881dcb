"""The one declarative base of the `finance` schema; every table of the service derives from it."""

from sqlalchemy.orm import DeclarativeBase

from common.audit import audit_table
from common.db import schema_metadata


class Base(DeclarativeBase):
    metadata = schema_metadata("finance")


audit_events = audit_table(Base.metadata)
"""Who changed what in this schema, and when (common/audit.py records it)."""
