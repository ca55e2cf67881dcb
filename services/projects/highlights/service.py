"""Use cases of highlight reports, a project's monthly report with its history kept.

Keyword-only functions that flush but never commit.
"""

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import crud
from common.errors import FieldError
from common.pagination import PageParams, paginate
from common.periods import Period
from services.projects.highlights.models import HighlightReport
from services.projects.highlights.rules import period_errors
from services.projects.highlights.schemas import (
    HighlightReportCreate,
    HighlightReportUpdate,
)
from services.projects.portfolio.service import project_must_exist


def list_highlight_reports(
    session: Session,
    *,
    page: PageParams,
    project_id: uuid.UUID | None = None,
    period: str | None = None,
) -> tuple[list[HighlightReport], int]:
    """Reports, newest period first."""
    statement = select(HighlightReport).order_by(
        HighlightReport.period_start.desc(), HighlightReport.created_at.desc()
    )
    if project_id is not None:
        statement = statement.where(HighlightReport.project_id == project_id)
    if period is not None:
        statement = statement.where(HighlightReport.period == period)
    return paginate(session, statement, page)


def create_highlight_report(
    session: Session, *, data: HighlightReportCreate, author: str
) -> HighlightReport:
    """Add a project's report for a month (one per month; earlier months stay as history)."""
    errors = project_must_exist(session, data.project_id) + period_errors(data.period, date.today())
    taken = session.scalar(
        select(HighlightReport.id).where(
            HighlightReport.project_id == data.project_id, HighlightReport.period == data.period
        )
    )
    if taken:
        errors.append(
            FieldError("period", "This project already has a report for this month; change it")
        )
    crud.fail(errors)
    values = data.model_dump() | {
        "author": data.author or author,
        "period_start": Period.parse(data.period).start,
    }
    return crud.save(session, HighlightReport(), values)


def update_highlight_report(
    session: Session, *, report: HighlightReport, data: HighlightReportUpdate
) -> HighlightReport:
    return crud.save(session, report, crud.updates(HighlightReport, data))
