"""Use cases of budget monitoring: keyword-only, flush but never commit."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common import crud, per_period, retiring
from common.errors import FieldError, ValidationFailed
from common.pagination import PageParams, paginate
from common.periods import FinancialYear, Period
from common.read_shapes import read_shape
from services.finance.budgets import rules
from services.finance.budgets.models import BudgetAmount, BudgetLine, Forecast
from services.finance.budgets.schemas import (
    BudgetAmountIn,
    BudgetLineCreate,
    BudgetLineUpdate,
    BudgetMonth,
    BudgetPosition,
    BudgetTrend,
    ForecastCreate,
    ForecastRead,
    ForecastUpdate,
    PositionLine,
    PositionTotalsRead,
    TrendPoint,
)


def list_budget_lines(
    session: Session,
    *,
    page: PageParams,
    financial_year: str | None = None,
    q: str | None = None,
    include_retired: bool = False,
) -> tuple[list[BudgetLine], int]:
    """The organisation's budget lines, by service area then name; optionally only those with a
    budget for `financial_year`, or whose name contains `q`."""
    statement = select(BudgetLine).order_by(BudgetLine.service_area, BudgetLine.name)
    statement = retiring.in_use(statement, BudgetLine, include_retired)
    if financial_year:
        statement = statement.where(
            BudgetLine.amounts.any(BudgetAmount.financial_year == financial_year)
        )
    if q:
        statement = statement.where(BudgetLine.name.icontains(q, autoescape=True))
    return paginate(session, statement, page)


def create_budget_line(session: Session, *, data: BudgetLineCreate) -> BudgetLine:
    """Add a budget line with its budgets per financial year."""
    line = BudgetLine()
    _set_amounts(line, data.budgets)
    return crud.save(session, line, data.model_dump(exclude={"budgets"}))


def update_budget_line(session: Session, *, line: BudgetLine, data: BudgetLineUpdate) -> BudgetLine:
    """Apply the fields that were sent; `budgets` replaces only the years it names."""
    _set_amounts(line, data.budgets)
    return crud.save(session, line, data.model_dump(exclude_unset=True, exclude={"budgets"}))


def delete_budget_line(session: Session, *, line: BudgetLine) -> None:
    """Remove a budget line with its budgets and forecasts."""
    crud.delete(session, line)


def _set_amounts(line: BudgetLine, amounts: list[BudgetAmountIn] | None) -> None:
    """A year's current budget is its original budget unless it is given."""
    per_period.set_by_year(
        line,
        line.amounts,
        BudgetAmount,
        amounts,
        defaults_from={"current_budget": "original_budget"},
    )


def _amount(line: BudgetLine, financial_year: str) -> BudgetAmount | None:
    return next((a for a in line.amounts if a.financial_year == financial_year), None)


def check_month_in_year(month: date, financial_year: str | None) -> str:
    """The financial year of `month`; a 422 on `month` when it lies outside the one named."""
    actual = FinancialYear.containing(month)
    if financial_year is not None and actual.label != financial_year:
        raise ValidationFailed(
            f"{month:%B %Y} is not in financial year {financial_year}.",
            errors=[
                FieldError(
                    "month",
                    f"{month:%B %Y} is not in financial year {financial_year}; "
                    f"choose a month from {FinancialYear.parse(financial_year).start:%B %Y} "
                    f"to {FinancialYear.parse(financial_year).end:%B %Y}",
                )
            ],
        )
    return actual.label


def add_forecast(session: Session, *, line: BudgetLine, data: ForecastCreate) -> Forecast:
    """Record a month's forecast outturn; one per line per month."""
    financial_year = check_month_in_year(data.month, data.financial_year)
    forecast = Forecast(
        **data.model_dump(exclude={"financial_year"}), financial_year=financial_year
    )
    return per_period.add_for_month(session, line.forecasts, forecast, "a forecast")


def get_forecast(line: BudgetLine, *, month: date) -> Forecast:
    return per_period.get_for_month(line.forecasts, month, "This budget line has no forecast")


def update_forecast(session: Session, *, forecast: Forecast, data: ForecastUpdate) -> Forecast:
    """Apply the fields that were sent."""
    return crud.save(session, forecast, data.model_dump(exclude_unset=True))


def delete_forecast(session: Session, *, line: BudgetLine, forecast: Forecast) -> None:
    line.forecasts.remove(forecast)
    session.flush()


def _year_forecasts(line: BudgetLine, financial_year: str) -> list[tuple[date, Decimal]]:
    return [
        (f.month, f.forecast_outturn) for f in line.forecasts if f.financial_year == financial_year
    ]


def forecast_reads(
    line: BudgetLine, *, financial_year: str | None = None, as_at: date | None = None
) -> list[ForecastRead]:
    """The line's forecasts (those made on or before `as_at`, when given), each with its
    variance against that year's budget and its movement since the latest earlier forecast and
    since the year's original forecast (movement never reaches back across 1 April)."""
    reads: list[ForecastRead] = []
    for forecast in line.forecasts:
        if financial_year and forecast.financial_year != financial_year:
            continue
        if as_at is not None and forecast.month > as_at:
            continue
        amount = _amount(line, forecast.financial_year)
        budget = amount.current_budget if amount else None
        moved = rules.movements(_year_forecasts(line, forecast.financial_year), forecast.month)
        reads.append(
            read_shape(
                ForecastRead,
                forecast,
                moved,
                budget=budget,
                variance=rules.variance(budget, forecast.forecast_outturn)
                if budget is not None
                else None,
                movement=moved.since_previous,
                movement_since_original=moved.since_original,
            )
        )
    return reads


def latest_forecast_month(session: Session, *, as_at: date | None = None) -> date | None:
    """The newest month any line has a forecast for; with `as_at`, the newest in that day's
    financial year made on or before it."""
    statement = select(func.max(Forecast.month))
    if as_at is not None:
        statement = statement.where(
            Forecast.financial_year == FinancialYear.containing(as_at).label,
            Forecast.month <= as_at,
        )
    return session.scalar(statement)


def budget_position(session: Session, *, month: date, as_at: date | None = None) -> BudgetPosition:
    """Every line with a budget in the month's financial year: budget, forecast outturn for the
    month, variance, movement since the latest earlier forecast and since the year's original
    forecast, and the forecasts so far as a trend."""
    period = Period.month_of(month)
    year = period.year.label
    earlier_months = [p.start for p in period.year_to_date()]
    # Plain rows, not ORM lines with every year's amounts and forecasts: building those cost
    # about 50 ms of CPU per 100 lines.
    lines = session.execute(
        select(
            BudgetLine.id,
            BudgetLine.name,
            BudgetLine.service_area,
            BudgetLine.cost_centre,
            BudgetAmount.original_budget,
            BudgetAmount.current_budget,
        )
        .join(BudgetAmount, BudgetAmount.budget_line_id == BudgetLine.id)
        .where(BudgetAmount.financial_year == year)
        .where(BudgetLine.retired_at.is_(None))
        .order_by(BudgetLine.service_area, BudgetLine.name)
    ).all()
    by_line: dict[object, dict[date, tuple[Decimal, str]]] = {}
    for line_id, forecast_month, outturn, commentary in session.execute(
        select(
            Forecast.budget_line_id, Forecast.month, Forecast.forecast_outturn, Forecast.commentary
        )
        .where(Forecast.month.in_(earlier_months))
        .order_by(Forecast.budget_line_id, Forecast.month)
    ):
        by_line.setdefault(line_id, {})[forecast_month] = (outturn, commentary)
    rows: list[PositionLine] = []
    positions: list[rules.LinePosition] = []
    original_total = rules.ZERO
    for line in lines:
        forecasts = by_line.get(line.id, {})
        this = forecasts.get(month)
        moved = rules.movements([(m, f[0]) for m, f in forecasts.items()], month) if this else None
        position = rules.LinePosition(
            budget=line.current_budget,
            forecast_outturn=this[0] if this else None,
            previous_forecast=moved.previous_forecast if moved else None,
            original_forecast=moved.original_forecast if moved else None,
        )
        positions.append(position)
        original_total += line.original_budget
        rows.append(
            read_shape(
                PositionLine,
                position,
                line,
                budget_line_id=line.id,
                previous_month=moved.previous_month if moved else None,
                variance_words=rules.variance_words(position.variance),
                original_month=moved.original_month if moved else None,
                commentary=this[1] if this else "",
                trend=[TrendPoint(month=m, forecast_outturn=f[0]) for m, f in forecasts.items()],
            )
        )
    totals = rules.position_totals(positions)
    return BudgetPosition(
        month=month,
        financial_year=year,
        as_at=as_at,
        lines=rows,
        totals=read_shape(
            PositionTotalsRead,
            totals,
            original_budget=original_total,
            variance_words=rules.variance_words(totals.variance),
            lines_without_forecast=sum(1 for p in positions if p.forecast_outturn is None),
        ),
    )


def budget_trend(session: Session, *, financial_year: str) -> BudgetTrend:
    """Month by month, the forecast outturn the lines gave that month, added up as the budget
    monitor adds them (only lines with a forecast count in the forecast and the variance)."""
    lines = session.scalars(
        select(BudgetLine).where(
            BudgetLine.amounts.any(BudgetAmount.financial_year == financial_year)
        )
    ).all()
    budgets = [(line, _amount(line, financial_year)) for line in lines]
    months: list[BudgetMonth] = []
    for month in FinancialYear.parse(financial_year).months():
        totals = rules.position_totals(
            rules.LinePosition(
                budget=amount.current_budget,
                forecast_outturn=next(
                    (f.forecast_outturn for f in line.forecasts if f.month == month), None
                ),
                previous_forecast=None,
            )
            for line, amount in budgets
            if amount is not None
        )
        any_forecast = totals.lines_with_forecast > 0
        months.append(
            BudgetMonth(
                month=month,
                forecast_outturn=totals.forecast_outturn if any_forecast else None,
                variance=totals.variance if any_forecast else None,
                lines_with_forecast=totals.lines_with_forecast,
            )
        )
    return BudgetTrend(
        financial_year=financial_year,
        lines=len(lines),
        budget=rules.total(amount.current_budget for _, amount in budgets if amount is not None),
        months=months,
    )
