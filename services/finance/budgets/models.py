"""Tables of budget monitoring."""

import uuid
from datetime import date

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.columns import FinancialYearText, Id, Money, belongs_to, owned_rows
from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin
from common.retiring import RetiredMixin
from services.finance.base import Base


class BudgetLine(DistributedTenantMixin, VersionedMixin, TimestampMixin, RetiredMixin, Base):
    """A service area or policy budget ("Learning Disabilities"); negative budgets are income."""

    __tablename__ = "budget_lines"

    id: Mapped[Id]
    name: Mapped[str] = mapped_column(Text)
    service_area: Mapped[str] = mapped_column(Text, default="")
    cost_centre: Mapped[str] = mapped_column(String(40), default="")

    amounts: Mapped[list["BudgetAmount"]] = owned_rows("BudgetAmount.financial_year")
    forecasts: Mapped[list["Forecast"]] = owned_rows("Forecast.month")


class BudgetAmount(DistributedTenantMixin, TimestampMixin, Base):
    """A budget line's original and current budget for one financial year."""

    __tablename__ = "budget_amounts"
    __table_args__ = belongs_to(
        "budget_line_id", "finance.budget_lines", one_per=["financial_year"]
    )

    id: Mapped[Id]
    budget_line_id: Mapped[uuid.UUID] = mapped_column(index=True)
    financial_year: Mapped[FinancialYearText]
    original_budget: Mapped[Money]
    current_budget: Mapped[Money]

    line: Mapped[BudgetLine] = relationship(back_populates="amounts")


class Forecast(DistributedTenantMixin, VersionedMixin, TimestampMixin, Base):
    """The forecast outturn of a budget line made in one month, with its commentary."""

    __tablename__ = "forecasts"
    __table_args__ = belongs_to("budget_line_id", "finance.budget_lines", one_per=["month"])

    id: Mapped[Id]
    budget_line_id: Mapped[uuid.UUID] = mapped_column(index=True)
    month: Mapped[date] = mapped_column(Date)
    financial_year: Mapped[FinancialYearText]
    forecast_outturn: Mapped[Money]
    commentary: Mapped[str] = mapped_column(Text, default="")

    line: Mapped[BudgetLine] = relationship(back_populates="forecasts")
