"""HTTP routes of the projects service: parse, call the service, shape the response."""

from fastapi import APIRouter, status

from common.db import SessionDep
from common.pagination import Page, PageDep
from services.projects import service
from services.projects.schemas import PriorityCreate, PriorityRead

router = APIRouter(prefix="/priorities", tags=["priorities"])


@router.get("", response_model=Page[PriorityRead])
def list_priorities(session: SessionDep, page: PageDep) -> Page[PriorityRead]:
    """List the organisation's council plan prioritys."""
    items, total = service.list_priorities(session, page=page)
    return Page(
        items=[PriorityRead.model_validate(i) for i in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=PriorityRead)
def create_priority(session: SessionDep, data: PriorityCreate) -> PriorityRead:
    """Add a council plan priority."""
    return PriorityRead.model_validate(service.create_priority(session, data=data))
