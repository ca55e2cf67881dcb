"""HTTP routes of targets: parse, call the service, shape the response."""

from fastapi import APIRouter

from common import crud, routes
from common.db import SessionDep
from common.pagination import Page, PageDep
from services.kpi.deps import Configure, MeasureAndYear
from services.kpi.targets import service
from services.kpi.targets.models import Target
from services.kpi.targets.schemas import TargetRead

router = APIRouter(prefix="/targets", tags=["targets"])


@router.get("", response_model=Page[TargetRead])
def list_targets(session: SessionDep, chosen: MeasureAndYear, page: PageDep) -> Page[TargetRead]:
    """Targets, by year."""
    items, total = service.list_targets(session, page=page, **chosen.filters())
    return crud.page(items, total, page, TargetRead)


routes.add_routes(
    router,
    routes.Resource(Target, TargetRead, what="target", writes=Configure),
    create=routes.Create(service.create_target, doc="Set a measure's target for a financial year."),
    update=routes.Update(service.update_target, doc="Change a target. Requires If-Match."),
    delete=routes.Delete(service.delete_target),
)
