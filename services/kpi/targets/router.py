"""HTTP routes of targets: parse, call the service, shape the response."""

import uuid

from fastapi import APIRouter

from common import crud, routes
from common.db import SessionDep
from common.pagination import Page, PageDep
from common.periods import FinancialYearText
from services.kpi.deps import Configure, year_param
from services.kpi.targets import service
from services.kpi.targets.models import Target
from services.kpi.targets.schemas import TargetCreate, TargetRead, TargetUpdate

router = APIRouter(prefix="/targets", tags=["targets"])


@router.get("", response_model=Page[TargetRead])
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


routes.add_routes(
    router,
    routes.Resource(Target, TargetRead, what="target", writes=Configure),
    create=routes.Create(
        TargetCreate, service.create_target, doc="Set a measure's target for a financial year."
    ),
    update=routes.Update(
        TargetUpdate, service.update_target, doc="Change a target. Requires If-Match."
    ),
    delete=routes.Delete(service.delete_target),
)
