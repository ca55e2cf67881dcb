"""The table of measures."""

from decimal import Decimal

from sqlalchemy import Boolean, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from common.columns import Id
from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin
from common.retiring import RetiredMixin
from services.kpi.base import NUMBER, Base


class Measure(DistributedTenantMixin, VersionedMixin, TimestampMixin, RetiredMixin, Base):
    """A KPI of the service plan: what is counted, how, by whom and which way is better."""

    __tablename__ = "measures"
    __table_args__ = (UniqueConstraint("org_id", "code"),)

    id: Mapped[Id]
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    definition: Mapped[str] = mapped_column(Text, default="")
    numerator_definition: Mapped[str] = mapped_column(Text, default="")
    denominator_definition: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(20), default="count")
    decimal_places: Mapped[int] = mapped_column(Integer, default=0)
    polarity: Mapped[str] = mapped_column(String(20), default="bigger_is_better")
    frequency: Mapped[str] = mapped_column(String(20), default="monthly")
    target_type: Mapped[str] = mapped_column(String(20), default="flat")
    council_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    data_provider: Mapped[str] = mapped_column(String(200), default="")
    service_area: Mapped[str] = mapped_column(String(200), default="")
    national_reference: Mapped[str] = mapped_column(String(100), default="")
    baseline_value: Mapped[Decimal | None] = mapped_column(NUMBER, default=None)
    baseline_period: Mapped[str | None] = mapped_column(String(20), default=None)
    tolerance_kind: Mapped[str] = mapped_column(String(20), default="percent")
    tolerance: Mapped[Decimal] = mapped_column(NUMBER, default=Decimal("5"))
    population_area: Mapped[str | None] = mapped_column(String(200), default=None)
    population_age_band: Mapped[str | None] = mapped_column(String(40), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
