"""HTTP routes of the KPI service: parse, call the service, shape the response."""

import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status
from starlette.concurrency import run_in_threadpool

from common.concurrency import require_if_match, set_etag
from common.db import SessionDep
from common.errors import FieldError, ValidationFailed
from common.identity import Caller, CallerDep, require_roles
from common.pagination import Page, PageDep
from common.periods import FinancialYear, Frequency, Period
from services.kpi import actuals as actual_service
from services.kpi import reporting, service
from services.kpi.rules import Rag
from services.kpi.schemas import (
    ActualCreate,
    ActualRead,
    ActualReturn,
    ActualUpdate,
    BenchmarkCreate,
    BenchmarkRead,
    BenchmarkUpdate,
    BulkRequest,
    BulkResult,
    MeasureCreate,
    MeasureRead,
    MeasureUpdate,
    PopulationCreate,
    PopulationRead,
    PopulationUpdate,
    RevisionRead,
    Scorecard,
    ScorecardRow,
    Series,
    TargetCreate,
    TargetRead,
    TargetUpdate,
)

router = APIRouter()
Approver = Annotated[Caller, Depends(require_roles(*actual_service.MANAGERS))]


def _configurer(caller: CallerDep) -> Caller:
    actual_service.check_may_configure(caller)
    return caller


Configure = [Depends(_configurer)]
"""Setting up measures, targets, populations and benchmarks: not for people who enter figures."""
SortQuery = Annotated[
    str,
    Query(
        pattern=r"^-?(code|title|rag|frequency|data_provider|service_area)$",
        description='A column to sort by; "-" first for descending ("-rag").',
    ),
]


def _period(text: str, field: str = "period") -> Period:
    try:
        return Period.parse(text)
    except ValueError as error:
        raise ValidationFailed(str(error), errors=[FieldError(field, str(error))]) from None


def _year(text: str | None, field: str) -> FinancialYear | None:
    if text is None:
        return None
    try:
        return FinancialYear.parse(text)
    except ValueError as error:
        raise ValidationFailed(str(error), errors=[FieldError(field, str(error))]) from None


# Measures ---------------------------------------------------------------------------------------


@router.get("/measures", response_model=Page[MeasureRead], tags=["measures"])
def list_measures(
    session: SessionDep,
    page: PageDep,
    service_area: str | None = None,
    council_plan: bool | None = None,
    frequency: Frequency | None = None,
    data_provider: str | None = None,
    active: bool | None = None,
    search: Annotated[str | None, Query(max_length=100)] = None,
    rag: Annotated[
        Rag | None, Query(description="Status in the latest complete month's report.")
    ] = None,
    sort: SortQuery = "code",
) -> Page[MeasureRead]:
    """List the organisation's measures, filtered and sorted."""
    filters: dict[str, Any] = {
        "service_area": service_area,
        "council_plan": council_plan,
        "frequency": frequency,
        "data_provider": data_provider,
        "active": active,
        "search": search,
    }
    if rag is not None or sort.removeprefix("-") == "rag":
        rows, total, _ = reporting.scorecard(
            session,
            period=reporting.latest_complete_month(),
            page=page,
            rag_filter=rag,
            sort=sort,
            **filters,
        )
        items = [MeasureRead.model_validate(row["measure"]) for row in rows]
    else:
        found, total = service.list_measures(session, page=page, sort=sort, **filters)
        items = [MeasureRead.model_validate(m) for m in found]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/measures",
    dependencies=Configure,
    status_code=status.HTTP_201_CREATED,
    response_model=MeasureRead,
    tags=["measures"],
)
def create_measure(session: SessionDep, data: MeasureCreate, response: Response) -> MeasureRead:
    """Add a measure. Only `code` and `title` are required; the rest have defaults."""
    measure = service.create_measure(session, data=data)
    set_etag(response, measure.version)
    return MeasureRead.model_validate(measure)


@router.get("/measures/{measure_id}", response_model=MeasureRead, tags=["measures"])
def get_measure(session: SessionDep, measure_id: uuid.UUID, response: Response) -> MeasureRead:
    """Read one measure; its ETag is the version to send back in If-Match."""
    measure = service.get_measure(session, measure_id=measure_id)
    set_etag(response, measure.version)
    return MeasureRead.model_validate(measure)


@router.patch(
    "/measures/{measure_id}",
    dependencies=Configure,
    response_model=MeasureRead,
    tags=["measures"],
)
def update_measure(
    session: SessionDep,
    measure_id: uuid.UUID,
    data: MeasureUpdate,
    request: Request,
    response: Response,
) -> MeasureRead:
    """Change a measure. Requires If-Match with the ETag you read (412 when stale)."""
    measure = service.get_measure(session, measure_id=measure_id)
    require_if_match(request, measure.version)
    measure = service.update_measure(session, measure=measure, data=data)
    set_etag(response, measure.version)
    return MeasureRead.model_validate(measure)


@router.delete(
    "/measures/{measure_id}",
    dependencies=Configure,
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["measures"],
)
def delete_measure(session: SessionDep, measure_id: uuid.UUID, request: Request) -> None:
    """Remove a measure with no actuals (409 otherwise: retire it instead). Requires If-Match."""
    measure = service.get_measure(session, measure_id=measure_id)
    require_if_match(request, measure.version)
    service.delete_measure(session, measure=measure)


@router.get("/measures/{measure_id}/series", response_model=Series, tags=["reports"])
def measure_series(
    session: SessionDep,
    measure_id: uuid.UUID,
    from_year: Annotated[str | None, Query(examples=["2025/26"])] = None,
    to_year: Annotated[str | None, Query(examples=["2027/28"])] = None,
) -> Series:
    """Every period of a measure up to the latest complete one: target, actual, RAG, direction."""
    measure = service.get_measure(session, measure_id=measure_id)
    found = reporting.series(
        session,
        measure=measure,
        from_year=_year(from_year, "from_year"),
        to_year=_year(to_year, "to_year"),
    )
    return Series.model_validate(found, from_attributes=True)


@router.get("/scorecard", response_model=Scorecard, tags=["reports"])
def get_scorecard(
    session: SessionDep,
    page: PageDep,
    period: Annotated[
        str | None,
        Query(description="Defaults to the latest complete month.", examples=["2025-10"]),
    ] = None,
    service_area: str | None = None,
    council_plan: bool | None = None,
    frequency: Frequency | None = None,
    data_provider: str | None = None,
    rag: Rag | None = None,
    search: Annotated[str | None, Query(max_length=100)] = None,
    sort: SortQuery = "code",
) -> Scorecard:
    """Every active measure's status for a period, each in its own latest period ended by then."""
    report_period = _period(period) if period else reporting.latest_complete_month()
    rows, total, counts = reporting.scorecard(
        session,
        period=report_period,
        page=page,
        rag_filter=rag,
        sort=sort,
        service_area=service_area,
        council_plan=council_plan,
        frequency=frequency,
        data_provider=data_provider,
        active=True,
        search=search,
    )
    return Scorecard(
        period=report_period.code,
        items=[ScorecardRow.model_validate(row, from_attributes=True) for row in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
        counts=counts,
    )


# Targets ----------------------------------------------------------------------------------------


@router.get("/targets", response_model=Page[TargetRead], tags=["targets"])
def list_targets(
    session: SessionDep,
    page: PageDep,
    measure_id: uuid.UUID | None = None,
    financial_year: str | None = None,
) -> Page[TargetRead]:
    """Targets, by year."""
    year = _year(financial_year, "financial_year")
    items, total = service.list_targets(
        session, page=page, measure_id=measure_id, financial_year=year.label if year else None
    )
    return Page(
        items=[TargetRead.model_validate(t) for t in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "/targets",
    dependencies=Configure,
    status_code=status.HTTP_201_CREATED,
    response_model=TargetRead,
    tags=["targets"],
)
def create_target(session: SessionDep, data: TargetCreate, response: Response) -> TargetRead:
    """Set a measure's target for a financial year."""
    target = service.create_target(session, data=data)
    set_etag(response, target.version)
    return TargetRead.model_validate(target)


@router.get("/targets/{target_id}", response_model=TargetRead, tags=["targets"])
def get_target(session: SessionDep, target_id: uuid.UUID, response: Response) -> TargetRead:
    target = service.get_target(session, target_id=target_id)
    set_etag(response, target.version)
    return TargetRead.model_validate(target)


@router.patch(
    "/targets/{target_id}",
    dependencies=Configure,
    response_model=TargetRead,
    tags=["targets"],
)
def update_target(
    session: SessionDep,
    target_id: uuid.UUID,
    data: TargetUpdate,
    request: Request,
    response: Response,
) -> TargetRead:
    """Change a target. Requires If-Match."""
    target = service.get_target(session, target_id=target_id)
    require_if_match(request, target.version)
    target = service.update_target(session, target=target, data=data)
    set_etag(response, target.version)
    return TargetRead.model_validate(target)


@router.delete(
    "/targets/{target_id}",
    dependencies=Configure,
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["targets"],
)
def delete_target(session: SessionDep, target_id: uuid.UUID, request: Request) -> None:
    target = service.get_target(session, target_id=target_id)
    require_if_match(request, target.version)
    service.delete_target(session, target=target)


# Actuals ----------------------------------------------------------------------------------------


@router.get("/actuals", response_model=Page[ActualRead], tags=["actuals"])
def list_actuals(
    session: SessionDep,
    page: PageDep,
    measure_id: uuid.UUID | None = None,
    period: str | None = None,
    status: Annotated[str | None, Query(pattern="^(draft|submitted|approved|returned)$")] = None,
    data_provider: str | None = None,
) -> Page[ActualRead]:
    """Actuals, newest period first."""
    items, total = actual_service.list_actuals(
        session,
        page=page,
        measure_id=measure_id,
        period=_period(period).code if period else None,
        status=status,
        data_provider=data_provider,
    )
    return Page(
        items=[ActualRead.model_validate(a) for a in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "/actuals", status_code=status.HTTP_201_CREATED, response_model=ActualRead, tags=["actuals"]
)
def create_actual(
    session: SessionDep, caller: CallerDep, data: ActualCreate, response: Response
) -> ActualRead:
    """Record a draft actual for a period that has none (422 for a duplicate)."""
    actual = actual_service.create_actual(session, data=data, caller=caller)
    set_etag(response, actual.version)
    return ActualRead.model_validate(actual)


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON schema with its `$defs` written in place, to sit inside the OpenAPI document."""
    definitions = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(definitions[ref.removeprefix("#/$defs/")])
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result


_BULK_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _inline(BulkRequest.model_json_schema())},
            "text/csv": {
                "schema": {"type": "string"},
                "example": "measure_code,period,value,numerator,denominator,commentary\n"
                "ASC01,2025-04,752,,,\n",
            },
        },
    }
}


@router.post(
    "/actuals/bulk",
    response_model=BulkResult,
    tags=["actuals"],
    openapi_extra=_BULK_BODY,
)
async def bulk_actuals(
    request: Request,
    session: SessionDep,
    caller: CallerDep,
    submit: Annotated[bool, Query(description="For CSV bodies: submit every row.")] = False,
) -> BulkResult:
    """Store many actuals at once, all or nothing: any bad row gives 422 listing every problem
    (`rows.<n>.<field>`, counting data rows from 0). Send JSON (`BulkRequest`) or CSV."""
    body = (await request.body()).decode("utf-8", errors="replace")
    content_type = request.headers.get("content-type", "")
    if "csv" in content_type:
        rows: list[Any] = actual_service.rows_from_csv(body)
    else:
        try:
            document = json.loads(body)
        except ValueError:
            raise ValidationFailed(
                "The body is not JSON.", errors=[FieldError("body", "Send JSON or text/csv")]
            ) from None
        if not isinstance(document, dict) or not isinstance(document.get("rows"), list):
            raise ValidationFailed("No rows.", errors=[FieldError("rows", "Send a list of rows")])
        extra = set(document) - {"rows", "submit"}
        if extra:
            raise ValidationFailed(
                "Unknown fields.",
                errors=[
                    FieldError(name, "Extra inputs are not permitted") for name in sorted(extra)
                ],
            )
        rows = document["rows"]
        submit = bool(document.get("submit", submit))
    stored, created, updated = await run_in_threadpool(
        actual_service.bulk_submit, session, raw_rows=rows, submit=submit, caller=caller
    )
    return BulkResult(
        created=created,
        updated=updated,
        actuals=[ActualRead.model_validate(a) for a in stored],
    )


@router.get("/actuals/{actual_id}", response_model=ActualRead, tags=["actuals"])
def get_actual(session: SessionDep, actual_id: uuid.UUID, response: Response) -> ActualRead:
    actual = actual_service.get_actual(session, actual_id=actual_id)
    set_etag(response, actual.version)
    return ActualRead.model_validate(actual)


@router.patch("/actuals/{actual_id}", response_model=ActualRead, tags=["actuals"])
def update_actual(
    session: SessionDep,
    caller: CallerDep,
    actual_id: uuid.UUID,
    data: ActualUpdate,
    request: Request,
    response: Response,
) -> ActualRead:
    """Correct an actual: it becomes a draft again; the reported figure stays until approved."""
    actual = actual_service.get_actual(session, actual_id=actual_id)
    require_if_match(request, actual.version)
    actual = actual_service.update_actual(session, actual=actual, data=data, caller=caller)
    set_etag(response, actual.version)
    return ActualRead.model_validate(actual)


@router.get("/actuals/{actual_id}/revisions", response_model=list[RevisionRead], tags=["actuals"])
def actual_revisions(session: SessionDep, actual_id: uuid.UUID) -> list[RevisionRead]:
    """Every revision of the actual, oldest first, with who made it and when."""
    actual = actual_service.get_actual(session, actual_id=actual_id)
    return [
        RevisionRead.model_validate(r) for r in actual_service.revisions(session, actual=actual)
    ]


@router.post("/actuals/{actual_id}/submit", response_model=ActualRead, tags=["actuals"])
def submit_actual(
    session: SessionDep,
    caller: CallerDep,
    actual_id: uuid.UUID,
    request: Request,
    response: Response,
) -> ActualRead:
    """Send a draft or returned actual for approval. Requires If-Match."""
    actual = actual_service.get_actual(session, actual_id=actual_id)
    require_if_match(request, actual.version)
    actual = actual_service.submit_actual(session, actual=actual, caller=caller)
    set_etag(response, actual.version)
    return ActualRead.model_validate(actual)


@router.post("/actuals/{actual_id}/approve", response_model=ActualRead, tags=["actuals"])
def approve_actual(
    session: SessionDep,
    caller: Approver,
    actual_id: uuid.UUID,
    request: Request,
    response: Response,
) -> ActualRead:
    """Approve a submitted actual (approvers only). Requires If-Match."""
    actual = actual_service.get_actual(session, actual_id=actual_id)
    require_if_match(request, actual.version)
    actual = actual_service.approve_actual(session, actual=actual, caller=caller)
    set_etag(response, actual.version)
    return ActualRead.model_validate(actual)


@router.post("/actuals/{actual_id}/return", response_model=ActualRead, tags=["actuals"])
def return_actual(
    session: SessionDep,
    caller: Approver,
    actual_id: uuid.UUID,
    data: ActualReturn,
    request: Request,
    response: Response,
) -> ActualRead:
    """Return a submitted actual to its provider with a reason (approvers only)."""
    actual = actual_service.get_actual(session, actual_id=actual_id)
    require_if_match(request, actual.version)
    actual = actual_service.return_actual(session, actual=actual, reason=data.reason, caller=caller)
    set_etag(response, actual.version)
    return ActualRead.model_validate(actual)


# Populations and benchmarks --------------------------------------------------------------------


@router.get("/populations", response_model=Page[PopulationRead], tags=["populations"])
def list_populations(
    session: SessionDep, page: PageDep, area: str | None = None, age_band: str | None = None
) -> Page[PopulationRead]:
    items, total = service.list_populations(session, page=page, area=area, age_band=age_band)
    return Page(
        items=[PopulationRead.model_validate(p) for p in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


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
    set_etag(response, population.version)
    return PopulationRead.model_validate(population)


@router.get("/populations/{population_id}", response_model=PopulationRead, tags=["populations"])
def get_population(
    session: SessionDep, population_id: uuid.UUID, response: Response
) -> PopulationRead:
    population = service.get_population(session, population_id=population_id)
    set_etag(response, population.version)
    return PopulationRead.model_validate(population)


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
    population = service.get_population(session, population_id=population_id)
    require_if_match(request, population.version)
    population = service.update_population(session, population=population, data=data)
    set_etag(response, population.version)
    return PopulationRead.model_validate(population)


@router.delete(
    "/populations/{population_id}",
    dependencies=Configure,
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["populations"],
)
def delete_population(session: SessionDep, population_id: uuid.UUID, request: Request) -> None:
    population = service.get_population(session, population_id=population_id)
    require_if_match(request, population.version)
    service.delete_population(session, population=population)


@router.get("/benchmarks", response_model=Page[BenchmarkRead], tags=["benchmarks"])
def list_benchmarks(
    session: SessionDep,
    page: PageDep,
    measure_id: uuid.UUID | None = None,
    financial_year: str | None = None,
) -> Page[BenchmarkRead]:
    year = _year(financial_year, "financial_year")
    items, total = service.list_benchmarks(
        session, page=page, measure_id=measure_id, financial_year=year.label if year else None
    )
    return Page(
        items=[BenchmarkRead.model_validate(b) for b in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


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
    set_etag(response, benchmark.version)
    return BenchmarkRead.model_validate(benchmark)


@router.get("/benchmarks/{benchmark_id}", response_model=BenchmarkRead, tags=["benchmarks"])
def get_benchmark(
    session: SessionDep, benchmark_id: uuid.UUID, response: Response
) -> BenchmarkRead:
    benchmark = service.get_benchmark(session, benchmark_id=benchmark_id)
    set_etag(response, benchmark.version)
    return BenchmarkRead.model_validate(benchmark)


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
    benchmark = service.get_benchmark(session, benchmark_id=benchmark_id)
    require_if_match(request, benchmark.version)
    benchmark = service.update_benchmark(session, benchmark=benchmark, data=data)
    set_etag(response, benchmark.version)
    return BenchmarkRead.model_validate(benchmark)


@router.delete(
    "/benchmarks/{benchmark_id}",
    dependencies=Configure,
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["benchmarks"],
)
def delete_benchmark(session: SessionDep, benchmark_id: uuid.UUID, request: Request) -> None:
    benchmark = service.get_benchmark(session, benchmark_id=benchmark_id)
    require_if_match(request, benchmark.version)
    service.delete_benchmark(session, benchmark=benchmark)
