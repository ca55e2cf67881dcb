"""Tables of the `kpi` schema."""

import uuid

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from common.db import TenantMixin, TimestampMixin, VersionedMixin, schema_metadata


class Base(DeclarativeBase):
    metadata = schema_metadata("kpi")


class Measure(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """A KPI of the service plan."""

    __tablename__ = "measures"
    __table_args__ = (UniqueConstraint("org_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    definition: Mapped[str] = mapped_column(Text, default="")
