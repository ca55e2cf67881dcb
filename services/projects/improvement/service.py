"""Use cases of the improvement plan's actions by area of accountability.

Keyword-only functions that flush but never commit.
"""

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common import crud, retiring
from common.pagination import PageParams, paginate
from services.projects.improvement.models import ImprovementAction
from services.projects.improvement.rules import (
    ActionFacts,
    ActionStatus,
    AreaCount,
    action_counts,
    area_key,
    completion_errors,
)
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
    include_retired: bool = False,
) -> tuple[list[ImprovementAction], int]:
    key = _area_key_sql()
    statement = select(ImprovementAction).order_by(
        key, ImprovementAction.due_date.nulls_last(), ImprovementAction.action
    )
    statement = retiring.in_use(statement, ImprovementAction, include_retired)
    if area is not None:
        statement = statement.where(key == area_key(area))
    if status is not None:
        statement = statement.where(ImprovementAction.status == status)
    return paginate(session, statement, page)


def _area_key_sql() -> Any:
    """rules.area_key in SQL: one area however its label is cased or spaced."""
    spaced = func.regexp_replace(func.btrim(ImprovementAction.area), r"\s+", " ", "g")
    return func.lower(spaced)


def area_labels(session: Session) -> dict[str, str]:
    """Each area (by rules.area_key) as it was first written."""
    labels: dict[str, str] = {}
    rows = session.scalars(
        select(ImprovementAction.area).order_by(ImprovementAction.created_at, ImprovementAction.id)
    )
    for area in rows:
        labels.setdefault(area_key(area), " ".join(area.split()))
    return labels


def _completion(values: dict[str, Any], status: str, completed_on: date | None) -> dict[str, Any]:
    """Keep the day of completion: given, or today when completed without one; none while open."""
    crud.fail(completion_errors(completed_on, date.today()))
    if status == ActionStatus.COMPLETED:
        return values | {"completed_on": completed_on or date.today()}
    return values | {"completed_on": None}


def create_improvement_action(
    session: Session, *, data: ImprovementActionCreate
) -> ImprovementAction:
    values = _completion(data.model_dump(), data.status, data.completed_on)
    return crud.save(session, ImprovementAction(), values)


def update_improvement_action(
    session: Session, *, action: ImprovementAction, data: ImprovementActionUpdate
) -> ImprovementAction:
    values = crud.updates(ImprovementAction, data)
    status = values.get("status", action.status)
    if "status" in values or "completed_on" in values:
        kept = action.completed_on if status == action.status else None
        values = _completion(values, status, values.get("completed_on", kept))
    return crud.save(session, action, values)


def improvement_plan_counts(session: Session, *, as_at: date | None = None) -> list[AreaCount]:
    """Open, closed and overdue actions in each area, as at a day (today when None)."""
    rows = session.execute(
        select(
            ImprovementAction.area,
            ImprovementAction.status,
            ImprovementAction.due_date,
            ImprovementAction.completed_on,
        )
        .where(ImprovementAction.retired_at.is_(None))
        .order_by(ImprovementAction.created_at, ImprovementAction.id)
    )
    return action_counts((ActionFacts(*row) for row in rows), on=date.today(), as_at=as_at)
