"""Use cases of the finance service: keyword-only, flush but never commit."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.pagination import PageParams, paginate
from services.finance.models import BudgetLine
from services.finance.schemas import BudgetLineCreate


def list_budget_lines(session: Session, *, page: PageParams) -> tuple[list[BudgetLine], int]:
    """The organisation's budget lines."""
    return paginate(
        session, select(BudgetLine).order_by(BudgetLine.cost_centre, BudgetLine.name), page
    )


def create_budget_line(session: Session, *, data: BudgetLineCreate) -> BudgetLine:
    """Add a budget line."""
    row = BudgetLine(**data.model_dump())
    session.add(row)
    session.flush()
    return row
