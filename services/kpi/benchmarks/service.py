"""Use cases for benchmarks (keyword-only; flush, no commit)."""

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import crud, queries
from common.errors import FieldError
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
    statement = queries.where_given(
        statement, (Benchmark.measure_id, measure_id), (Benchmark.financial_year, financial_year)
    )
    return paginate(session, statement, page)


def create_benchmark(session: Session, *, data: BenchmarkCreate) -> Benchmark:
    queries.get_or_422(session, Measure, data.measure_id, "measure")
    queries.refuse_existing(
        session,
        Benchmark,
        data,
        {"measure_id", "financial_year", "comparator"},
        "This benchmark is already recorded.",
        FieldError(
            "comparator",
            f"There is already a {data.comparator} benchmark for {data.financial_year}",
        ),
    )
    return crud.save(session, Benchmark(), data.model_dump())


def update_benchmark(session: Session, *, benchmark: Benchmark, data: BenchmarkUpdate) -> Benchmark:
    return crud.save(session, benchmark, data.model_dump(exclude_unset=True))
