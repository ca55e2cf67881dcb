"""HTTP routes of the improvement plan's actions by area of accountability."""

from datetime import date
from typing import Annotated

from fastapi import Query

from common import crud, routes
from common.pagination import Page, PageDep
from common.periods import AS_AT_DESCRIPTION, as_at_query
from common.retiring import IncludeRetired
from services.projects.deps import SessionDep, plan_router
from services.projects.improvement import service
from services.projects.improvement.models import ImprovementAction
from services.projects.improvement.rules import ActionStatus, area_key, is_open, is_overdue
from services.projects.improvement.schemas import (
    AreaSummary,
    ImprovementActionRead,
    ImprovementPlanSummary,
)
from services.projects.schemas import NO_NUL

actions = plan_router("/improvement-actions", "improvement plan", "change the improvement plan")


def action_read(action: ImprovementAction, labels: dict[str, str]) -> ImprovementActionRead:
    return ImprovementActionRead.model_validate(
        {
            **{c.key: getattr(action, c.key) for c in ImprovementAction.__table__.columns},
            "area_label": labels.get(area_key(action.area), action.area),
            "open": is_open(status=action.status, completed_on=action.completed_on),
            "overdue": is_overdue(
                due_date=action.due_date,
                status=action.status,
                completed_on=action.completed_on,
                on=date.today(),
            ),
        }
    )


@actions.get("", response_model=Page[ImprovementActionRead])
def list_improvement_actions(
    session: SessionDep,
    page: PageDep,
    area: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
    status: ActionStatus | None = None,
    include_retired: IncludeRetired = False,
) -> Page[ImprovementActionRead]:
    """Improvement plan actions by area and due date (retired ones only when asked)."""
    items, total = service.list_improvement_actions(
        session, page=page, area=area, status=status, include_retired=include_retired
    )
    labels = service.area_labels(session)
    return crud.page_of([action_read(i, labels) for i in items], total, page)


@actions.get("/summary", response_model=ImprovementPlanSummary)
def improvement_plan_summary(
    session: SessionDep,
    as_at: Annotated[str | None, Query(max_length=40, description=AS_AT_DESCRIPTION)] = None,
) -> ImprovementPlanSummary:
    """How many actions remain open and how many are overdue, overall and in each area (labels
    differing only in case or spacing are one area), today or as at a day."""
    day = as_at_query(as_at)
    areas = service.improvement_plan_counts(session, as_at=day)
    return ImprovementPlanSummary(
        as_at=day,
        open=sum(a.open for a in areas),
        closed=sum(a.closed for a in areas),
        total=sum(a.total for a in areas),
        overdue=sum(a.overdue for a in areas),
        areas=[
            AreaSummary(area=a.area, open=a.open, closed=a.closed, total=a.total, overdue=a.overdue)
            for a in areas
        ],
    )


routes.add_routes(
    actions,
    routes.Resource(
        ImprovementAction,
        ImprovementActionRead,
        what="improvement action",
        keyword="action",
        respond=lambda session, row: action_read(row, service.area_labels(session)),
    ),
    create=routes.Create(service.create_improvement_action),
    update=routes.Update(service.update_improvement_action),
    retire=routes.Retire(),
    delete=routes.Delete(if_match=False),
)
