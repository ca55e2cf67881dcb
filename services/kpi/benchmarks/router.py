"""HTTP routes of benchmarks: parse, call the service, shape the response."""

import uuid

from fastapi import APIRouter, Request, Response, status

from common import crud
from common.db import SessionDep
from common.pagination import Page, PageDep
from common.periods import FinancialYearText
from services.kpi.benchmarks import service
from services.kpi.benchmarks.models import Benchmark
from services.kpi.benchmarks.schemas import BenchmarkCreate, BenchmarkRead, BenchmarkUpdate
from services.kpi.deps import Configure, year_param

router = APIRouter()


@router.get("/benchmarks", response_model=Page[BenchmarkRead], tags=["benchmarks"])
def list_benchmarks(
    session: SessionDep,
    page: PageDep,
    measure_id: uuid.UUID | None = None,
    financial_year: FinancialYearText | None = None,
) -> Page[BenchmarkRead]:
    year = year_param(financial_year, "financial_year")
    items, total = service.list_benchmarks(
        session, page=page, measure_id=measure_id, financial_year=year.label if year else None
    )
    return crud.page(items, total, page, BenchmarkRead)


@router.post(
    "/benchmarks",
    dependencies=Configure,
    status_code=status.HTTP_201_CREATED,
    response_model=BenchmarkRead,
    tags=["benchmarks"],
)
def create_benchmark(
    session: SessionDep, data: BenchmarkCreate, response: Response
) -> BenchmarkRead:
    """Record a comparator's value for a measure and year, with its source."""
    benchmark = service.create_benchmark(session, data=data)
    return crud.one(response, benchmark, BenchmarkRead)


@router.get("/benchmarks/{benchmark_id}", response_model=BenchmarkRead, tags=["benchmarks"])
def get_benchmark(
    session: SessionDep, benchmark_id: uuid.UUID, response: Response
) -> BenchmarkRead:
    benchmark = crud.get_or_404(session, Benchmark, benchmark_id, "benchmark")
    return crud.one(response, benchmark, BenchmarkRead)


@router.patch(
    "/benchmarks/{benchmark_id}",
    dependencies=Configure,
    response_model=BenchmarkRead,
    tags=["benchmarks"],
)
def update_benchmark(
    session: SessionDep,
    benchmark_id: uuid.UUID,
    data: BenchmarkUpdate,
    request: Request,
    response: Response,
) -> BenchmarkRead:
    benchmark = crud.get_or_404(session, Benchmark, benchmark_id, "benchmark")
    crud.check_version(request, benchmark)
    benchmark = service.update_benchmark(session, benchmark=benchmark, data=data)
    return crud.one(response, benchmark, BenchmarkRead)


@router.delete(
    "/benchmarks/{benchmark_id}",
    dependencies=Configure,
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["benchmarks"],
)
def delete_benchmark(session: SessionDep, benchmark_id: uuid.UUID, request: Request) -> None:
    benchmark = crud.get_or_404(session, Benchmark, benchmark_id, "benchmark")
    crud.check_version(request, benchmark)
    service.delete_benchmark(session, benchmark=benchmark)
