"""The finance service's API as the web pages use it (through the gateway, like any client)."""

from datetime import date
from typing import Any

from web.clients.gateway import ApiError, Endpoint, GatewayClient, UpstreamDown, if_match, query
from web.clients.models import (
    BudgetLine,
    BudgetPosition,
    Entry,
    Flag,
    Forecast,
    Page,
    SavingsLine,
    SavingsTotals,
    TrackerPage,
)
from web.clients.projects_api_client import PROJECTS

WHAT = "finance service"
TRACKER = Endpoint("GET", "/finance/savings-lines", TrackerPage, WHAT)
SAVINGS_LINE = Endpoint("GET", "/finance/savings-lines/{line_id}", SavingsLine, WHAT)
ADD_SAVINGS_LINE = Endpoint("POST", "/finance/savings-lines", SavingsLine, WHAT)
CHANGE_SAVINGS_LINE = Endpoint("PATCH", "/finance/savings-lines/{line_id}", SavingsLine, WHAT)
ENTRIES = Endpoint("GET", "/finance/savings-lines/{line_id}/entries", Page[Entry], WHAT)
ENTRY = Endpoint("GET", "/finance/savings-lines/{line_id}/entries/{month}", Entry, WHAT)
ADD_ENTRY = Endpoint("POST", "/finance/savings-lines/{line_id}/entries", Entry, WHAT)
CHANGE_ENTRY = Endpoint("PATCH", "/finance/savings-lines/{line_id}/entries/{month}", Entry, WHAT)
OWNERS = Endpoint("GET", "/finance/savings/owners", Page[str], WHAT)
TOTALS = Endpoint("GET", "/finance/savings/totals", SavingsTotals, WHAT)
POSITION = Endpoint("GET", "/finance/budget/position", BudgetPosition, WHAT)
FLAGS = Endpoint("GET", "/finance/reconciliation-flags", Page[Flag], WHAT)
EXPLAIN_FLAG = Endpoint("POST", "/finance/reconciliation-flags/{flag_id}/explain", Flag, WHAT)
BUDGET_LINE = Endpoint("GET", "/finance/budget-lines/{line_id}", BudgetLine, WHAT)
ADD_BUDGET_LINE = Endpoint("POST", "/finance/budget-lines", BudgetLine, WHAT)
CHANGE_BUDGET_LINE = Endpoint("PATCH", "/finance/budget-lines/{line_id}", BudgetLine, WHAT)
FORECASTS = Endpoint("GET", "/finance/budget-lines/{line_id}/forecasts", Page[Forecast], WHAT)
ADD_FORECAST = Endpoint("POST", "/finance/budget-lines/{line_id}/forecasts", Forecast, WHAT)
CHANGE_FORECAST = Endpoint(
    "PATCH", "/finance/budget-lines/{line_id}/forecasts/{month}", Forecast, WHAT
)


class FinanceApiClient:
    def __init__(self, gateway: GatewayClient) -> None:
        self._gateway = gateway

    async def tracker(self, **filters: Any) -> TrackerPage:
        return await self._gateway.call(TRACKER, params=query(filters))

    async def savings_line(self, line_id: str) -> SavingsLine:
        return await self._gateway.call(SAVINGS_LINE, {"line_id": line_id})

    async def entries(self, line_id: str) -> list[Entry]:
        return await self._gateway.every(ENTRIES, {"line_id": line_id})

    async def entry(self, line_id: str, month: date) -> Entry:
        return await self._gateway.call(ENTRY, {"line_id": line_id, "month": f"{month:%Y-%m}"})

    async def save_entry(
        self, line_id: str, month: date, values: dict[str, str], version: str | None
    ) -> None:
        """Create the month's return, or change it (If-Match on the version the form was shown)."""
        if version:
            await self._gateway.call(
                CHANGE_ENTRY,
                {"line_id": line_id, "month": f"{month:%Y-%m}"},
                json=values,
                headers=if_match(version),
            )
        else:
            await self._gateway.call(
                ADD_ENTRY, {"line_id": line_id}, json={"month": f"{month:%Y-%m}"} | values
            )

    async def open_flags(self, tracker: str) -> list[Flag]:
        """The stated totals of imported tables that did not add up and are not yet explained."""
        return await self._gateway.every(FLAGS, tracker=tracker, explained="false")

    async def explain_flag(self, flag_id: str, version: str, explanation: str) -> Flag:
        """Mark a flag explained (If-Match on the version the banner was shown)."""
        return await self._gateway.call(
            EXPLAIN_FLAG,
            {"flag_id": flag_id},
            json={"explanation": explanation},
            headers=if_match(version),
        )

    async def forecasts(self, line_id: str) -> list[Forecast]:
        return await self._gateway.every(FORECASTS, {"line_id": line_id})

    async def save_forecast(
        self, line_id: str, month: str, values: dict[str, str], version: int | None
    ) -> Forecast:
        """Record the month's forecast outturn, or change it (If-Match on the version shown)."""
        if version is not None:
            return await self._gateway.call(
                CHANGE_FORECAST,
                {"line_id": line_id, "month": month},
                json=values,
                headers=if_match(version),
            )
        return await self._gateway.call(
            ADD_FORECAST, {"line_id": line_id}, json={"month": month} | values
        )

    async def owners(self) -> list[str]:
        return await self._gateway.every(OWNERS)

    async def savings_totals(self, **params: Any) -> SavingsTotals:
        return await self._gateway.call(TOTALS, params=query(params))

    async def budget_position(
        self, month: str | None = None, *, as_at: str | None = None
    ) -> BudgetPosition:
        """A month's position, or as at a day (a quarter, month or year: as at its end)."""
        return await self._gateway.call(POSITION, params=query({"month": month, "as_at": as_at}))

    async def project_names(self) -> dict[str, str]:
        """{project id: name} from the projects service, or {} while it has no project list."""
        try:
            page = await self._gateway.call(PROJECTS, params={"limit": 500})
        except (ApiError, UpstreamDown):
            return {}  # names are a nicety: the savings pages work without them
        return {p.id: p.name or p.id for p in page.items}
