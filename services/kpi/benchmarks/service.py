"""Use cases for benchmarks (keyword-only; flush, no commit)."""

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import crud
from common.errors import FieldError, ValidationFailed
from common.pagination import PageParams, paginate
from services.kpi.benchmarks.models import Benchmark
from services.kpi.benchmarks.schemas import BenchmarkCreate, BenchmarkUpdate
from services.kpi.measures.models import Measure


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
    return crud.save(session, Benchmark(), data.model_dump())


def update_benchmark(session: Session, *, benchmark: Benchmark, data: BenchmarkUpdate) -> Benchmark:
    return crud.save(session, benchmark, data.model_dump(exclude_unset=True))


def delete_benchmark(session: Session, *, benchmark: Benchmark) -> None:
    crud.delete(session, benchmark)
