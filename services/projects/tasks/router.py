"""HTTP route of project tasks: the caller's own."""

from datetime import date

from fastapi import APIRouter

from common import crud
from common.db import SessionDep
from common.identity import CallerDep
from common.pagination import Page, PageDep
from common.tasks import OverdueItem, TaskItem, ordered
from services.projects.tasks import service

router = APIRouter()


@router.get("/tasks", response_model=Page[TaskItem], tags=["tasks"])
def my_project_tasks(session: SessionDep, caller: CallerDep, page: PageDep) -> Page[TaskItem]:
    """The caller's project tasks: milestones of their team's projects and improvement actions
    they own, due within 30 days or overdue, and this month's highlight reports of their
    projects in delivery. Overdue first."""
    return crud.page_from(
        ordered(service.tasks_for(session, caller=caller, today=date.today())), page
    )


@router.get("/overdue", response_model=Page[OverdueItem], tags=["tasks"])
def overdue_project_items(session: SessionDep, page: PageDep) -> Page[OverdueItem]:
    """Every open project's milestones and every improvement action past their due date, each
    with the team (or person) it is waiting on: what a director chases. Oldest due first."""
    return crud.page_from(ordered(service.overdue(session, today=date.today())), page)
