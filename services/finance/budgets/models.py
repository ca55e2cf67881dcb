"""Tables of budget monitoring."""

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin, council_foreign_key
from common.retiring import RetiredMixin
from services.finance.base import Base

MONEY = Numeric(14, 2)


class BudgetLine(DistributedTenantMixin, VersionedMixin, TimestampMixin, RetiredMixin, Base):
    """A service area or policy budget ("Learning Disabilities"); negative budgets are income."""

    __tablename__ = "budget_lines"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(Text)
    service_area: Mapped[str] = mapped_column(Text, default="")
    cost_centre: Mapped[str] = mapped_column(String(40), default="")

    amounts: Mapped[list["BudgetAmount"]] = relationship(
        back_populates="line",
        cascade="all, delete-orphan",
        order_by="BudgetAmount.financial_year",
        lazy="selectin",
    )
    forecasts: Mapped[list["Forecast"]] = relationship(
        back_populates="line",
        cascade="all, delete-orphan",
        order_by="Forecast.month",
        lazy="selectin",
    )


class BudgetAmount(DistributedTenantMixin, TimestampMixin, Base):
    """A budget line's original and current budget for one financial year."""

    __tablename__ = "budget_amounts"
    __table_args__ = (
        UniqueConstraint("org_id", "budget_line_id", "financial_year"),
        council_foreign_key("budget_line_id", "finance.budget_lines", ondelete="CASCADE"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    budget_line_id: Mapped[uuid.UUID] = mapped_column(index=True)
    financial_year: Mapped[str] = mapped_column(String(7))
    original_budget: Mapped[Decimal] = mapped_column(MONEY)
    current_budget: Mapped[Decimal] = mapped_column(MONEY)

    line: Mapped[BudgetLine] = relationship(back_populates="amounts")


class Forecast(DistributedTenantMixin, VersionedMixin, TimestampMixin, Base):
    """The forecast outturn of a budget line made in one month, with its commentary."""

    __tablename__ = "forecasts"
    __table_args__ = (
        UniqueConstraint("org_id", "budget_line_id", "month"),
        council_foreign_key("budget_line_id", "finance.budget_lines", ondelete="CASCADE"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    budget_line_id: Mapped[uuid.UUID] = mapped_column(index=True)
    month: Mapped[date] = mapped_column(Date)
    financial_year: Mapped[str] = mapped_column(String(7))
    forecast_outturn: Mapped[Decimal] = mapped_column(MONEY)
    commentary: Mapped[str] = mapped_column(Text, default="")

    line: Mapped[BudgetLine] = relationship(back_populates="forecasts")
