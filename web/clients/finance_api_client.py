"""The finance service's API as the web pages use it (through the gateway, like any client)."""

from datetime import date
from decimal import Decimal
from typing import Any

from web.clients.gateway import ApiError, GatewayClient, UpstreamDown

WHAT = "finance service"
MONEY_FIELDS = frozenset(
    {
        "original_budget",
        "current_budget",
        "budget",
        "forecast_outturn",
        "previous_forecast",
        "variance",
        "movement",
        "target",
        "in_year",
        "full_year_effect",
        "achieved_to_date",
        "forecast_for_year",
        "slippage",
    }
)


def with_decimals(value: Any) -> Any:
    """The API's money strings as Decimal, so templates can format and compare them."""
    if isinstance(value, list):
        return [with_decimals(v) for v in value]
    if isinstance(value, dict):
        return {
            k: Decimal(v) if k in MONEY_FIELDS and isinstance(v, str) else with_decimals(v)
            for k, v in value.items()
        }
    return value


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v not in (None, "")}


class FinanceApiClient:
    def __init__(self, gateway: GatewayClient) -> None:
        self._gateway = gateway

    async def _get(self, path: str, **params: Any) -> Any:
        return with_decimals(await self._gateway.get_json(path, what=WHAT, params=_clean(params)))

    async def tracker(self, **filters: Any) -> dict[str, Any]:
        result: dict[str, Any] = await self._get("/finance/savings-lines", **filters)
        return result

    async def savings_line(self, line_id: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._get(f"/finance/savings-lines/{line_id}")
        return result

    async def entries(self, line_id: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = await self._get(f"/finance/savings-lines/{line_id}/entries")
        return result

    async def entry(self, line_id: str, month: date) -> dict[str, Any]:
        result: dict[str, Any] = await self._get(
            f"/finance/savings-lines/{line_id}/entries/{month:%Y-%m}"
        )
        return result

    async def save_entry(
        self, line_id: str, month: date, values: dict[str, str], version: str | None
    ) -> None:
        """Create the month's return, or change it (If-Match on the version the form was shown)."""
        if version:
            await self._gateway.request(
                "PATCH",
                f"/finance/savings-lines/{line_id}/entries/{month:%Y-%m}",
                what=WHAT,
                json=values,
                headers={"if-match": f'W/"{version}"'},
            )
        else:
            await self._gateway.request(
                "POST",
                f"/finance/savings-lines/{line_id}/entries",
                what=WHAT,
                json={"month": f"{month:%Y-%m}"} | values,
            )

    async def open_flags(self, tracker: str) -> list[dict[str, Any]]:
        """The stated totals of imported tables that did not add up and are not yet explained."""
        result: list[dict[str, Any]] = await self._get(
            "/finance/reconciliation-flags", tracker=tracker, explained="false"
        )
        return result

    async def explain_flag(self, flag_id: str, version: str, explanation: str) -> None:
        await self._gateway.request(
            "POST",
            f"/finance/reconciliation-flags/{flag_id}/explain",
            what=WHAT,
            json={"explanation": explanation},
            headers={"if-match": f'W/"{version}"'},
        )

    async def owners(self) -> list[str]:
        result: list[str] = await self._get("/finance/savings/owners")
        return result

    async def budget_position(self, month: str | None) -> dict[str, Any]:
        result: dict[str, Any] = await self._get("/finance/budget/position", month=month)
        return result

    async def project_names(self) -> dict[str, str]:
        """{project id: name} from the projects service, or {} while it has no project list."""
        try:
            body = await self._gateway.get_json(
                "/projects/projects", what="projects service", params={"limit": 500}
            )
        except (ApiError, UpstreamDown):
            return {}  # names are a nicety: the savings pages work without them
        items = body.get("items", []) if isinstance(body, dict) else []
        return {
            str(p["id"]): str(p.get("name") or p.get("title") or p["id"])
            for p in items
            if isinstance(p, dict) and "id" in p
        }
