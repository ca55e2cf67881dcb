"""The KPI pages' calls to the gateway's `/kpi` API."""

from typing import Annotated, Any

from fastapi import Depends

from web.clients.gateway import GatewayClient, gateway_client

WHAT = "KPI service"


class KpiApiClient:
    def __init__(self, gateway: GatewayClient) -> None:
        self._gateway = gateway

    async def scorecard(self, **params: Any) -> dict[str, Any]:
        query = {k: v for k, v in params.items() if v not in (None, "")}
        result: dict[str, Any] = await self._gateway.get_json(
            "/kpi/scorecard", what=WHAT, params=query
        )
        return result

    async def measure(self, measure_id: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._gateway.get_json(
            f"/kpi/measures/{measure_id}", what=WHAT
        )
        return result

    async def series(self, measure_id: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._gateway.get_json(
            f"/kpi/measures/{measure_id}/series", what=WHAT
        )
        return result

    async def facets(self) -> tuple[list[str], list[str]]:
        """The data providers and service areas of active measures, for filter lists."""
        page = await self._gateway.get_json(
            "/kpi/measures", what=WHAT, params={"limit": 500, "active": "true"}
        )
        providers = sorted({m["data_provider"] for m in page["items"] if m["data_provider"]})
        areas = sorted({m["service_area"] for m in page["items"] if m["service_area"]})
        return providers, areas

    async def actuals(self, **params: Any) -> list[dict[str, Any]]:
        query = {k: v for k, v in params.items() if v not in (None, "")}
        page = await self._gateway.get_json("/kpi/actuals", what=WHAT, params=query)
        items: list[dict[str, Any]] = page["items"]
        return items

    async def revisions(self, actual_id: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = await self._gateway.get_json(
            f"/kpi/actuals/{actual_id}/revisions", what=WHAT
        )
        return result

    async def bulk(self, rows: list[dict[str, Any]], *, submit: bool) -> dict[str, Any]:
        response = await self._gateway.request(
            "POST", "/kpi/actuals/bulk", what=WHAT, json={"rows": rows, "submit": submit}
        )
        result: dict[str, Any] = response.json()
        return result

    async def approve(self, actual_id: str, version: str) -> None:
        await self._gateway.request(
            "POST",
            f"/kpi/actuals/{actual_id}/approve",
            what=WHAT,
            headers={"if-match": f'"{version}"'},
        )

    async def return_actual(self, actual_id: str, version: str, reason: str) -> None:
        await self._gateway.request(
            "POST",
            f"/kpi/actuals/{actual_id}/return",
            what=WHAT,
            headers={"if-match": f'"{version}"'},
            json={"reason": reason},
        )


def kpi_api_client(gateway: Annotated[GatewayClient, Depends(gateway_client)]) -> KpiApiClient:
    """FastAPI dependency: the KPI API on behalf of the person viewing the page."""
    return KpiApiClient(gateway)


KpiApi = Annotated[KpiApiClient, Depends(kpi_api_client)]
