"""HTTP routes of targets: parse, call the service, shape the response."""

import uuid

from fastapi import APIRouter, Request, Response, status

from common import crud
from common.db import SessionDep
from common.pagination import Page, PageDep
from common.periods import FinancialYearText
from services.kpi.deps import Configure, year_param
from services.kpi.targets import service
from services.kpi.targets.models import Target
from services.kpi.targets.schemas import TargetCreate, TargetRead, TargetUpdate

router = APIRouter()


@router.get("/targets", response_model=Page[TargetRead], tags=["targets"])
def list_targets(
    session: SessionDep,
    page: PageDep,
    measure_id: uuid.UUID | None = None,
    financial_year: FinancialYearText | None = None,
) -> Page[TargetRead]:
    """Targets, by year."""
    year = year_param(financial_year, "financial_year")
    items, total = service.list_targets(
        session, page=page, measure_id=measure_id, financial_year=year.label if year else None
    )
    return crud.page(items, total, page, TargetRead)


@router.post(
    "/targets",
    dependencies=Configure,
    status_code=status.HTTP_201_CREATED,
    response_model=TargetRead,
    tags=["targets"],
)
def create_target(session: SessionDep, data: TargetCreate, response: Response) -> TargetRead:
    """Set a measure's target for a financial year."""
    target = service.create_target(session, data=data)
    return crud.one(response, target, TargetRead)


@router.get("/targets/{target_id}", response_model=TargetRead, tags=["targets"])
def get_target(session: SessionDep, target_id: uuid.UUID, response: Response) -> TargetRead:
    target = crud.get_or_404(session, Target, target_id, "target")
    return crud.one(response, target, TargetRead)


@router.patch(
    "/targets/{target_id}",
    dependencies=Configure,
    response_model=TargetRead,
    tags=["targets"],
)
def update_target(
    session: SessionDep,
    target_id: uuid.UUID,
    data: TargetUpdate,
    request: Request,
    response: Response,
) -> TargetRead:
    """Change a target. Requires If-Match."""
    target = crud.get_or_404(session, Target, target_id, "target")
    crud.check_version(request, target)
    target = service.update_target(session, target=target, data=data)
    return crud.one(response, target, TargetRead)


@router.delete(
    "/targets/{target_id}",
    dependencies=Configure,
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["targets"],
)
def delete_target(session: SessionDep, target_id: uuid.UUID, request: Request) -> None:
    target = crud.get_or_404(session, Target, target_id, "target")
    crud.check_version(request, target)
    service.delete_target(session, target=target)
