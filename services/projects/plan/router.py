"""HTTP routes of council plan priorities and the service plan's objectives."""

import uuid

from fastapi import APIRouter, Depends, Request, Response, status

from common import crud, retiring
from common.pagination import Page, PageDep
from common.retiring import IncludeRetired
from services.projects.deps import SessionDep, kpi_measure_check, plan_editors_write
from services.projects.plan import service
from services.projects.plan.models import Objective, Priority
from services.projects.plan.schemas import (
    ObjectiveCreate,
    ObjectiveRead,
    ObjectiveUpdate,
    PriorityCreate,
    PriorityRead,
    PriorityUpdate,
)

priorities = APIRouter(
    prefix="/priorities",
    tags=["priorities"],
    dependencies=[Depends(plan_editors_write("change council plan priorities"))],
)


@priorities.get("", response_model=Page[PriorityRead])
def list_priorities(
    session: SessionDep, page: PageDep, include_retired: IncludeRetired = False
) -> Page[PriorityRead]:
    """List the organisation's council plan priorities (retired ones only when asked)."""
    items, total = service.list_priorities(session, page=page, include_retired=include_retired)
    return crud.page(items, total, page, PriorityRead)


@priorities.post("", status_code=status.HTTP_201_CREATED, response_model=PriorityRead)
def create_priority(session: SessionDep, data: PriorityCreate, response: Response) -> PriorityRead:
    """Add a council plan priority."""
    row = service.create_priority(session, data=data)
    return crud.one(response, row, PriorityRead)


@priorities.get("/{priority_id}", response_model=PriorityRead)
def get_priority(session: SessionDep, priority_id: uuid.UUID, response: Response) -> PriorityRead:
    row = crud.get_or_404(session, Priority, priority_id, "priority")
    return crud.one(response, row, PriorityRead)


@priorities.patch("/{priority_id}", response_model=PriorityRead)
def update_priority(
    session: SessionDep,
    priority_id: uuid.UUID,
    data: PriorityUpdate,
    request: Request,
    response: Response,
) -> PriorityRead:
    """Change a priority. Requires If-Match with the ETag you read (412 when stale)."""
    row = crud.get_or_404(session, Priority, priority_id, "priority")
    crud.check_version(request, row)
    row = service.update_priority(session, priority=row, data=data)
    return crud.one(response, row, PriorityRead)


retiring.add_routes(priorities, Priority, PriorityRead, what="priority", id_name="priority_id")


@priorities.delete("/{priority_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_priority(session: SessionDep, priority_id: uuid.UUID) -> None:
    """Remove a priority that no objective serves (409 otherwise)."""
    service.delete_priority(
        session, priority=crud.get_or_404(session, Priority, priority_id, "priority")
    )


objectives = APIRouter(
    prefix="/objectives",
    tags=["objectives"],
    dependencies=[Depends(plan_editors_write("change the service plan's objectives"))],
)


@objectives.get("", response_model=Page[ObjectiveRead])
def list_objectives(
    session: SessionDep,
    page: PageDep,
    priority_id: uuid.UUID | None = None,
    kpi_measure_id: uuid.UUID | None = None,
    council_plan: bool | None = None,
    include_retired: IncludeRetired = False,
) -> Page[ObjectiveRead]:
    """Objectives by number; filter by the priority they serve or a KPI that measures them.
    Retired objectives are left out unless asked for."""
    items, total = service.list_objectives(
        session,
        page=page,
        include_retired=include_retired,
        priority_id=priority_id,
        kpi_measure_id=kpi_measure_id,
        council_plan=council_plan,
    )
    return crud.page(items, total, page, ObjectiveRead)


@objectives.post("", status_code=status.HTTP_201_CREATED, response_model=ObjectiveRead)
def create_objective(
    session: SessionDep, data: ObjectiveCreate, request: Request, response: Response
) -> ObjectiveRead:
    """Add an objective. Its KPI measure ids are checked with the kpi service."""
    row = service.create_objective(session, data=data, measure_exists=kpi_measure_check(request))
    return crud.one(response, row, ObjectiveRead)


@objectives.get("/{objective_id}", response_model=ObjectiveRead)
def get_objective(
    session: SessionDep, objective_id: uuid.UUID, response: Response
) -> ObjectiveRead:
    row = crud.get_or_404(session, Objective, objective_id, "objective")
    return crud.one(response, row, ObjectiveRead)


@objectives.patch("/{objective_id}", response_model=ObjectiveRead)
def update_objective(
    session: SessionDep,
    objective_id: uuid.UUID,
    data: ObjectiveUpdate,
    request: Request,
    response: Response,
) -> ObjectiveRead:
    """Change an objective. Requires If-Match (412 when stale)."""
    row = crud.get_or_404(session, Objective, objective_id, "objective")
    crud.check_version(request, row)
    row = service.update_objective(
        session, objective=row, data=data, measure_exists=kpi_measure_check(request)
    )
    return crud.one(response, row, ObjectiveRead)


@objectives.delete("/{objective_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_objective(session: SessionDep, objective_id: uuid.UUID) -> None:
    """Remove an objective no project is linked to (409 otherwise)."""
    service.delete_objective(
        session, objective=crud.get_or_404(session, Objective, objective_id, "objective")
    )


retiring.add_routes(objectives, Objective, ObjectiveRead, what="objective", id_name="objective_id")
