"""The table of populations."""

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from common.columns import FinancialYearText, Id
from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin
from services.kpi.base import Base


class Population(DistributedTenantMixin, VersionedMixin, TimestampMixin, Base):
    """How many people live in an area, by age band and year: the denominator of a rate."""

    __tablename__ = "populations"
    __table_args__ = (UniqueConstraint("org_id", "area", "age_band", "financial_year"),)

    id: Mapped[Id]
    area: Mapped[str] = mapped_column(String(200))
    age_band: Mapped[str] = mapped_column(String(40))
    financial_year: Mapped[FinancialYearText]
    population: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text, default="")
