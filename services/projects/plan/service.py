"""Use cases of council plan priorities and the service plan's objectives.

Keyword-only functions that flush but never commit.
"""

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import crud, retiring
from common.errors import Conflict, FieldError
from common.pagination import PageParams, paginate
from services.projects.plan.models import Objective, Priority
from services.projects.plan.schemas import (
    ObjectiveCreate,
    ObjectiveUpdate,
    PriorityCreate,
    PriorityUpdate,
)
from services.projects.portfolio.models import Project

MeasureExists = Callable[[uuid.UUID], bool]
"""Asks the kpi service whether a measure exists for the caller's organisation."""


def list_priorities(
    session: Session, *, page: PageParams, include_retired: bool = False
) -> tuple[list[Priority], int]:
    """The organisation's council plan priorities, in the plan's order."""
    statement = select(Priority).order_by(Priority.position, Priority.title)
    return paginate(session, retiring.in_use(statement, Priority, include_retired), page)


def create_priority(session: Session, *, data: PriorityCreate) -> Priority:
    """Add a council plan priority."""
    return crud.save(session, Priority(), data.model_dump())


def update_priority(session: Session, *, priority: Priority, data: PriorityUpdate) -> Priority:
    return crud.save(session, priority, crud.updates(Priority, data))


def delete_priority(session: Session, *, priority: Priority) -> None:
    """Remove a priority no objective serves."""
    if session.scalar(select(Objective.id).where(Objective.priority_ids.contains([priority.id]))):
        raise Conflict("Objectives still serve this priority; unlink them first.")
    crud.delete(session, priority)


def list_objectives(
    session: Session,
    *,
    page: PageParams,
    priority_id: uuid.UUID | None = None,
    kpi_measure_id: uuid.UUID | None = None,
    council_plan: bool | None = None,
    include_retired: bool = False,
) -> tuple[list[Objective], int]:
    """Objectives by number, optionally those serving a priority or measured by a KPI."""
    statement = retiring.in_use(
        select(Objective).order_by(Objective.number), Objective, include_retired
    )
    if priority_id is not None:
        statement = statement.where(Objective.priority_ids.contains([priority_id]))
    if kpi_measure_id is not None:
        statement = statement.where(Objective.kpi_measure_ids.contains([kpi_measure_id]))
    if council_plan is not None:
        statement = statement.where(Objective.council_plan.is_(council_plan))
    return paginate(session, statement, page)


def _objective_errors(
    session: Session, values: dict[str, Any], measure_exists: MeasureExists
) -> list[FieldError]:
    errors = crud.missing(
        session, Priority, values.get("priority_ids") or [], "priority_ids", "priority"
    )
    errors += [
        FieldError(f"kpi_measure_ids.{i}", f"There is no KPI measure with id {measure_id}")
        for i, measure_id in enumerate(values.get("kpi_measure_ids") or [])
        if not measure_exists(measure_id)
    ]
    return errors


def _unique_number(session: Session, number: int, own_id: uuid.UUID | None) -> list[FieldError]:
    other = session.scalar(select(Objective.id).where(Objective.number == number))
    if other is not None and other != own_id:
        return [FieldError("number", f"Objective {number} already exists")]
    return []


def create_objective(
    session: Session, *, data: ObjectiveCreate, measure_exists: MeasureExists
) -> Objective:
    """Add an objective; its priorities and KPI measures must exist."""
    values = data.model_dump()
    crud.fail(
        _unique_number(session, data.number, None)
        + _objective_errors(session, values, measure_exists)
    )
    return crud.save(session, Objective(), values)


def update_objective(
    session: Session, *, objective: Objective, data: ObjectiveUpdate, measure_exists: MeasureExists
) -> Objective:
    values = crud.updates(Objective, data)
    errors = _objective_errors(session, values, measure_exists)
    if values.get("number") is not None:
        errors = _unique_number(session, values["number"], objective.id) + errors
    crud.fail(errors)
    return crud.save(session, objective, values)


def delete_objective(session: Session, *, objective: Objective) -> None:
    """Remove an objective no project is linked to."""
    if session.scalar(select(Project.id).where(Project.objective_ids.contains([objective.id]))):
        raise Conflict("Projects are still linked to this objective; unlink them first.")
    crud.delete(session, objective)
