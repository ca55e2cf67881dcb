"""Tables of the `finance` schema."""

import uuid

from sqlalchemy import String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from common.db import TenantMixin, TimestampMixin, VersionedMixin, schema_metadata


class Base(DeclarativeBase):
    metadata = schema_metadata("finance")


class BudgetLine(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """A budget line."""

    __tablename__ = "budget_lines"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(Text)
    cost_centre: Mapped[str] = mapped_column(String(40), default="")
