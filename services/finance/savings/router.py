"""HTTP routes of savings tracking: parse, call the service, shape the response."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlalchemy.orm import Session

from common import crud, routes
from common.concurrency import set_etag
from common.examples import example
from common.identity import Caller
from common.pagination import Page, PageDep, PageParams
from common.periods import (
    AS_AT_DESCRIPTION,
    FinancialYear,
    FinancialYearText,
    MonthText,
    as_at_query,
)
from common.retiring import IncludeRetired
from common.writing import csv_response
from services.finance.deps import (
    CallerDep,
    SessionDep,
    check_measures_exist,
    check_projects_exist,
    require_may_change,
)
from services.finance.savings import service
from services.finance.savings.examples import TRACKER
from services.finance.savings.models import ActivityMeasure, SavingsLine
from services.finance.savings.schemas import (
    ActivityMeasureCreate,
    ActivityMeasureRead,
    ActivityMeasureUpdate,
    Category,
    EntryCreate,
    EntryRead,
    EntryUpdate,
    SavingsLineCreate,
    SavingsLineRead,
    SavingsLineUpdate,
    SavingsTotals,
    SavingsTrend,
    SavingType,
    Status,
    TrackerPage,
)
from services.finance.schemas import month_query, year_query

router = APIRouter(tags=["savings"])
AsAtQuery = Annotated[str | None, Query(max_length=40, description=AS_AT_DESCRIPTION)]


def _year(value: str | None) -> str:
    return year_query(value) or FinancialYear.containing(date.today()).label


def _month(value: str) -> date:
    return month_query(value) or date.min


def _line_to_change(session: Session, caller: Caller, line_id: uuid.UUID) -> SavingsLine:
    """The savings line, if the caller may change it (404 before 403, as for any other id)."""
    line = crud.get_or_404(session, SavingsLine, line_id, "savings line")
    require_may_change(caller, line.owner_team)
    return line


ThisYearQuery = Annotated[
    FinancialYearText | None,
    Query(description='"2025/26"; the current financial year when left out.'),
]


def _as_at(as_at: AsAtQuery = None) -> str | None:
    return as_at


def _include_retired(include_retired: IncludeRetired = False) -> bool:
    return include_retired


@dataclass
class TrackerQuery:
    """The lines a tracker read is over, from the query: a dependency.

    FastAPI lists a dependency's own query parameters first and then its sub-dependencies', so
    `as_at` (and a list's `include_retired`), read through one, stay last as a subclass adds
    its own."""

    financial_year: FinancialYearText | None = None
    category: Category | None = None
    saving_type: SavingType | None = None
    owner_team: Annotated[str | None, Query(max_length=200)] = None
    project_id: uuid.UUID | None = None
    status: Status | None = None
    as_at: Annotated[str | None, Depends(_as_at)] = None

    def filters(self, include_retired: bool = False) -> service.TrackerFilters:
        day = as_at_query(self.as_at)
        year = self.financial_year
        if day is not None and not year:
            year = FinancialYear.containing(day).label
        return service.TrackerFilters(
            financial_year=_year(year),
            as_at=day,
            category=self.category.value if self.category else None,
            saving_type=self.saving_type.value if self.saving_type else None,
            owner_team=self.owner_team or None,
            project_id=self.project_id,
            status=self.status.value if self.status else None,
            include_retired=include_retired,
        )


SortQuery = Annotated[
    Literal[
        "reference",
        "-reference",
        "title",
        "-title",
        "owner",
        "-owner",
        "category",
        "-category",
        "target",
        "-target",
        "achieved",
        "-achieved",
        "forecast",
        "-forecast",
        "slippage",
        "-slippage",
        "confidence",
        "-confidence",
        "status",
        "-status",
    ],
    Query(
        description="reference, title, owner, category, target, achieved, forecast, slippage, "
        "confidence or status; a leading - for descending."
    ),
]


@dataclass
class SortedTrackerQuery(TrackerQuery):
    sort: SortQuery = "reference"


@dataclass
class TrackerListQuery(SortedTrackerQuery):
    financial_year: ThisYearQuery = None
    include_retired: Annotated[bool, Depends(_include_retired)] = False


@router.get("/savings-lines", response_model=TrackerPage, **example(answer=TRACKER))
def list_savings_lines(
    session: SessionDep, query: Annotated[TrackerListQuery, Depends()], page: PageDep
) -> TrackerPage:
    """The savings tracker: lines with a target in the year, their target, achieved, forecast and
    slippage in it, filtered and sorted, with totals across every matching line. Retired lines
    are left out unless asked for."""
    filters = query.filters(include_retired=query.include_retired)
    rows, total, totals = service.tracker(session, filters=filters, page=page, sort=query.sort)
    return TrackerPage(
        items=rows,
        total=total,
        limit=page.limit,
        offset=page.offset,
        financial_year=filters.financial_year,
        totals=totals,
    )


@router.get("/savings-lines/export.csv", response_class=Response)
def export_savings_lines(
    session: SessionDep, query: Annotated[SortedTrackerQuery, Depends()]
) -> Response:
    """The savings tracker as CSV: every matching line and a totals row."""
    filters = query.filters()
    everything = PageParams(limit=100_000, offset=0)
    rows, _total, totals = service.tracker(
        session, filters=filters, page=everything, sort=query.sort
    )
    data: list[list[object]] = [
        [
            r.reference,
            r.title,
            r.owner_team,
            r.category.label,
            r.saving_type.label,
            r.recurrence.value.replace("_", "-"),
            r.status.value.replace("_", " "),
            r.delivery_confidence.value,
            r.selected.target,
            r.selected.full_year_effect,
            r.selected.achieved_to_date,
            r.selected.forecast_for_year,
            r.selected.slippage,
            " ".join(str(p) for p in r.project_ids),
        ]
        for r in rows
    ]
    for kind in totals.by_type:
        data.append(
            [
                f"Total {kind.label.lower()}",
                f"{kind.lines} lines",
                "",
                "",
                kind.label,
                "",
                "",
                "",
                kind.target,
                kind.full_year_effect,
                kind.achieved_to_date,
                kind.forecast_for_year,
                kind.slippage,
                "",
            ]
        )
    data.append(
        [
            "Total",
            f"{totals.lines} lines",
            "",
            "",
            "",
            "",
            "",
            "",
            totals.target,
            totals.full_year_effect,
            totals.achieved_to_date,
            totals.forecast_for_year,
            totals.slippage,
            "",
        ]
    )
    return csv_response(
        f"savings-{filters.financial_year.replace('/', '-')}.csv",
        [
            "Reference",
            "Title",
            "Owner",
            "Category",
            "Type",
            "Recurring or one-off",
            "Status",
            "Delivery confidence",
            f"Target {filters.financial_year}",
            "Full-year effect",
            "Achieved to date",
            "Forecast for year",
            "Slippage",
            "Project ids",
        ],
        data,
    )


@router.get("/savings/totals", response_model=SavingsTotals)
def savings_totals(
    session: SessionDep,
    query: Annotated[TrackerQuery, Depends()],
    by: Annotated[
        Literal["year", "category", "type", "project", "owner"],
        Query(
            description="Group by financial year (every year), or within one year by category, "
            "type, project or owner."
        ),
    ] = "year",
) -> SavingsTotals:
    """Target, full-year effect, achieved, forecast and slippage totalled by financial year (all
    years), or within one year by category, type, project or owner."""
    filters = query.filters()
    return service.totals(
        session, by=by, filters=None if by == "year" else filters, as_at=filters.as_at
    )


@router.get("/savings/trend", response_model=SavingsTrend)
def savings_trend(
    session: SessionDep,
    financial_year: ThisYearQuery = None,
    saving_type: SavingType = SavingType.CASHABLE,
) -> SavingsTrend:
    """One type of saving (cashable unless asked) month by month through a financial year:
    achieved to date and forecast for the year, totalled over every line's latest return by
    each month, against the in-year target."""
    return service.trend(
        session, financial_year=_year(financial_year), saving_type=saving_type.value
    )


@router.get("/savings/owners", response_model=Page[str])
def savings_owners(session: SessionDep, page: PageDep) -> Page[str]:
    """The teams that own savings lines, by name."""
    return crud.page_from(service.owners(session), page)


@router.post("/savings-lines", status_code=status.HTTP_201_CREATED, response_model=SavingsLineRead)
def create_savings_line(
    session: SessionDep,
    caller: CallerDep,
    data: SavingsLineCreate,
    request: Request,
    response: Response,
) -> SavingsLineRead:
    """Add a savings line. Linked projects must exist in the projects service; a service lead
    may add lines for their own team only."""
    require_may_change(caller, data.owner_team)
    check_projects_exist(request, data.project_ids)
    if data.kpi_measure_id is not None:
        check_measures_exist(request, [("kpi_measure_id", data.kpi_measure_id)])
    line = service.create_line(session, data=data)
    set_etag(response, line.version)
    return service.line_read(session, line)


@router.get("/savings-lines/{line_id}", response_model=SavingsLineRead)
def get_savings_line(
    session: SessionDep, line_id: uuid.UUID, response: Response
) -> SavingsLineRead:
    """Read one savings line with its progress; the ETag is the version to send in If-Match."""
    line = crud.get_or_404(session, SavingsLine, line_id, "savings line")
    set_etag(response, line.version)
    return service.line_read(session, line)


@router.patch("/savings-lines/{line_id}", response_model=SavingsLineRead)
def update_savings_line(
    session: SessionDep,
    caller: CallerDep,
    line_id: uuid.UUID,
    data: SavingsLineUpdate,
    request: Request,
    response: Response,
) -> SavingsLineRead:
    """Change a savings line. Requires If-Match with the ETag you read (412 when stale)."""
    line = _line_to_change(session, caller, line_id)
    if data.owner_team is not None:
        require_may_change(caller, data.owner_team)  # nor hand it to another team
    crud.check_version(request, line)
    if data.project_ids:
        new = [p for p in data.project_ids if p not in (line.project_ids or [])]
        check_projects_exist(request, new)
    if data.kpi_measure_id is not None and data.kpi_measure_id != line.kpi_measure_id:
        check_measures_exist(request, [("kpi_measure_id", data.kpi_measure_id)])
    line = service.update_line(session, line=line, data=data)
    set_etag(response, line.version)
    return service.line_read(session, line)


routes.add_routes(
    router,
    routes.Resource(
        SavingsLine,
        SavingsLineRead,
        what="savings line",
        path="/savings-lines",
        keyword="line",
        respond=service.line_read,
    ),
    read=None,
    retire=routes.Retire(
        may_change=lambda caller, line: require_may_change(caller, line.owner_team)
    ),
)


@router.delete("/savings-lines/{line_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_savings_line(
    session: SessionDep, caller: CallerDep, line_id: uuid.UUID, request: Request
) -> None:
    """Remove a savings line with its entries. Requires If-Match."""
    line = _line_to_change(session, caller, line_id)
    crud.check_version(request, line)
    service.delete_line(session, line=line)


@router.get("/savings-lines/{line_id}/entries", response_model=Page[EntryRead])
def list_entries(
    session: SessionDep,
    line_id: uuid.UUID,
    page: PageDep,
    financial_year: Annotated[
        FinancialYearText | None, Query(description="Only this year.")
    ] = None,
) -> Page[EntryRead]:
    """The line's monthly returns, oldest first, each with its slippage against the target."""
    line = crud.get_or_404(session, SavingsLine, line_id, "savings line")
    return crud.page_from(
        service.entry_reads(line, financial_year=year_query(financial_year)), page
    )


@router.post(
    "/savings-lines/{line_id}/entries",
    status_code=status.HTTP_201_CREATED,
    response_model=EntryRead,
)
def add_entry(
    session: SessionDep,
    caller: CallerDep,
    line_id: uuid.UUID,
    data: EntryCreate,
    response: Response,
) -> EntryRead:
    """Record a month's return: achieved to date and forecast for the year (409 if the month
    already has one)."""
    line = _line_to_change(session, caller, line_id)
    entry = service.add_entry(session, line=line, data=data)
    set_etag(response, entry.version)
    return service.entry_read(line, entry)


@router.get("/savings-lines/{line_id}/entries/{month}", response_model=EntryRead)
def get_entry(
    session: SessionDep, line_id: uuid.UUID, month: MonthText, response: Response
) -> EntryRead:
    """One month's return; its ETag is the version to send in If-Match."""
    line = crud.get_or_404(session, SavingsLine, line_id, "savings line")
    entry = service.get_entry(line, month=_month(month))
    set_etag(response, entry.version)
    return service.entry_read(line, entry)


@router.patch("/savings-lines/{line_id}/entries/{month}", response_model=EntryRead)
def update_entry(
    session: SessionDep,
    caller: CallerDep,
    line_id: uuid.UUID,
    month: MonthText,
    data: EntryUpdate,
    request: Request,
    response: Response,
) -> EntryRead:
    """Change a month's return. Requires If-Match with the ETag you read."""
    line = _line_to_change(session, caller, line_id)
    entry = service.get_entry(line, month=_month(month))
    crud.check_version(request, entry)
    entry = service.update_entry(session, entry=entry, data=data)
    set_etag(response, entry.version)
    return service.entry_read(line, entry)


@router.post(
    "/savings-lines/{line_id}/activity-measures",
    status_code=status.HTTP_201_CREATED,
    response_model=ActivityMeasureRead,
)
def add_activity_measure(
    session: SessionDep,
    caller: CallerDep,
    line_id: uuid.UUID,
    data: ActivityMeasureCreate,
    response: Response,
) -> ActivityMeasureRead:
    """Add the volume that drives the saving: planned and done so far."""
    line = _line_to_change(session, caller, line_id)
    measure = service.add_measure(session, line=line, data=data)
    set_etag(response, measure.version)
    return service.measure_read(measure)


@router.patch("/activity-measures/{measure_id}", response_model=ActivityMeasureRead)
def update_activity_measure(
    session: SessionDep,
    caller: CallerDep,
    measure_id: uuid.UUID,
    data: ActivityMeasureUpdate,
    request: Request,
    response: Response,
) -> ActivityMeasureRead:
    """Change an activity measure (e.g. reviews done). Requires If-Match."""
    measure = crud.get_or_404(session, ActivityMeasure, measure_id, "activity measure")
    require_may_change(caller, measure.line.owner_team)
    crud.check_version(request, measure)
    measure = service.update_measure(session, measure=measure, data=data)
    set_etag(response, measure.version)
    return service.measure_read(measure)


@router.delete("/activity-measures/{measure_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_activity_measure(
    session: SessionDep, caller: CallerDep, measure_id: uuid.UUID, request: Request
) -> None:
    """Remove an activity measure. Requires If-Match."""
    measure = crud.get_or_404(session, ActivityMeasure, measure_id, "activity measure")
    require_may_change(caller, measure.line.owner_team)
    crud.check_version(request, measure)
    service.delete_measure(session, measure=measure)
