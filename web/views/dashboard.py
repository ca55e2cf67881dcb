"""The dashboard: the first page a director sees."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from common.periods import FinancialYear
from web.clients.gateway import ApiError, GatewayClient, UpstreamDown, gateway_client
from web.rendering import render

router = APIRouter()
Gateway = Annotated[GatewayClient, Depends(gateway_client)]


async def page_context(request: Request, gateway: Gateway) -> dict[str, Any]:
    """What every page's header needs: the caller and their council."""
    try:
        me = await gateway.get_json("/me", what="sign-in")
    except UpstreamDown:
        me = None
    return {"me": me}


PageContext = Annotated[dict[str, Any], Depends(page_context)]


async def _section(gateway: GatewayClient, path: str, what: str) -> dict[str, Any]:
    """One card's data, or which service is down: one card never takes the page with it."""
    try:
        return {"data": await gateway.get_json(path, what=what), "down": None}
    except UpstreamDown as down:
        return {"data": None, "down": down.what}
    except ApiError as error:
        return {"data": None, "down": None, "error": error.problem.get("detail", "")}


@router.get("/", response_class=HTMLResponse)
async def dashboard(request: Request, page: PageContext, gateway: Gateway) -> HTMLResponse:
    """The position at a glance: KPI RAG, projects, savings and budget, each linking to detail."""
    year = FinancialYear.containing(date.today())
    # One after another, not gathered: four small reads, and simpler to reason about.
    kpis = await _section(gateway, "/kpi/scorecard?limit=1", "KPI service")
    projects = await _section(gateway, "/projects/portfolio/summary", "projects service")
    savings = await _section(gateway, "/finance/savings/totals?by=year", "finance service")
    budget = await _section(gateway, "/finance/budget/position", "finance service")
    if savings["data"]:
        groups = savings["data"]["groups"]
        savings["year"] = next((g for g in groups if g["key"] == year.label), None) or (
            groups[-1] if groups else None
        )
    return render(
        request,
        "dashboard.html",
        {
            **page,
            "nav": "dashboard",
            "kpis": kpis,
            "projects": projects,
            "savings": savings,
            "budget": budget,
        },
    )
