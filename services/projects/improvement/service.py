"""Use cases of the improvement plan's actions by area of accountability.

Keyword-only functions that flush but never commit.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import crud
from common.pagination import PageParams, paginate
from services.projects.improvement.models import ImprovementAction
from services.projects.improvement.rules import AreaCount, action_counts
from services.projects.improvement.schemas import (
    ImprovementActionCreate,
    ImprovementActionUpdate,
)


def list_improvement_actions(
    session: Session,
    *,
    page: PageParams,
    area: str | None = None,
    status: str | None = None,
) -> tuple[list[ImprovementAction], int]:
    statement = select(ImprovementAction).order_by(
        ImprovementAction.area, ImprovementAction.due_date.nulls_last(), ImprovementAction.action
    )
    if area is not None:
        statement = statement.where(ImprovementAction.area == area)
    if status is not None:
        statement = statement.where(ImprovementAction.status == status)
    return paginate(session, statement, page)


def create_improvement_action(
    session: Session, *, data: ImprovementActionCreate
) -> ImprovementAction:
    return crud.save(session, ImprovementAction(), data.model_dump())


def update_improvement_action(
    session: Session, *, action: ImprovementAction, data: ImprovementActionUpdate
) -> ImprovementAction:
    values = crud.updates(ImprovementAction, data)
    return crud.save(session, action, values)


def improvement_plan_counts(session: Session) -> list[AreaCount]:
    """Open and closed actions in each area."""
    pairs = session.execute(select(ImprovementAction.area, ImprovementAction.status))
    return action_counts(pairs)
