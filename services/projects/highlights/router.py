"""HTTP routes of highlight reports, a project's monthly report with its history kept."""

import uuid
from typing import Any

from fastapi import APIRouter, Request

from common import crud, routes
from common.identity import Caller
from common.pagination import Page, PageDep
from services.projects.deps import SessionDep, project_guard
from services.projects.highlights import service
from services.projects.highlights.models import HighlightReport
from services.projects.highlights.schemas import HighlightReportRead
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


def _author(caller: Caller, request: Request) -> dict[str, Any]:
    """A report's author defaults to the signed-in person."""
    return {"author": caller.display_name or caller.user_id}


routes.add_routes(
    reports,
    routes.Resource(
        HighlightReport,
        HighlightReportRead,
        what="highlight report",
        keyword="report",
        guard=project_guard,
    ),
    create=routes.Create(
        service.create_highlight_report,
        doc="Write a project's report for a month; the author defaults to the signed-in person.",
        extra=_author,
    ),
    update=routes.Update(service.update_highlight_report),
    delete=routes.Delete(if_match=False),
)
