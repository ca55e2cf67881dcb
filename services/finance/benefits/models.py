"""Tables of benefits worked by formula: a savings line's calculation and its inputs."""

import uuid
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import TenantMixin, TimestampMixin, VersionedMixin
from services.finance.base import Base

FIGURE = Numeric(20, 6)
"""An input as entered: money, people, hours, weeks or a percentage, to six decimal places."""


class BenefitCalculation(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """How a savings or cost-avoidance line's benefit is worked out: the method, whether it is
    an opportunity or a planned saving, and the line whose benefit overlaps it."""

    __tablename__ = "benefit_calculations"
    __table_args__ = (UniqueConstraint("savings_line_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    savings_line_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("savings_lines.id", ondelete="CASCADE")
    )
    method: Mapped[str] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(20))
    spend_line: Mapped[str] = mapped_column(Text, default="")
    overlaps_line_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("savings_lines.id", ondelete="SET NULL"), index=True
    )
    overlap_percent: Mapped[Decimal] = mapped_column(Numeric(9, 6), default=Decimal(100))

    inputs: Mapped[list["BenefitInput"]] = relationship(
        back_populates="calculation",
        cascade="all, delete-orphan",
        order_by="BenefitInput.name",
        lazy="selectin",
    )


class BenefitInput(TenantMixin, TimestampMixin, Base):
    """One input of a calculation: its planned value, its actual so far, and the KPI whose
    actuals give that actual instead. Every change is in the audit trail (a tenant row)."""

    __tablename__ = "benefit_inputs"
    __table_args__ = (UniqueConstraint("calculation_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    calculation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("benefit_calculations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(40))
    planned: Mapped[Decimal] = mapped_column(FIGURE)
    actual: Mapped[Decimal | None] = mapped_column(FIGURE, default=None)
    # A measure of the kpi service: no foreign key across schemas, checked over HTTP.
    measure_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    measure_reading: Mapped[str] = mapped_column(String(10), default="latest")

    calculation: Mapped[BenefitCalculation] = relationship(back_populates="inputs")
