"""HTTP routes of measures: parse, call the service, shape the response."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from common import crud, routes
from common.db import SessionDep
from common.examples import example
from common.pagination import Page, PageDep
from common.periods import Frequency
from common.retiring import IncludeRetired
from services.kpi.deps import Configure, SortQuery
from services.kpi.measures import service
from services.kpi.measures.examples import MEASURES
from services.kpi.measures.models import Measure
from services.kpi.measures.schemas import MeasureRead
from services.kpi.scorecard import service as scorecard
from services.kpi.scorecard.rules import Rag

router = APIRouter(prefix="/measures")


@router.get("", response_model=Page[MeasureRead], tags=["measures"], **example(answer=MEASURES))
def list_measures(
    session: SessionDep,
    page: PageDep,
    service_area: str | None = None,
    council_plan: bool | None = None,
    frequency: Frequency | None = None,
    data_provider: str | None = None,
    active: bool | None = None,
    include_retired: IncludeRetired = False,
    search: Annotated[str | None, Query(max_length=100)] = None,
    rag: Annotated[
        Rag | None, Query(description="Status in the latest complete month's report.")
    ] = None,
    sort: SortQuery = "code",
) -> Page[MeasureRead]:
    """List the organisation's measures, filtered and sorted; retired ones (not active) only
    with `include_retired=true` or `active=false`."""
    if active is None and not include_retired:
        active = True
    filters: dict[str, Any] = {
        "service_area": service_area,
        "council_plan": council_plan,
        "frequency": frequency,
        "data_provider": data_provider,
        "active": active,
        "search": search,
    }
    if rag is not None or sort.removeprefix("-") == "rag":
        rows, total, _ = scorecard.scorecard(
            session,
            period=scorecard.latest_complete_month(),
            page=page,
            rag_filter=rag,
            sort=sort,
            **filters,
        )
        items = [MeasureRead.model_validate(row["measure"]) for row in rows]
    else:
        found, total = service.list_measures(session, page=page, sort=sort, **filters)
        items = [MeasureRead.model_validate(m) for m in found]
    return crud.page_of(items, total, page)


routes.add_routes(
    router,
    routes.Resource(Measure, MeasureRead, what="measure", tags=["measures"], writes=Configure),
    create=routes.Create(
        service.create_measure,
        doc="Add a measure. Only `code` and `title` are required; the rest have defaults.",
    ),
    read=routes.Read("Read one measure; its ETag is the version to send back in If-Match."),
    update=routes.Update(
        service.update_measure,
        doc="Change a measure. Requires If-Match with the ETag you read (412 when stale).",
    ),
    retire=routes.Retire(change=service.set_retired),
    delete=routes.Delete(
        service.delete_measure,
        doc="Remove a measure with no actuals (409 otherwise: retire it instead). Requires "
        "If-Match.",
    ),
)
