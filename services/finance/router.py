"""HTTP routes of the finance service: parse, call the service, shape the response."""

from fastapi import APIRouter, status

from common.db import SessionDep
from common.pagination import Page, PageDep
from services.finance import service
from services.finance.schemas import BudgetLineCreate, BudgetLineRead

router = APIRouter(prefix="/budget-lines", tags=["budget-lines"])


@router.get("", response_model=Page[BudgetLineRead])
def list_budget_lines(session: SessionDep, page: PageDep) -> Page[BudgetLineRead]:
    """List the organisation's budget lines."""
    items, total = service.list_budget_lines(session, page=page)
    return Page(
        items=[BudgetLineRead.model_validate(i) for i in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=BudgetLineRead)
def create_budget_line(session: SessionDep, data: BudgetLineCreate) -> BudgetLineRead:
    """Add a budget line."""
    return BudgetLineRead.model_validate(service.create_budget_line(session, data=data))
