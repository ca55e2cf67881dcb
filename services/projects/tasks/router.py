"""HTTP route of project tasks: the caller's own."""

from datetime import date

from fastapi import APIRouter

from common import crud
from common.db import SessionDep
from common.identity import CallerDep
from common.pagination import Page, PageDep
from common.tasks import TaskItem, ordered
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
