"""HTTP routes of benchmarks: parse, call the service, shape the response."""

from fastapi import APIRouter

from common import crud, routes
from common.db import SessionDep
from common.pagination import Page, PageDep
from services.kpi.benchmarks import service
from services.kpi.benchmarks.models import Benchmark
from services.kpi.benchmarks.schemas import BenchmarkRead
from services.kpi.deps import Configure, MeasureAndYear

router = APIRouter(prefix="/benchmarks", tags=["benchmarks"])


@router.get("", response_model=Page[BenchmarkRead])
def list_benchmarks(
    session: SessionDep, chosen: MeasureAndYear, page: PageDep
) -> Page[BenchmarkRead]:
    items, total = service.list_benchmarks(session, page=page, **chosen.filters())
    return crud.page(items, total, page, BenchmarkRead)


routes.add_routes(
    router,
    routes.Resource(Benchmark, BenchmarkRead, what="benchmark", writes=Configure),
    create=routes.Create(
        service.create_benchmark,
        doc="Record a comparator's value for a measure and year, with its source.",
    ),
    update=routes.Update(service.update_benchmark),
    delete=routes.Delete(),
)
