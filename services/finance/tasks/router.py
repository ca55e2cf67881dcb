"""HTTP route of finance tasks: the caller's own."""

from datetime import date

from fastapi import APIRouter

from common import crud
from common.db import SessionDep
from common.identity import CallerDep
from common.pagination import Page, PageDep
from common.tasks import TaskItem, ordered
from services.finance.tasks import service

router = APIRouter()


@router.get("/tasks", response_model=Page[TaskItem], tags=["tasks"])
def my_finance_tasks(session: SessionDep, caller: CallerDep, page: PageDep) -> Page[TaskItem]:
    """The caller's finance tasks: last month's savings returns due from their team."""
    return crud.page_from(
        ordered(service.tasks_for(session, caller=caller, today=date.today())), page
    )
