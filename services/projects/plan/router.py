"""HTTP routes of council plan priorities and the service plan's objectives."""

import uuid
from typing import Any

from fastapi import Request

from common import crud, routes
from common.identity import Caller
from common.pagination import Page, PageDep
from common.retiring import IncludeRetired
from services.projects.deps import SessionDep, kpi_measure_check, plan_router
from services.projects.plan import service
from services.projects.plan.models import Objective, Priority
from services.projects.plan.schemas import ObjectiveRead, PriorityRead

priorities = plan_router("/priorities", "priorities", "change council plan priorities")


@priorities.get("", response_model=Page[PriorityRead])
def list_priorities(
    session: SessionDep, page: PageDep, include_retired: IncludeRetired = False
) -> Page[PriorityRead]:
    """List the organisation's council plan priorities (retired ones only when asked)."""
    items, total = service.list_priorities(session, page=page, include_retired=include_retired)
    return crud.page(items, total, page, PriorityRead)


routes.add_routes(
    priorities,
    routes.Resource(Priority, PriorityRead, what="priority"),
    create=routes.Create(service.create_priority, doc="Add a council plan priority."),
    update=routes.Update(
        service.update_priority,
        doc="Change a priority. Requires If-Match with the ETag you read (412 when stale).",
    ),
    retire=routes.Retire(),
    delete=routes.Delete(
        service.delete_priority,
        doc="Remove a priority that no objective serves (409 otherwise).",
        if_match=False,
    ),
)


objectives = plan_router("/objectives", "objectives", "change the service plan's objectives")


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


def _measure_check(caller: Caller, request: Request) -> dict[str, Any]:
    """An objective's KPI measure ids are checked with the kpi service."""
    return {"measure_exists": kpi_measure_check(request)}


routes.add_routes(
    objectives,
    routes.Resource(Objective, ObjectiveRead, what="objective", extra=_measure_check),
    create=routes.Create(
        service.create_objective,
        doc="Add an objective. Its KPI measure ids are checked with the kpi service.",
    ),
    update=routes.Update(
        service.update_objective,
        doc="Change an objective. Requires If-Match (412 when stale).",
    ),
    retire=routes.Retire(),
    delete=routes.Delete(
        service.delete_objective,
        doc="Remove an objective no project is linked to (409 otherwise).",
        if_match=False,
    ),
)
