"""The one declarative base of the `kpi` schema; every table of the service derives from it."""

from sqlalchemy import Numeric
from sqlalchemy.orm import DeclarativeBase

from common.audit import audit_table
from common.db import schema_metadata

NUMBER = Numeric(20, 6)
"""Every figure: exact decimals, enough room for pounds, rates and percentages."""


class Base(DeclarativeBase):
    metadata = schema_metadata("kpi")


audit_events = audit_table(Base.metadata)
"""Who changed what in this schema, and when (common/audit.py records it)."""
