"""Use cases of milestones of projects, with slippage and overdue derived.

Keyword-only functions that flush but never commit.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import fields
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import crud
from common.pagination import PageParams, paginate
from services.projects.milestones.models import Milestone, due_column
from services.projects.milestones.rules import (
    FINISHED_MILESTONE,
    MilestoneFacts,
    MilestoneStatus,
    milestone_errors,
)
from services.projects.milestones.schemas import (
    MilestoneCreate,
    MilestoneUpdate,
)
from services.projects.portfolio.service import project_must_exist


def milestones_by_project(
    session: Session, project_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[Milestone]]:
    """Milestones of several projects at once, by baseline date."""
    grouped: dict[uuid.UUID, list[Milestone]] = defaultdict(list)
    ids = list(project_ids)
    if ids:
        statement = (
            select(Milestone)
            .where(Milestone.project_id.in_(ids))
            .order_by(Milestone.baseline_date, Milestone.title)
        )
        for milestone in session.scalars(statement):
            grouped[milestone.project_id].append(milestone)
    return grouped


def facts(milestone: Milestone) -> MilestoneFacts:
    """What the rules need to know of `milestone`: each of its facts is its column of that name."""
    return MilestoneFacts(**{f.name: getattr(milestone, f.name) for f in fields(MilestoneFacts)})


def list_milestones(
    session: Session,
    *,
    page: PageParams,
    today: date,
    project_id: uuid.UUID | None = None,
    status: MilestoneStatus | None = None,
    overdue: bool | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
) -> tuple[list[Milestone], int]:
    """Milestones by due date; `overdue` uses the same rule as each milestone's derived flag."""
    due = due_column()
    statement = select(Milestone).order_by(due, Milestone.title, Milestone.id)
    if project_id is not None:
        statement = statement.where(Milestone.project_id == project_id)
    if status is not None:
        statement = statement.where(Milestone.status == status)
    if overdue is not None:
        late = (Milestone.status.not_in(list(FINISHED_MILESTONE))) & (due < today)
        statement = statement.where(late if overdue else ~late)
    if due_from is not None:
        statement = statement.where(due >= due_from)
    if due_to is not None:
        statement = statement.where(due <= due_to)
    return paginate(session, statement, page)


def create_milestone(session: Session, *, data: MilestoneCreate, today: date) -> Milestone:
    """Add a milestone; with an actual date and no status it is completed."""
    values = data.model_dump()
    if values["status"] is None:
        values["status"] = (
            MilestoneStatus.COMPLETED if data.actual_date else MilestoneStatus.NOT_STARTED
        )
    crud.fail(
        project_must_exist(session, data.project_id)
        + milestone_errors(status=values["status"], actual_date=data.actual_date, today=today)
    )
    return crud.save(session, Milestone(), values)


def update_milestone(
    session: Session, *, milestone: Milestone, data: MilestoneUpdate, today: date
) -> Milestone:
    """Change a milestone; recording an actual date completes it unless a status is sent."""
    values = crud.updates(Milestone, data)
    if values.get("actual_date") is not None and "status" not in values:
        values["status"] = MilestoneStatus.COMPLETED
    status = values.get("status", milestone.status)
    actual = values.get("actual_date", milestone.actual_date)
    crud.fail(milestone_errors(status=status, actual_date=actual, today=today))
    return crud.save(session, milestone, values)
