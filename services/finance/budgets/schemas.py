"""API shapes of budget monitoring."""

import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from common.money import Money
from common.retiring import RetiredRead
from services.finance.schemas import (
    INPUT,
    MonthCode,
    MonthlyReturnIn,
    YearFiguresIn,
    YearFiguresRead,
    one_per_year,
)


class BudgetAmountIn(YearFiguresIn):
    original_budget: Money = Field(description="Negative for an income line.")
    current_budget: Money | None = Field(
        default=None, description="The budget after virements; the original when left out."
    )


class BudgetLineCreate(BaseModel):
    model_config = INPUT

    name: str = Field(min_length=1, max_length=500, description='e.g. "Learning Disabilities"')
    service_area: str = Field(default="", max_length=200)
    cost_centre: str = Field(default="", max_length=40)
    budgets: list[BudgetAmountIn] = Field(default_factory=list)

    _years = field_validator("budgets")(one_per_year)


class BudgetLineUpdate(BaseModel):
    """Fields sent replace those stored; `budgets` sets the years it names and keeps the rest."""

    model_config = INPUT

    name: str | None = Field(default=None, min_length=1, max_length=500)
    service_area: str | None = Field(default=None, max_length=200)
    cost_centre: str | None = Field(default=None, max_length=40)
    budgets: list[BudgetAmountIn] | None = None

    _years = field_validator("budgets")(one_per_year)


class BudgetAmountRead(YearFiguresRead):
    original_budget: Money
    current_budget: Money


class BudgetLineRead(RetiredRead):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    service_area: str
    cost_centre: str
    budgets: list[BudgetAmountRead] = Field(validation_alias="amounts")
    version: int


class ForecastCreate(MonthlyReturnIn):
    forecast_outturn: Money
    commentary: str = Field(default="", max_length=4000)


class ForecastUpdate(BaseModel):
    model_config = INPUT

    forecast_outturn: Money | None = None
    commentary: str | None = Field(default=None, max_length=4000)


class ForecastRead(BaseModel):
    month: MonthCode
    financial_year: str
    budget: Money | None
    forecast_outturn: Money
    variance: Money | None
    movement: Money | None = Field(
        description="Since the latest earlier forecast of the year, whatever month it was."
    )
    previous_month: MonthCode | None = Field(description="When that earlier forecast was made.")
    original_forecast: Money = Field(description="The first forecast made for the year.")
    original_month: MonthCode
    movement_since_original: Money = Field(description="Since the year's original forecast.")
    commentary: str
    version: int


class TrendPoint(BaseModel):
    month: MonthCode
    forecast_outturn: Money


class PositionLine(BaseModel):
    budget_line_id: uuid.UUID
    name: str
    service_area: str
    cost_centre: str
    original_budget: Money
    budget: Money
    forecast_outturn: Money | None
    previous_forecast: Money | None = Field(
        description="The latest earlier forecast of the year, whatever month it was."
    )
    previous_month: MonthCode | None
    variance: Money | None
    variance_words: str
    movement: Money | None = Field(description="Since the previous forecast.")
    original_forecast: Money | None = Field(description="The first forecast made for the year.")
    original_month: MonthCode | None
    movement_since_original: Money | None
    commentary: str
    trend: list[TrendPoint]


class PositionTotalsRead(BaseModel):
    original_budget: Money
    budget: Money
    forecast_outturn: Money
    variance: Money
    variance_words: str
    movement: Money
    original_forecast: Money = Field(
        description="The original forecasts of the lines that have a forecast this month."
    )
    movement_since_original: Money
    lines_with_forecast: int
    lines_without_forecast: int


class BudgetPosition(BaseModel):
    """The budget monitor for one month: each line and the total."""

    month: MonthCode
    financial_year: str
    as_at: date | None = Field(
        description="The day asked for: the month is the latest with a forecast on or before it."
    )
    lines: list[PositionLine]
    totals: PositionTotalsRead


class BudgetMonth(BaseModel):
    """The year's position as forecast in one month."""

    month: MonthCode
    forecast_outturn: Money | None = Field(
        description="The month's forecasts added up; None when no line forecast that month."
    )
    variance: Money | None = Field(
        description="Over the lines with a forecast that month (+ overspend, - underspend)."
    )
    lines_with_forecast: int


class BudgetTrend(BaseModel):
    """The forecast outturn month by month through a financial year, against the budget."""

    financial_year: str
    lines: int
    budget: Money = Field(description="The current budget of every line of the year.")
    months: list[BudgetMonth] = Field(description="April to March.")
