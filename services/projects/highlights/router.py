"""HTTP routes of highlight reports, a project's monthly report with its history kept."""

import uuid

from fastapi import APIRouter, Request, Response, status

from common import crud
from common.pagination import Page, PageDep
from services.projects.deps import CallerDep, SessionDep, require_may_change_project_of
from services.projects.highlights import service
from services.projects.highlights.models import HighlightReport
from services.projects.highlights.schemas import (
    HighlightReportCreate,
    HighlightReportRead,
    HighlightReportUpdate,
)
from services.projects.schemas import PeriodCode

reports = APIRouter(prefix="/highlight-reports", tags=["highlight reports"])


@reports.get("", response_model=Page[HighlightReportRead])
def list_highlight_reports(
    session: SessionDep,
    page: PageDep,
    project_id: uuid.UUID | None = None,
    period: PeriodCode | None = None,
) -> Page[HighlightReportRead]:
    """Highlight reports, newest month first: a project's history."""
    items, total = service.list_highlight_reports(
        session, page=page, project_id=project_id, period=period
    )
    return crud.page(items, total, page, HighlightReportRead)


@reports.post("", status_code=status.HTTP_201_CREATED, response_model=HighlightReportRead)
def create_highlight_report(
    session: SessionDep, caller: CallerDep, data: HighlightReportCreate, response: Response
) -> HighlightReportRead:
    """Write a project's report for a month; the author defaults to the signed-in person."""
    require_may_change_project_of(session, caller, data.project_id)
    row = service.create_highlight_report(
        session, data=data, author=caller.display_name or caller.user_id
    )
    return crud.one(response, row, HighlightReportRead)


@reports.get("/{report_id}", response_model=HighlightReportRead)
def get_highlight_report(
    session: SessionDep, report_id: uuid.UUID, response: Response
) -> HighlightReportRead:
    row = crud.get_or_404(session, HighlightReport, report_id, "highlight report")
    return crud.one(response, row, HighlightReportRead)


@reports.patch("/{report_id}", response_model=HighlightReportRead)
def update_highlight_report(
    session: SessionDep,
    caller: CallerDep,
    report_id: uuid.UUID,
    data: HighlightReportUpdate,
    request: Request,
    response: Response,
) -> HighlightReportRead:
    row = crud.get_or_404(session, HighlightReport, report_id, "highlight report")
    require_may_change_project_of(session, caller, row.project_id)
    crud.check_version(request, row)
    row = service.update_highlight_report(session, report=row, data=data)
    return crud.one(response, row, HighlightReportRead)


@reports.delete("/{report_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_highlight_report(session: SessionDep, caller: CallerDep, report_id: uuid.UUID) -> None:
    row = crud.get_or_404(session, HighlightReport, report_id, "highlight report")
    require_may_change_project_of(session, caller, row.project_id)
    crud.delete(session, row)
