"""The KPI pages' calls to the gateway's `/kpi` API."""

from typing import Annotated, Any

from fastapi import Depends

from web.clients.gateway import (
    LIMIT,
    Editable,
    Endpoint,
    Gateway,
    GatewayClient,
    if_match,
    query,
)
from web.clients.models import (
    Actual,
    Adoption,
    BulkResult,
    KpiTarget,
    LibraryMeasure,
    Measure,
    OverdueItem,
    Page,
    Revision,
    Scorecard,
    ServiceAreas,
)
from web.clients.models import Series as MeasureSeries

WHAT = "KPI service"
SCORECARD = Endpoint("GET", "/kpi/scorecard", Scorecard, WHAT)
SERVICE_AREAS = Endpoint("GET", "/kpi/scorecard/service-areas", ServiceAreas, WHAT)
OVERDUE = Endpoint("GET", "/kpi/overdue", Page[OverdueItem], WHAT)
MEASURES = Endpoint("GET", "/kpi/measures", Page[Measure], WHAT)
MEASURE = Endpoint("GET", "/kpi/measures/{measure_id}", Measure, WHAT)
EDITABLE_MEASURE = Editable(MEASURE, retires=True)
TARGET = Endpoint("GET", "/kpi/targets/{target_id}", KpiTarget, WHAT)
EDITABLE_TARGET = Editable(TARGET)
SERIES = Endpoint("GET", "/kpi/measures/{measure_id}/series", MeasureSeries, WHAT)
TARGETS = Endpoint("GET", "/kpi/targets", Page[KpiTarget], WHAT)
ACTUALS = Endpoint("GET", "/kpi/actuals", Page[Actual], WHAT)
REVISIONS = Endpoint("GET", "/kpi/actuals/{actual_id}/revisions", Page[Revision], WHAT)
BULK = Endpoint("POST", "/kpi/actuals/bulk", BulkResult, WHAT)
APPROVE = Endpoint("POST", "/kpi/actuals/{actual_id}/approve", Actual, WHAT)
RETURN = Endpoint("POST", "/kpi/actuals/{actual_id}/return", Actual, WHAT)
LIBRARY = Endpoint("GET", "/kpi/library/measures", Page[LibraryMeasure], WHAT)
ADOPT = Endpoint("POST", "/kpi/library/adoptions", list[Adoption], WHAT)


class KpiApiClient:
    def __init__(self, gateway: GatewayClient) -> None:
        self._gateway = gateway

    async def library(self) -> list[LibraryMeasure]:
        return await self._gateway.every(LIBRARY)

    async def adopt(self, keys: list[str]) -> list[Adoption]:
        """Adopt library measures into the plan in one step, all or none."""
        return await self._gateway.call(ADOPT, json={"keys": keys})

    async def scorecard(self, **params: Any) -> Scorecard:
        return await self._gateway.call(SCORECARD, params=query(params))

    async def service_areas(self) -> ServiceAreas:
        """Measures by RAG in each service area, with its direction of travel."""
        return await self._gateway.call(SERVICE_AREAS)

    async def overdue(self) -> list[OverdueItem]:
        """Every team's figures past their due date."""
        return await self._gateway.every(OVERDUE)

    async def measure(self, measure_id: str) -> Measure:
        return await self._gateway.call(MEASURE, {"measure_id": measure_id})

    async def all_measures(self) -> list[Measure]:
        """Every measure, active or not."""
        return await self._gateway.every(MEASURES)

    async def all_targets(self) -> list[KpiTarget]:
        return await self._gateway.every(TARGETS)

    async def series(self, measure_id: str) -> MeasureSeries:
        return await self._gateway.call(SERIES, {"measure_id": measure_id})

    async def facets(self) -> tuple[list[str], list[str]]:
        """The data providers and service areas of active measures, for filter lists: kept per
        council and its measures' version (the list's ETag), so a page load that finds them
        unchanged gets a 304 and does not read the council's whole measure list again."""
        providers, areas = await self._gateway.call_revalidated(
            MEASURES,
            _facets,
            key=("facets", self._gateway.council()),
            params={"limit": LIMIT, "active": "true"},
        )
        return list(providers), list(areas)

    async def actuals(self, **params: Any) -> list[Actual]:
        return (await self._gateway.call(ACTUALS, params=query(params))).items

    async def revisions(self, actual_id: str) -> list[Revision]:
        return await self._gateway.every(REVISIONS, {"actual_id": actual_id})

    async def bulk(self, rows: list[dict[str, Any]], *, submit: bool) -> BulkResult:
        return await self._gateway.call(BULK, json={"rows": rows, "submit": submit})

    async def approve(self, actual_id: str, version: str) -> None:
        await self._gateway.call(APPROVE, {"actual_id": actual_id}, headers=if_match(version))

    async def return_actual(self, actual_id: str, version: str, reason: str) -> None:
        await self._gateway.call(
            RETURN, {"actual_id": actual_id}, headers=if_match(version), json={"reason": reason}
        )


def _facets(page: Page[Measure]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return (
        tuple(sorted({m.data_provider for m in page.items if m.data_provider})),
        tuple(sorted({m.service_area for m in page.items if m.service_area})),
    )


def kpi_api_client(gateway: Gateway) -> KpiApiClient:
    """FastAPI dependency: the KPI API on behalf of the person viewing the page."""
    return KpiApiClient(gateway)


KpiApi = Annotated[KpiApiClient, Depends(kpi_api_client)]
