"""HTTP routes of RAID logs (risks, assumptions, issues and dependencies of projects)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from common import crud
from common.concurrency import set_etag
from common.pagination import Page, PageDep
from services.projects.deps import CallerDep, SessionDep, require_may_change_project_of
from services.projects.raid import service
from services.projects.raid.models import RaidItem
from services.projects.raid.rules import RaidKind, RaidStatus, raid_score, raid_severity
from services.projects.raid.schemas import (
    RaidItemCreate,
    RaidItemRead,
    RaidItemUpdate,
)

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


@raid.post("", status_code=status.HTTP_201_CREATED, response_model=RaidItemRead)
def create_raid_item(
    session: SessionDep, caller: CallerDep, data: RaidItemCreate, response: Response
) -> RaidItemRead:
    require_may_change_project_of(session, caller, data.project_id)
    row = service.create_raid_item(session, data=data)
    set_etag(response, row.version)
    return raid_read(row)


@raid.get("/{item_id}", response_model=RaidItemRead)
def get_raid_item(session: SessionDep, item_id: uuid.UUID, response: Response) -> RaidItemRead:
    row = crud.get_or_404(session, RaidItem, item_id, "RAID item")
    set_etag(response, row.version)
    return raid_read(row)


@raid.patch("/{item_id}", response_model=RaidItemRead)
def update_raid_item(
    session: SessionDep,
    caller: CallerDep,
    item_id: uuid.UUID,
    data: RaidItemUpdate,
    request: Request,
    response: Response,
) -> RaidItemRead:
    row = crud.get_or_404(session, RaidItem, item_id, "RAID item")
    require_may_change_project_of(session, caller, row.project_id)
    crud.check_version(request, row)
    row = service.update_raid_item(session, item=row, data=data)
    set_etag(response, row.version)
    return raid_read(row)


@raid.delete("/{item_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_raid_item(session: SessionDep, caller: CallerDep, item_id: uuid.UUID) -> None:
    row = crud.get_or_404(session, RaidItem, item_id, "RAID item")
    require_may_change_project_of(session, caller, row.project_id)
    crud.delete(session, row)
