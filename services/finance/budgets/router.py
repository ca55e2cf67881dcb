"""HTTP routes of budget monitoring: parse, call the service, shape the response."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from common import crud, routes
from common.concurrency import set_etag
from common.errors import FieldError, ValidationFailed
from common.examples import example
from common.pagination import Page, PageDep
from common.periods import (
    AS_AT_DESCRIPTION,
    FinancialYear,
    FinancialYearText,
    MonthText,
    Period,
    as_at_query,
)
from common.retiring import IncludeRetired
from common.writing import csv_response
from services.finance.budgets import service
from services.finance.budgets.examples import POSITION
from services.finance.budgets.models import BudgetLine
from services.finance.budgets.schemas import (
    BudgetLineRead,
    BudgetPosition,
    BudgetTrend,
    ForecastCreate,
    ForecastRead,
    ForecastUpdate,
)
from services.finance.deps import SessionDep
from services.finance.schemas import month_code, month_query, year_query

router = APIRouter(tags=["budgets"])

MonthQuery = Annotated[
    MonthText | None,
    Query(description='A month, "2025-09"; the newest month with a forecast when left out.'),
]
YearQuery = Annotated[FinancialYearText | None, Query(description='A financial year, "2025/26".')]
AsAtQuery = Annotated[str | None, Query(max_length=40, description=AS_AT_DESCRIPTION)]


@router.get("/budget-lines", response_model=Page[BudgetLineRead])
def list_budget_lines(
    session: SessionDep,
    page: PageDep,
    financial_year: YearQuery = None,
    q: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
    include_retired: IncludeRetired = False,
) -> Page[BudgetLineRead]:
    """List the organisation's budget lines, optionally those with a budget in one year;
    retired lines only when asked."""
    items, total = service.list_budget_lines(
        session,
        page=page,
        financial_year=year_query(financial_year),
        q=q,
        include_retired=include_retired,
    )
    return crud.page(items, total, page, BudgetLineRead)


routes.add_routes(
    router,
    routes.Resource(
        BudgetLine,
        BudgetLineRead,
        what="budget line",
        path="/budget-lines",
        keyword="line",
    ),
    create=routes.Create(
        service.create_budget_line,
        doc="Add a budget line, with its original and current budget per financial year.",
    ),
    read=routes.Read("Read one budget line; its ETag is the version to send back in If-Match."),
    update=routes.Update(
        service.update_budget_line,
        doc="Change a budget line. Requires If-Match with the ETag you read (412 when stale).",
    ),
    retire=routes.Retire(),
    delete=routes.Delete(
        service.delete_budget_line, doc="Remove a budget line and its forecasts. Requires If-Match."
    ),
)


@router.get("/budget-lines/{line_id}/forecasts", response_model=Page[ForecastRead])
def list_forecasts(
    session: SessionDep,
    line_id: uuid.UUID,
    page: PageDep,
    financial_year: YearQuery = None,
    as_at: AsAtQuery = None,
) -> Page[ForecastRead]:
    """A line's monthly forecasts with variance, and movement since the latest earlier forecast
    and since the year's original forecast."""
    line = crud.get_or_404(session, BudgetLine, line_id, "budget line")
    forecasts = service.forecast_reads(
        line, financial_year=year_query(financial_year), as_at=as_at_query(as_at)
    )
    return crud.page_from(forecasts, page)


def _read_one(line_forecasts: list[ForecastRead], month: date) -> ForecastRead:
    return next(f for f in line_forecasts if f.month == month)


@router.post(
    "/budget-lines/{line_id}/forecasts",
    status_code=status.HTTP_201_CREATED,
    response_model=ForecastRead,
)
def add_forecast(
    session: SessionDep, line_id: uuid.UUID, data: ForecastCreate, response: Response
) -> ForecastRead:
    """Record the forecast outturn for a month (409 if that month already has one)."""
    line = crud.get_or_404(session, BudgetLine, line_id, "budget line")
    forecast = service.add_forecast(session, line=line, data=data)
    set_etag(response, forecast.version)
    return _read_one(service.forecast_reads(line), forecast.month)


@router.patch("/budget-lines/{line_id}/forecasts/{month}", response_model=ForecastRead)
def update_forecast(
    session: SessionDep,
    line_id: uuid.UUID,
    month: MonthText,
    data: ForecastUpdate,
    request: Request,
    response: Response,
) -> ForecastRead:
    """Change a month's forecast. Requires If-Match with the ETag you read."""
    line = crud.get_or_404(session, BudgetLine, line_id, "budget line")
    forecast = service.get_forecast(line, month=month_query(month) or date.min)
    crud.check_version(request, forecast)
    forecast = service.update_forecast(session, forecast=forecast, data=data)
    set_etag(response, forecast.version)
    return _read_one(service.forecast_reads(line), forecast.month)


def _position(session: SessionDep, month: str | None, as_at: str | None) -> BudgetPosition:
    day = as_at_query(as_at)
    if day is not None:
        if month:
            message = "Give a month or an as-at day, not both"
            raise ValidationFailed(message, errors=[FieldError("as_at", message)])
        latest = service.latest_forecast_month(session, as_at=day)
        return service.budget_position(
            session, month=latest or Period.month_of(day).start, as_at=day
        )
    chosen = month_query(month) or service.latest_forecast_month(session)
    if chosen is None:
        chosen = Period.month_of(date.today()).start
    return service.budget_position(session, month=chosen)


@router.get("/budget/position", response_model=BudgetPosition, **example(answer=POSITION))
def budget_position(
    session: SessionDep, month: MonthQuery = None, as_at: AsAtQuery = None
) -> BudgetPosition:
    """The budget monitor for a month (or as at a day: its financial year's latest month with a
    forecast on or before it): per line and in total, budget, forecast outturn, variance
    (+ overspend, - underspend), and movement since the latest earlier forecast and since the
    year's original forecast."""
    return _position(session, month, as_at)


@router.get("/budget/trend", response_model=BudgetTrend)
def budget_trend(
    session: SessionDep,
    financial_year: Annotated[
        FinancialYearText | None,
        Query(description='"2025/26"; when left out, the year of the latest forecast.'),
    ] = None,
) -> BudgetTrend:
    """The forecast outturn month by month through a financial year against its budget: each
    month, the forecasts made that month added up (months with none have no figure)."""
    year = year_query(financial_year)
    if year is None:
        latest = service.latest_forecast_month(session) or date.today()
        year = FinancialYear.containing(latest).label
    return service.budget_trend(session, financial_year=year)


@router.get("/budget/position.csv", response_class=Response)
def budget_position_csv(
    session: SessionDep, month: MonthQuery = None, as_at: AsAtQuery = None
) -> Response:
    """The budget monitor for a month as CSV."""
    position = _position(session, month, as_at)
    rows: list[list[object]] = [
        [
            line.service_area,
            line.name,
            line.cost_centre,
            line.original_budget,
            line.budget,
            line.forecast_outturn,
            line.variance,
            line.movement,
            line.commentary,
            line.original_forecast,
            line.movement_since_original,
        ]
        for line in position.lines
    ]
    t = position.totals
    rows.append(
        [
            "Total",
            "",
            "",
            t.original_budget,
            t.budget,
            t.forecast_outturn,
            t.variance,
            t.movement,
            "",
            t.original_forecast,
            t.movement_since_original,
        ]
    )
    return csv_response(
        f"budget-position-{month_code(position.month)}.csv",
        [
            "Service area",
            "Budget line",
            "Cost centre",
            "Original budget",
            "Current budget",
            "Forecast outturn",
            "Variance",
            "Movement",
            "Commentary",
            "Original forecast",
            "Movement since original forecast",
        ],
        rows,
    )
