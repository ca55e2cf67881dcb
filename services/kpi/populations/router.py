"""HTTP routes of populations: parse, call the service, shape the response."""

import uuid

from fastapi import APIRouter, Request, Response, status

from common import crud
from common.db import SessionDep
from common.pagination import Page, PageDep
from services.kpi.deps import Configure
from services.kpi.populations import service
from services.kpi.populations.models import Population
from services.kpi.populations.schemas import PopulationCreate, PopulationRead, PopulationUpdate

router = APIRouter()


@router.get("/populations", response_model=Page[PopulationRead], tags=["populations"])
def list_populations(
    session: SessionDep, page: PageDep, area: str | None = None, age_band: str | None = None
) -> Page[PopulationRead]:
    items, total = service.list_populations(session, page=page, area=area, age_band=age_band)
    return crud.page(items, total, page, PopulationRead)


@router.post(
    "/populations",
    dependencies=Configure,
    status_code=status.HTTP_201_CREATED,
    response_model=PopulationRead,
    tags=["populations"],
)
def create_population(
    session: SessionDep, data: PopulationCreate, response: Response
) -> PopulationRead:
    """Record a population, the denominator of rates per 100,000."""
    population = service.create_population(session, data=data)
    return crud.one(response, population, PopulationRead)


@router.get("/populations/{population_id}", response_model=PopulationRead, tags=["populations"])
def get_population(
    session: SessionDep, population_id: uuid.UUID, response: Response
) -> PopulationRead:
    population = crud.get_or_404(session, Population, population_id, "population figure")
    return crud.one(response, population, PopulationRead)


@router.patch(
    "/populations/{population_id}",
    dependencies=Configure,
    response_model=PopulationRead,
    tags=["populations"],
)
def update_population(
    session: SessionDep,
    population_id: uuid.UUID,
    data: PopulationUpdate,
    request: Request,
    response: Response,
) -> PopulationRead:
    population = crud.get_or_404(session, Population, population_id, "population figure")
    crud.check_version(request, population)
    population = service.update_population(session, population=population, data=data)
    return crud.one(response, population, PopulationRead)


@router.delete(
    "/populations/{population_id}",
    dependencies=Configure,
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["populations"],
)
def delete_population(session: SessionDep, population_id: uuid.UUID, request: Request) -> None:
    population = crud.get_or_404(session, Population, population_id, "population figure")
    crud.check_version(request, population)
    service.delete_population(session, population=population)
