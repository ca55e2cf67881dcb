"""The finance service's API as the web pages use it (through the gateway, like any client)."""

from datetime import date
from typing import Any

from web.clients.gateway import (
    LIMIT,
    ApiError,
    Editable,
    Endpoint,
    GatewayClient,
    UpstreamDown,
    editing,
    if_match,
    query,
)
from web.clients.models import (
    Benefit,
    BudgetLine,
    BudgetPosition,
    BudgetTrend,
    Entry,
    Flag,
    Forecast,
    LibraryPage,
    LibraryTheme,
    Page,
    Project,
    SavingsLine,
    SavingsTotals,
    SavingsTrend,
    ThemeTable,
    TrackerPage,
)
from web.clients.projects_api_client import PROJECTS

WHAT = "finance service"
TRACKER = Endpoint("GET", "/finance/savings-lines", TrackerPage, WHAT)
SAVINGS_LINE = Endpoint("GET", "/finance/savings-lines/{line_id}", SavingsLine, WHAT)
EDITABLE_SAVINGS_LINE = Editable(SAVINGS_LINE, retires=True)
ENTRIES = Endpoint("GET", "/finance/savings-lines/{line_id}/entries", Page[Entry], WHAT)
ENTRY = Endpoint("GET", "/finance/savings-lines/{line_id}/entries/{month}", Entry, WHAT)
ADD_ENTRY, CHANGE_ENTRY = editing(ENTRY)
BENEFIT = Endpoint("GET", "/finance/savings-lines/{line_id}/benefit", Benefit, WHAT)
PEERS = Endpoint("GET", "/finance/savings-lines/{line_id}/peers", LibraryPage, WHAT)
LIBRARY = Endpoint("GET", "/finance/library/savings", LibraryPage, WHAT)
BY_THEME = Endpoint("GET", "/finance/library/savings/by-theme", ThemeTable, WHAT)
THEMES = Endpoint("GET", "/finance/library/themes", Page[LibraryTheme], WHAT)
OWNERS = Endpoint("GET", "/finance/savings/owners", Page[str], WHAT)
TOTALS = Endpoint("GET", "/finance/savings/totals", SavingsTotals, WHAT)
POSITION = Endpoint("GET", "/finance/budget/position", BudgetPosition, WHAT)
BUDGET_TREND = Endpoint("GET", "/finance/budget/trend", BudgetTrend, WHAT)
SAVINGS_TREND = Endpoint("GET", "/finance/savings/trend", SavingsTrend, WHAT)
FLAGS = Endpoint("GET", "/finance/reconciliation-flags", Page[Flag], WHAT)
EXPLAIN_FLAG = Endpoint("POST", "/finance/reconciliation-flags/{flag_id}/explain", Flag, WHAT)
BUDGET_LINE = Endpoint("GET", "/finance/budget-lines/{line_id}", BudgetLine, WHAT)
EDITABLE_BUDGET_LINE = Editable(BUDGET_LINE, retires=True)
BUDGET_LINES = Endpoint("GET", "/finance/budget-lines", Page[BudgetLine], WHAT)
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

    async def benefit(self, line_id: str) -> Benefit | None:
        """The line's calculation with its working, or None when it has none."""
        try:
            return await self._gateway.call(BENEFIT, {"line_id": line_id})
        except ApiError as error:
            if error.status == 404:
                return None
            raise

    async def peers(self, line_id: str) -> LibraryPage:
        """Other councils' savings on the line's theme."""
        return await self._gateway.call(PEERS, {"line_id": line_id}, params={"limit": 10})

    async def library(self, **filters: Any) -> LibraryPage:
        return await self._gateway.call(LIBRARY, params=query(filters))

    async def by_theme(self, financial_year: str) -> ThemeTable:
        """Councils down, themes across: each council's achieved savings on each theme."""
        return await self._gateway.call(BY_THEME, params=query({"financial_year": financial_year}))

    async def themes(self) -> list[LibraryTheme]:
        return await self._gateway.every(THEMES)

    async def retired_budget_lines(self) -> list[BudgetLine]:
        """The budget lines that have left the monitor, to show and restore."""
        found = await self._gateway.call(
            BUDGET_LINES, params={"include_retired": "true", "limit": 500}
        )
        return [line for line in found.items if line.retired]

    async def owners(self) -> list[str]:
        """The teams that own savings lines, kept per council until the list's ETag changes."""
        owners = await self._gateway.call_revalidated(
            OWNERS,
            lambda page: tuple(page.items),
            key=("owners", self._gateway.council()),
            params={"limit": LIMIT},
        )
        return list(owners)

    async def savings_totals(self, **params: Any) -> SavingsTotals:
        return await self._gateway.call(TOTALS, params=query(params))

    async def savings_trend(self, financial_year: str) -> SavingsTrend:
        """Cashable savings month by month through the year, against the target."""
        return await self._gateway.call(SAVINGS_TREND, params={"financial_year": financial_year})

    async def budget_trend(self, financial_year: str | None = None) -> BudgetTrend:
        """The forecast outturn month by month (the latest forecast's year when not given)."""
        return await self._gateway.call(
            BUDGET_TREND, params=query({"financial_year": financial_year})
        )

    async def budget_position(
        self, month: str | None = None, *, as_at: str | None = None
    ) -> BudgetPosition:
        """A month's position, or as at a day (a quarter, month or year: as at its end)."""
        return await self._gateway.call(POSITION, params=query({"month": month, "as_at": as_at}))

    async def project_names(self) -> dict[str, str]:
        """{project id: name} from the projects service, or {} while it has no project list."""
        try:
            names = await self._gateway.call_revalidated(
                PROJECTS,
                _names,
                key=("project names", self._gateway.council()),
                params={"limit": 500},
            )
        except (ApiError, UpstreamDown):
            return {}  # names are a nicety: the savings pages work without them
        return dict(names)


def _names(page: Page[Project]) -> tuple[tuple[str, str], ...]:
    """(id, name) of each project: kept and shared, so a tuple nobody can change."""
    return tuple((p.id, p.name or p.id) for p in page.items)
