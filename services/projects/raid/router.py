"""HTTP routes of RAID logs (risks, assumptions, issues and dependencies of projects)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from common import crud, routes
from common.pagination import Page, PageDep
from services.projects.deps import SessionDep, project_guard
from services.projects.raid import service
from services.projects.raid.models import RaidItem
from services.projects.raid.rules import RaidKind, RaidStatus, raid_score, raid_severity
from services.projects.raid.schemas import RaidItemRead

raid = APIRouter(prefix="/raid-items", tags=["RAID"])


def raid_read(item: RaidItem) -> RaidItemRead:
    score = raid_score(item.likelihood, item.impact)
    return RaidItemRead.model_validate(
        {
            **{c.key: getattr(item, c.key) for c in RaidItem.__table__.columns},
            "score": score,
            "severity": raid_severity(score),
        }
    )


@raid.get("", response_model=Page[RaidItemRead])
def list_raid_items(
    session: SessionDep,
    page: PageDep,
    project_id: uuid.UUID | None = None,
    kind: RaidKind | None = None,
    status: RaidStatus | None = None,
    min_score: Annotated[int | None, Query(ge=1, le=25)] = None,
) -> Page[RaidItemRead]:
    """Risks, assumptions, issues and dependencies, highest score first."""
    items, total = service.list_raid_items(
        session, page=page, project_id=project_id, kind=kind, status=status, min_score=min_score
    )
    return crud.page_of([raid_read(i) for i in items], total, page)


routes.add_routes(
    raid,
    routes.Resource(
        RaidItem,
        RaidItemRead,
        what="RAID item",
        keyword="item",
        guard=project_guard,
        respond=lambda session, row: raid_read(row),
    ),
    create=routes.Create(service.create_raid_item),
    update=routes.Update(service.update_raid_item),
    delete=routes.Delete(if_match=False),
)
