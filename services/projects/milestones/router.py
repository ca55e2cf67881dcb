"""HTTP routes of milestones of projects, with slippage and overdue derived."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from common import crud
from common.concurrency import set_etag
from common.errors import FieldError, ValidationFailed
from common.pagination import Page, PageDep
from common.periods import AS_AT_DESCRIPTION, as_at_query
from services.projects.deps import CallerDep, SessionDep, require_may_change_project_of
from services.projects.milestones import service
from services.projects.milestones.models import Milestone
from services.projects.milestones.rules import MilestoneStatus
from services.projects.milestones.schemas import (
    MilestoneCreate,
    MilestoneRead,
    MilestoneUpdate,
    milestone_read,
)

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


@milestones.post("", status_code=status.HTTP_201_CREATED, response_model=MilestoneRead)
def create_milestone(
    session: SessionDep, caller: CallerDep, data: MilestoneCreate, response: Response
) -> MilestoneRead:
    """Add a milestone. It cannot be completed in the future."""
    require_may_change_project_of(session, caller, data.project_id)
    row = service.create_milestone(session, data=data, today=date.today())
    set_etag(response, row.version)
    return milestone_read(row, date.today())


@milestones.get("/{milestone_id}", response_model=MilestoneRead)
def get_milestone(
    session: SessionDep, milestone_id: uuid.UUID, response: Response
) -> MilestoneRead:
    row = crud.get_or_404(session, Milestone, milestone_id, "milestone")
    set_etag(response, row.version)
    return milestone_read(row, date.today())


@milestones.patch("/{milestone_id}", response_model=MilestoneRead)
def update_milestone(
    session: SessionDep,
    caller: CallerDep,
    milestone_id: uuid.UUID,
    data: MilestoneUpdate,
    request: Request,
    response: Response,
) -> MilestoneRead:
    """Change a milestone's forecast or record its completion. Requires If-Match."""
    row = crud.get_or_404(session, Milestone, milestone_id, "milestone")
    require_may_change_project_of(session, caller, row.project_id)
    crud.check_version(request, row)
    row = service.update_milestone(session, milestone=row, data=data, today=date.today())
    set_etag(response, row.version)
    return milestone_read(row, date.today())


@milestones.delete("/{milestone_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_milestone(session: SessionDep, caller: CallerDep, milestone_id: uuid.UUID) -> None:
    row = crud.get_or_404(session, Milestone, milestone_id, "milestone")
    require_may_change_project_of(session, caller, row.project_id)
    crud.delete(session, row)
