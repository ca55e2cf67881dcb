"""The dashboard: the first page a director sees."""

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from common.periods import FinancialYear
from web.clients.finance_api_client import FinanceApiClient
from web.clients.gateway import ApiError, Gateway, UpstreamDown
from web.clients.gateway_api_client import GatewayApi
from web.clients.kpi_api_client import KpiApiClient
from web.clients.models import TotalsGroup
from web.clients.projects_api_client import ProjectsApiClient
from web.clients.tasks_api_client import TasksApiClient
from web.rendering import render
from web.roles import sees_director_view
from web.views.director import director_view
from web.views.tasks import task_rows

router = APIRouter()
T = TypeVar("T")


async def page_context(request: Request, api: GatewayApi) -> dict[str, Any]:
    """What every page's header needs: the caller and their council."""
    try:
        me = await api.me()
    except UpstreamDown:
        me = None
    except ApiError as error:
        if error.status != 403:
            raise
        # Only a platform administrator, who has no council, is refused it: their own menu.
        return {"me": None, "platform": True}
    return {"me": me}


PageContext = Annotated[dict[str, Any], Depends(page_context)]


@dataclass
class Card(Generic[T]):
    """One card's data, or which service is down, or what the API said."""

    data: T | None = None
    down: str | None = None
    error: str = ""


async def _section(read: Awaitable[T]) -> Card[T]:
    """One card never takes the page with it."""
    try:
        return Card(await read)
    except UpstreamDown as down:
        return Card(down=down.what)
    except ApiError as error:
        return Card(error=str(error.problem.get("detail", "")))


@router.get("/", response_class=HTMLResponse)
async def dashboard(request: Request, page: PageContext, gateway: Gateway) -> HTMLResponse:
    """The person's tasks, and the position at a glance: KPI RAG, projects, savings and budget,
    each linking to detail."""
    year = FinancialYear.containing(date.today())
    kpi, finance = KpiApiClient(gateway), FinanceApiClient(gateway)
    # One after another, not gathered: a few small reads, and simpler to reason about.
    tasks = await _section(TasksApiClient(gateway).mine())
    kpis = await _section(kpi.scorecard(limit=1))
    projects = await _section(ProjectsApiClient(gateway).portfolio_summary())
    savings = await _section(finance.savings_totals(by="year"))
    budget = await _section(finance.budget_position(None))
    savings_year: TotalsGroup | None = None
    if savings.data:
        groups = savings.data.groups
        savings_year = next((g for g in groups if g.key == year.label), None) or (
            groups[-1] if groups else None
        )
    me = page.get("me")
    director = (
        await director_view(gateway, _section, me.roles)
        if me and sees_director_view(me.roles)
        else None
    )
    return render(
        request,
        "dashboard.html",
        {
            **page,
            "director": director,
            "nav": "dashboard",
            "tasks": tasks,
            "task_rows": task_rows(tasks.data) if tasks.data else [],
            "kpis": kpis,
            "projects": projects,
            "savings": savings,
            "savings_year": savings_year,
            "budget": budget,
        },
    )
