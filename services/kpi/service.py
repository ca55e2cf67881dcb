"""Use cases for measures, targets, populations and benchmarks (keyword-only; flush, no commit)."""

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from common.errors import Conflict, FieldError, NotFound, ValidationFailed
from common.pagination import PageParams, paginate
from common.periods import Frequency
from services.kpi.models import Actual, Benchmark, Measure, Population, Target
from services.kpi.schemas import (
    BenchmarkCreate,
    BenchmarkUpdate,
    MeasureCreate,
    MeasureUpdate,
    PopulationCreate,
    PopulationUpdate,
    TargetCreate,
    TargetUpdate,
)

MEASURE_SORTS = {
    "code": Measure.code,
    "title": Measure.title,
    "frequency": Measure.frequency,
    "data_provider": Measure.data_provider,
    "service_area": Measure.service_area,
}


def measure_query(
    *,
    service_area: str | None = None,
    council_plan: bool | None = None,
    frequency: Frequency | None = None,
    data_provider: str | None = None,
    active: bool | None = None,
    search: str | None = None,
    sort: str = "code",
) -> Select[Measure]:
    """Measures matching the filters, in the order asked for ("-title" for descending)."""
    statement = select(Measure)
    if service_area:
        statement = statement.where(Measure.service_area == service_area)
    if council_plan is not None:
        statement = statement.where(Measure.council_plan == council_plan)
    if frequency is not None:
        statement = statement.where(Measure.frequency == frequency.value)
    if data_provider:
        statement = statement.where(Measure.data_provider == data_provider)
    if active is not None:
        statement = statement.where(Measure.active == active)
    if search:
        pattern = f"%{search}%"
        statement = statement.where(Measure.title.ilike(pattern) | Measure.code.ilike(pattern))
    column = MEASURE_SORTS[sort.removeprefix("-")]
    order = column.desc() if sort.startswith("-") else column.asc()
    return statement.order_by(order, Measure.code)


def list_measures(
    session: Session, *, page: PageParams, **filters: Any
) -> tuple[list[Measure], int]:
    """Measures of the caller's organisation, filtered and sorted."""
    return paginate(session, measure_query(**filters), page)


def get_measure(session: Session, *, measure_id: uuid.UUID) -> Measure:
    """One measure, or NotFound (also for another organisation's measure)."""
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise NotFound("There is no measure with this id.")
    return measure


def create_measure(session: Session, *, data: MeasureCreate) -> Measure:
    """Add a measure; its code must be new in the organisation."""
    if session.scalar(select(Measure.id).where(Measure.code == data.code)):
        raise Conflict(f'A measure with code "{data.code}" already exists.')
    measure = Measure(**data.model_dump())
    session.add(measure)
    session.flush()
    return measure


def update_measure(session: Session, *, measure: Measure, data: MeasureUpdate) -> Measure:
    """Apply the fields that were sent."""
    changes = data.model_dump(exclude_unset=True)
    code = changes.get("code", measure.code)
    if code != measure.code and session.scalar(select(Measure.id).where(Measure.code == code)):
        raise Conflict(f'A measure with code "{code}" already exists.')
    new_frequency = changes.get("frequency", measure.frequency)
    has_actuals = select(Actual.id).where(Actual.measure_id == measure.id).limit(1)
    if new_frequency != measure.frequency and session.scalar(has_actuals):
        raise ValidationFailed(
            "This measure already has actuals.",
            errors=[
                FieldError(
                    "frequency",
                    "The frequency cannot change once actuals are recorded; retire this "
                    "measure and add a new one instead",
                )
            ],
        )
    for field, value in changes.items():
        setattr(measure, field, value)
    session.flush()
    return measure


def delete_measure(session: Session, *, measure: Measure) -> None:
    """Remove a measure that has no actuals; one with history is retired instead."""
    if session.scalar(select(Actual.id).where(Actual.measure_id == measure.id).limit(1)):
        raise Conflict("This measure has actuals: retire it (active = false) instead.")
    session.delete(measure)
    session.flush()


# Targets ----------------------------------------------------------------------------------------


def _check_profile(measure: Measure, profile: list[Decimal] | None) -> None:
    if profile is None:
        return
    expected = Frequency(measure.frequency).periods_per_year
    if len(profile) != expected:
        raise ValidationFailed(
            "The profile does not fit the measure's frequency.",
            errors=[
                FieldError(
                    "profile",
                    f"A {measure.frequency} measure needs {expected} profile figures, one per "
                    f"period; {len(profile)} were sent",
                )
            ],
        )


def list_targets(
    session: Session,
    *,
    page: PageParams,
    measure_id: uuid.UUID | None = None,
    financial_year: str | None = None,
) -> tuple[list[Target], int]:
    statement = select(Target).order_by(Target.financial_year, Target.id)
    if measure_id:
        statement = statement.where(Target.measure_id == measure_id)
    if financial_year:
        statement = statement.where(Target.financial_year == financial_year)
    return paginate(session, statement, page)


def get_target(session: Session, *, target_id: uuid.UUID) -> Target:
    target = session.get(Target, target_id)
    if target is None:
        raise NotFound("There is no target with this id.")
    return target


def create_target(session: Session, *, data: TargetCreate) -> Target:
    """Set a measure's target for a year; one per measure per year."""
    measure = session.get(Measure, data.measure_id)
    if measure is None:
        raise ValidationFailed(
            "Unknown measure.", errors=[FieldError("measure_id", "There is no such measure")]
        )
    _check_profile(measure, data.profile)
    exists = select(Target.id).where(
        Target.measure_id == data.measure_id, Target.financial_year == data.financial_year
    )
    if session.scalar(exists):
        raise ValidationFailed(
            "This measure already has a target for that year.",
            errors=[
                FieldError(
                    "financial_year",
                    f"There is already a target for {data.financial_year}; change that one",
                )
            ],
        )
    values = data.model_dump()
    values["profile"] = _profile_json(data.profile)
    target = Target(**values)
    session.add(target)
    session.flush()
    return target


def _profile_json(profile: list[Decimal] | None) -> list[str] | None:
    return None if profile is None else [str(v) for v in profile]


def update_target(session: Session, *, target: Target, data: TargetUpdate) -> Target:
    changes = data.model_dump(exclude_unset=True)
    if "profile" in changes:
        _check_profile(get_measure(session, measure_id=target.measure_id), data.profile)
        changes["profile"] = _profile_json(data.profile)
    for field, value in changes.items():
        setattr(target, field, value)
    session.flush()
    return target


def delete_target(session: Session, *, target: Target) -> None:
    session.delete(target)
    session.flush()


# Populations ------------------------------------------------------------------------------------


def list_populations(
    session: Session, *, page: PageParams, area: str | None = None, age_band: str | None = None
) -> tuple[list[Population], int]:
    statement = select(Population).order_by(
        Population.area, Population.age_band, Population.financial_year
    )
    if area:
        statement = statement.where(Population.area == area)
    if age_band:
        statement = statement.where(Population.age_band == age_band)
    return paginate(session, statement, page)


def get_population(session: Session, *, population_id: uuid.UUID) -> Population:
    population = session.get(Population, population_id)
    if population is None:
        raise NotFound("There is no population figure with this id.")
    return population


def create_population(session: Session, *, data: PopulationCreate) -> Population:
    exists = select(Population.id).where(
        Population.area == data.area,
        Population.age_band == data.age_band,
        Population.financial_year == data.financial_year,
    )
    if session.scalar(exists):
        raise ValidationFailed(
            "This population is already recorded.",
            errors=[
                FieldError(
                    "financial_year",
                    f"{data.area} {data.age_band} already has a population for "
                    f"{data.financial_year}",
                )
            ],
        )
    population = Population(**data.model_dump())
    session.add(population)
    session.flush()
    return population


def update_population(
    session: Session, *, population: Population, data: PopulationUpdate
) -> Population:
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(population, field, value)
    session.flush()
    return population


def delete_population(session: Session, *, population: Population) -> None:
    session.delete(population)
    session.flush()


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


# Benchmarks -------------------------------------------------------------------------------------


def list_benchmarks(
    session: Session,
    *,
    page: PageParams,
    measure_id: uuid.UUID | None = None,
    financial_year: str | None = None,
) -> tuple[list[Benchmark], int]:
    statement = select(Benchmark).order_by(Benchmark.financial_year, Benchmark.comparator)
    if measure_id:
        statement = statement.where(Benchmark.measure_id == measure_id)
    if financial_year:
        statement = statement.where(Benchmark.financial_year == financial_year)
    return paginate(session, statement, page)


def get_benchmark(session: Session, *, benchmark_id: uuid.UUID) -> Benchmark:
    benchmark = session.get(Benchmark, benchmark_id)
    if benchmark is None:
        raise NotFound("There is no benchmark with this id.")
    return benchmark


def create_benchmark(session: Session, *, data: BenchmarkCreate) -> Benchmark:
    if session.get(Measure, data.measure_id) is None:
        raise ValidationFailed(
            "Unknown measure.", errors=[FieldError("measure_id", "There is no such measure")]
        )
    exists = select(Benchmark.id).where(
        Benchmark.measure_id == data.measure_id,
        Benchmark.financial_year == data.financial_year,
        Benchmark.comparator == data.comparator,
    )
    if session.scalar(exists):
        raise ValidationFailed(
            "This benchmark is already recorded.",
            errors=[
                FieldError(
                    "comparator",
                    f"There is already a {data.comparator} benchmark for {data.financial_year}",
                )
            ],
        )
    benchmark = Benchmark(**data.model_dump())
    session.add(benchmark)
    session.flush()
    return benchmark


def update_benchmark(session: Session, *, benchmark: Benchmark, data: BenchmarkUpdate) -> Benchmark:
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(benchmark, field, value)
    session.flush()
    return benchmark


def delete_benchmark(session: Session, *, benchmark: Benchmark) -> None:
    session.delete(benchmark)
    session.flush()
