"""HTTP routes of milestones of projects, with slippage and overdue derived."""

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from common import crud, routes
from common.errors import FieldError, ValidationFailed
from common.identity import Caller
from common.pagination import Page, PageDep
from common.periods import AS_AT_DESCRIPTION, as_at_query
from services.projects.deps import SessionDep, project_guard
from services.projects.milestones import service
from services.projects.milestones.models import Milestone
from services.projects.milestones.rules import MilestoneStatus
from services.projects.milestones.schemas import MilestoneRead, milestone_read

milestones = APIRouter(prefix="/milestones", tags=["milestones"])


@milestones.get("", response_model=Page[MilestoneRead])
def list_milestones(
    session: SessionDep,
    page: PageDep,
    project_id: uuid.UUID | None = None,
    status: MilestoneStatus | None = None,
    overdue: bool | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    as_at: Annotated[str | None, Query(max_length=40, description=AS_AT_DESCRIPTION)] = None,
) -> Page[MilestoneRead]:
    """Milestones by due date (forecast, else baseline); as at a day, each as it stood then."""
    day = as_at_query(as_at)
    if day is not None and (status is not None or overdue is not None):
        message = "Filter by status or overdue today, or read as at a day, not both"
        raise ValidationFailed(message, errors=[FieldError("as_at", message)])
    on = day or date.today()
    items, total = service.list_milestones(
        session,
        page=page,
        today=on,
        project_id=project_id,
        status=status,
        overdue=overdue,
        due_from=due_from,
        due_to=due_to,
    )
    reads = [milestone_read(m, on, as_at=day is not None) for m in items]
    return crud.page_of(reads, total, page)


def _today(caller: Caller, request: Request) -> dict[str, Any]:
    return {"today": date.today()}


routes.add_routes(
    milestones,
    routes.Resource(
        Milestone,
        MilestoneRead,
        what="milestone",
        guard=project_guard,
        respond=lambda session, row: milestone_read(row, date.today()),
        extra=_today,
    ),
    create=routes.Create(
        service.create_milestone,
        doc="Add a milestone. It cannot be completed in the future.",
    ),
    update=routes.Update(
        service.update_milestone,
        doc="Change a milestone's forecast or record its completion. Requires If-Match.",
    ),
    delete=routes.Delete(if_match=False),
)
