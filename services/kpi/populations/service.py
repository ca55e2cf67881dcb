"""Use cases for populations (keyword-only; flush, no commit)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import crud, queries
from common.errors import FieldError
from common.pagination import PageParams, paginate
from services.kpi.populations.models import Population
from services.kpi.populations.schemas import PopulationCreate, PopulationUpdate


def list_populations(
    session: Session, *, page: PageParams, area: str | None = None, age_band: str | None = None
) -> tuple[list[Population], int]:
    statement = select(Population).order_by(
        Population.area, Population.age_band, Population.financial_year
    )
    statement = queries.where_given(
        statement, (Population.area, area), (Population.age_band, age_band)
    )
    return paginate(session, statement, page)


def create_population(session: Session, *, data: PopulationCreate) -> Population:
    queries.refuse_existing(
        session,
        Population,
        data,
        {"area", "age_band", "financial_year"},
        "This population is already recorded.",
        FieldError(
            "financial_year",
            f"{data.area} {data.age_band} already has a population for {data.financial_year}",
        ),
    )
    return crud.save(session, Population(), data.model_dump())


def update_population(
    session: Session, *, population: Population, data: PopulationUpdate
) -> Population:
    return crud.save(session, population, data.model_dump(exclude_unset=True))


def population_for(
    session: Session, *, area: str, age_band: str, financial_year: str
) -> Population | None:
    """The population a rate is worked out from, if the council has recorded it."""
    return session.scalar(
        select(Population).where(
            Population.area == area,
            Population.age_band == age_band,
            Population.financial_year == financial_year,
        )
    )
