"""Tables of benefits worked by formula: a savings line's calculation and its inputs."""

import uuid
from decimal import Decimal

from sqlalchemy import Numeric, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.columns import Id, belongs_to, owned_rows
from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin, council_foreign_key
from services.finance.base import Base

FIGURE = Numeric(20, 6)
"""An input as entered: money, people, hours, weeks or a percentage, to six decimal places."""


class BenefitCalculation(DistributedTenantMixin, VersionedMixin, TimestampMixin, Base):
    """How a savings or cost-avoidance line's benefit is worked out: the method, whether it is
    an opportunity or a planned saving, and the line whose benefit overlaps it."""

    __tablename__ = "benefit_calculations"
    __table_args__ = (
        UniqueConstraint("org_id", "savings_line_id"),
        council_foreign_key("savings_line_id", "finance.savings_lines", ondelete="CASCADE"),
        council_foreign_key("overlaps_line_id", "finance.savings_lines", ondelete="SET NULL"),
    )

    id: Mapped[Id]
    savings_line_id: Mapped[uuid.UUID]
    method: Mapped[str] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(20))
    spend_line: Mapped[str] = mapped_column(Text, default="")
    overlaps_line_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    overlap_percent: Mapped[Decimal] = mapped_column(Numeric(9, 6), default=Decimal(100))

    inputs: Mapped[list["BenefitInput"]] = owned_rows(
        "BenefitInput.name", back_populates="calculation"
    )


class BenefitInput(DistributedTenantMixin, TimestampMixin, Base):
    """One input of a calculation: its planned value, its actual so far, and the KPI whose
    actuals give that actual instead. Every change is in the audit trail (a tenant row)."""

    __tablename__ = "benefit_inputs"
    __table_args__ = belongs_to("calculation_id", "finance.benefit_calculations", one_per=["name"])

    id: Mapped[Id]
    calculation_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(40))
    planned: Mapped[Decimal] = mapped_column(FIGURE)
    actual: Mapped[Decimal | None] = mapped_column(FIGURE, default=None)
    # A measure of the kpi service: no foreign key across schemas, checked over HTTP.
    measure_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    measure_reading: Mapped[str] = mapped_column(String(10), default="latest")

    calculation: Mapped[BenefitCalculation] = relationship(back_populates="inputs")
