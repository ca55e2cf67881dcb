"""HTTP routes of the reports: a measure's series and the scorecard for a period."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from common import crud
from common.db import SessionDep
from common.errors import FieldError, ValidationFailed
from common.pagination import PageDep
from common.periods import AS_AT_DESCRIPTION, Frequency, PeriodText, as_at_query
from common.retiring import IncludeRetired
from services.kpi.deps import SortQuery, period_param, year_param
from services.kpi.measures.models import Measure
from services.kpi.scorecard import service
from services.kpi.scorecard.rules import Rag, period_ended_by
from services.kpi.scorecard.schemas import (
    AreaStatus,
    Scorecard,
    ScorecardRow,
    Series,
    ServiceAreas,
)

router = APIRouter()
AsAtQuery = Annotated[
    str | None, Query(max_length=40, description=AS_AT_DESCRIPTION, examples=["2026/27 Q2"])
]


@router.get("/measures/{measure_id}/series", response_model=Series, tags=["reports"])
def measure_series(
    session: SessionDep,
    measure_id: uuid.UUID,
    from_year: Annotated[str | None, Query(examples=["2025/26"])] = None,
    to_year: Annotated[str | None, Query(examples=["2027/28"])] = None,
    as_at: AsAtQuery = None,
) -> Series:
    """Every period of a measure up to the latest complete one: target, actual, RAG, direction."""
    until = as_at_query(as_at)
    measure = crud.get_or_404(session, Measure, measure_id, "measure")
    found = service.series(
        session,
        measure=measure,
        as_at=until,
        from_year=year_param(from_year, "from_year"),
        to_year=year_param(to_year, "to_year"),
    )
    return Series.model_validate(found, from_attributes=True)


@router.get("/scorecard", response_model=Scorecard, tags=["reports"])
def get_scorecard(
    session: SessionDep,
    page: PageDep,
    period: Annotated[
        PeriodText | None,
        Query(description="Defaults to the latest complete month.", examples=["2025-10"]),
    ] = None,
    service_area: str | None = None,
    council_plan: bool | None = None,
    frequency: Frequency | None = None,
    data_provider: str | None = None,
    rag: Rag | None = None,
    search: Annotated[str | None, Query(max_length=100)] = None,
    sort: SortQuery = "code",
    as_at: AsAtQuery = None,
    include_retired: IncludeRetired = False,
) -> Scorecard:
    """Every active measure's status for a period, each in its own latest period ended by then;
    `as_at` instead: each in its latest period ended by then that has an approved figure.
    Retired measures too with `include_retired=true`."""
    until = as_at_query(as_at)
    if until is not None and period:
        raise ValidationFailed(
            "Give a period or as_at, not both.",
            errors=[FieldError("as_at", "Leave out period when asking for figures as at a date")],
        )
    if until is not None:
        report_period = period_ended_by(Frequency.MONTHLY, until)
    else:
        report_period = period_param(period) if period else service.latest_complete_month()
    rows, total, counts = service.scorecard(
        session,
        period=report_period,
        page=page,
        rag_filter=rag,
        sort=sort,
        service_area=service_area,
        council_plan=council_plan,
        frequency=frequency,
        data_provider=data_provider,
        active=None if include_retired else True,
        search=search,
        as_at=until is not None,
    )
    return Scorecard(
        period=report_period.code,
        as_at=until,
        items=[ScorecardRow.model_validate(row, from_attributes=True) for row in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
        counts=counts,
    )


@router.get("/scorecard/service-areas", response_model=ServiceAreas, tags=["reports"])
def scorecard_by_service_area(
    session: SessionDep,
    period: Annotated[
        PeriodText | None,
        Query(description="Defaults to the latest complete month.", examples=["2025-10"]),
    ] = None,
) -> ServiceAreas:
    """Active measures by RAG in each service area, each in its latest period ended by the
    period asked for and in the period before it, with the area's direction of travel: better
    when more measures moved up a RAG than down, worse when more moved down."""
    report_period = period_param(period) if period else service.latest_complete_month()
    return ServiceAreas(
        period=report_period.code,
        label=report_period.label,
        previous_label=report_period.previous().label,
        areas=[
            AreaStatus.model_validate(area)
            for area in service.service_areas(session, period=report_period)
        ],
    )
