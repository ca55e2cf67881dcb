"""The table of targets."""

import uuid
from decimal import Decimal

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from common.columns import FinancialYearText, Id, belongs_to
from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin
from services.kpi.base import NUMBER, Base


class Target(DistributedTenantMixin, VersionedMixin, TimestampMixin, Base):
    """A measure's target for one financial year, with an optional profile by period."""

    __tablename__ = "targets"
    __table_args__ = belongs_to("measure_id", "kpi.measures", one_per=["financial_year"])

    id: Mapped[Id]
    measure_id: Mapped[uuid.UUID] = mapped_column(index=True)
    financial_year: Mapped[FinancialYearText]
    value: Mapped[Decimal] = mapped_column(NUMBER)
    kind: Mapped[str] = mapped_column(String(20), default="level")
    profile: Mapped[list[str] | None] = mapped_column(JSON, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
