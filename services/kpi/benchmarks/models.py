"""The table of benchmarks."""

import uuid
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from common.db import TenantMixin, TimestampMixin, VersionedMixin
from services.kpi.base import NUMBER, Base


class Benchmark(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """A comparator's value for a measure in a year (national, regional, nearest neighbours)."""

    __tablename__ = "benchmarks"
    __table_args__ = (UniqueConstraint("org_id", "measure_id", "financial_year", "comparator"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    measure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("kpi.measures.id", ondelete="CASCADE"), index=True
    )
    financial_year: Mapped[str] = mapped_column(String(7))
    comparator: Mapped[str] = mapped_column(String(40))
    value: Mapped[Decimal] = mapped_column(NUMBER)
    source: Mapped[str] = mapped_column(Text, default="")
