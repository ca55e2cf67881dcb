"""HTTP routes of benchmarks: parse, call the service, shape the response."""

import uuid

from fastapi import APIRouter

from common import crud, routes
from common.db import SessionDep
from common.pagination import Page, PageDep
from common.periods import FinancialYearText
from services.kpi.benchmarks import service
from services.kpi.benchmarks.models import Benchmark
from services.kpi.benchmarks.schemas import BenchmarkCreate, BenchmarkRead, BenchmarkUpdate
from services.kpi.deps import Configure, year_param

router = APIRouter(prefix="/benchmarks", tags=["benchmarks"])


@router.get("", response_model=Page[BenchmarkRead])
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


routes.add_routes(
    router,
    routes.Resource(Benchmark, BenchmarkRead, what="benchmark", writes=Configure),
    create=routes.Create(
        BenchmarkCreate,
        service.create_benchmark,
        doc="Record a comparator's value for a measure and year, with its source.",
    ),
    update=routes.Update(BenchmarkUpdate, service.update_benchmark),
    delete=routes.Delete(service.delete_benchmark),
)
