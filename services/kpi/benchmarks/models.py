"""The table of benchmarks."""

import uuid
from decimal import Decimal

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from common.columns import FinancialYearText, Id, belongs_to
from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin
from services.kpi.base import NUMBER, Base


class Benchmark(DistributedTenantMixin, VersionedMixin, TimestampMixin, Base):
    """A comparator's value for a measure in a year (national, regional, nearest neighbours)."""

    __tablename__ = "benchmarks"
    __table_args__ = belongs_to(
        "measure_id", "kpi.measures", one_per=["financial_year", "comparator"]
    )

    id: Mapped[Id]
    measure_id: Mapped[uuid.UUID] = mapped_column(index=True)
    financial_year: Mapped[FinancialYearText]
    comparator: Mapped[str] = mapped_column(String(40))
    value: Mapped[Decimal] = mapped_column(NUMBER)
    source: Mapped[str] = mapped_column(Text, default="")
