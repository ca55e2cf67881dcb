"""The table of benchmarks."""

import uuid
from decimal import Decimal

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin, council_foreign_key
from services.kpi.base import NUMBER, Base


class Benchmark(DistributedTenantMixin, VersionedMixin, TimestampMixin, Base):
    """A comparator's value for a measure in a year (national, regional, nearest neighbours)."""

    __tablename__ = "benchmarks"
    __table_args__ = (
        UniqueConstraint("org_id", "measure_id", "financial_year", "comparator"),
        council_foreign_key("measure_id", "kpi.measures", ondelete="CASCADE"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    measure_id: Mapped[uuid.UUID] = mapped_column(index=True)
    financial_year: Mapped[str] = mapped_column(String(7))
    comparator: Mapped[str] = mapped_column(String(40))
    value: Mapped[Decimal] = mapped_column(NUMBER)
    source: Mapped[str] = mapped_column(Text, default="")
