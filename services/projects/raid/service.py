"""Use cases of RAID logs (risks, assumptions, issues and dependencies of projects).

Keyword-only functions that flush but never commit.
"""

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import crud
from common.pagination import PageParams, paginate
from services.projects.portfolio.service import project_must_exist
from services.projects.raid.models import RaidItem
from services.projects.raid.schemas import (
    RaidItemCreate,
    RaidItemUpdate,
)


def list_raid_items(
    session: Session,
    *,
    page: PageParams,
    project_id: uuid.UUID | None = None,
    kind: str | None = None,
    status: str | None = None,
    min_score: int | None = None,
) -> tuple[list[RaidItem], int]:
    """RAID items, highest score first."""
    score = RaidItem.likelihood * RaidItem.impact
    statement = select(RaidItem).order_by(score.desc(), RaidItem.title, RaidItem.id)
    if project_id is not None:
        statement = statement.where(RaidItem.project_id == project_id)
    if kind is not None:
        statement = statement.where(RaidItem.kind == kind)
    if status is not None:
        statement = statement.where(RaidItem.status == status)
    if min_score is not None:
        statement = statement.where(score >= min_score)
    return paginate(session, statement, page)


def create_raid_item(session: Session, *, data: RaidItemCreate) -> RaidItem:
    crud.fail(project_must_exist(session, data.project_id))
    return crud.save(session, RaidItem(), data.model_dump())


def update_raid_item(session: Session, *, item: RaidItem, data: RaidItemUpdate) -> RaidItem:
    values = crud.updates(RaidItem, data)
    return crud.save(session, item, values)
