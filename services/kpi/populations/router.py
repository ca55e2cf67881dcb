"""HTTP routes of populations: parse, call the service, shape the response."""

from fastapi import APIRouter

from common import crud, routes
from common.db import SessionDep
from common.pagination import Page, PageDep
from services.kpi.deps import Configure
from services.kpi.populations import service
from services.kpi.populations.models import Population
from services.kpi.populations.schemas import PopulationRead

router = APIRouter(prefix="/populations", tags=["populations"])


@router.get("", response_model=Page[PopulationRead])
def list_populations(
    session: SessionDep, page: PageDep, area: str | None = None, age_band: str | None = None
) -> Page[PopulationRead]:
    items, total = service.list_populations(session, page=page, area=area, age_band=age_band)
    return crud.page(items, total, page, PopulationRead)


routes.add_routes(
    router,
    routes.Resource(
        Population,
        PopulationRead,
        what="population figure",
        name="population",
        writes=Configure,
    ),
    create=routes.Create(
        service.create_population,
        doc="Record a population, the denominator of rates per 100,000.",
    ),
    update=routes.Update(service.update_population),
    delete=routes.Delete(),
)
