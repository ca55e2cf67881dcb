"""HTTP route of KPI tasks: the caller's own."""

from datetime import date

from fastapi import APIRouter

from common import crud
from common.db import SessionDep
from common.identity import CallerDep
from common.pagination import Page, PageDep
from common.tasks import OverdueItem, TaskItem, ordered
from services.kpi.tasks import service
from services.kpi.tasks.schemas import UnreportedMeasure

router = APIRouter()


@router.get("/tasks", response_model=Page[TaskItem], tags=["tasks"])
def my_kpi_tasks(session: SessionDep, caller: CallerDep, page: PageDep) -> Page[TaskItem]:
    """The caller's KPI tasks: figures due from their team in periods still open (overdue ones
    too), and figures waiting for their approval. Overdue first."""
    return crud.page_from(
        ordered(service.tasks_for(session, caller=caller, today=date.today())), page
    )


@router.get("/overdue", response_model=Page[OverdueItem], tags=["tasks"])
def overdue_figures(session: SessionDep, caller: CallerDep, page: PageDep) -> Page[OverdueItem]:
    """Every team's figures past their due date in the periods still open, each with the team
    that provides it: what a director chases. Oldest due first."""
    overdue = service.overdue(session, deadlines=caller.deadlines, today=date.today())
    return crud.page_from(ordered(overdue), page)


@router.get("/unreported", response_model=Page[UnreportedMeasure], tags=["tasks"])
def unreported_measures(session: SessionDep, page: PageDep) -> Page[UnreportedMeasure]:
    """Active measures with no figure sent (submitted or approved) for either of their last two
    ended periods: nobody is reporting them."""
    unreported = service.unreported(session, today=date.today())
    return crud.page_from([UnreportedMeasure.model_validate(m) for m in unreported], page)
