"""HTTP routes of the KPI service: parse, call the service, shape the response."""

import uuid

from fastapi import APIRouter, Request, Response, status

from common.concurrency import require_if_match, set_etag
from common.db import SessionDep
from common.pagination import Page, PageDep
from services.kpi import service
from services.kpi.schemas import MeasureCreate, MeasureRead, MeasureUpdate

router = APIRouter(prefix="/measures", tags=["measures"])


@router.get("", response_model=Page[MeasureRead])
def list_measures(session: SessionDep, page: PageDep) -> Page[MeasureRead]:
    """List the organisation's measures."""
    items, total = service.list_measures(session, page=page)
    return Page(
        items=[MeasureRead.model_validate(m) for m in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=MeasureRead)
def create_measure(session: SessionDep, data: MeasureCreate, response: Response) -> MeasureRead:
    """Add a measure."""
    measure = service.create_measure(session, data=data)
    set_etag(response, measure.version)
    return MeasureRead.model_validate(measure)


@router.get("/{measure_id}", response_model=MeasureRead)
def get_measure(session: SessionDep, measure_id: uuid.UUID, response: Response) -> MeasureRead:
    """Read one measure; its ETag is the version to send back in If-Match."""
    measure = service.get_measure(session, measure_id=measure_id)
    set_etag(response, measure.version)
    return MeasureRead.model_validate(measure)


@router.patch("/{measure_id}", response_model=MeasureRead)
def update_measure(
    session: SessionDep,
    measure_id: uuid.UUID,
    data: MeasureUpdate,
    request: Request,
    response: Response,
) -> MeasureRead:
    """Change a measure. Requires If-Match with the ETag you read (412 when stale)."""
    measure = service.get_measure(session, measure_id=measure_id)
    require_if_match(request, measure.version)
    measure = service.update_measure(session, measure=measure, data=data)
    set_etag(response, measure.version)
    return MeasureRead.model_validate(measure)
