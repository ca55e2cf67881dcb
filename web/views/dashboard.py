"""The dashboard: the first page a director sees."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from web.clients.gateway import GatewayClient, UpstreamDown, gateway_client
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


@router.get("/", response_class=HTMLResponse)
async def dashboard(request: Request, page: PageContext, gateway: Gateway) -> HTMLResponse:
    sections: list[dict[str, Any]] = []
    for title, href, path, what in (
        ("KPIs", "/kpis", "/kpi/measures?limit=1", "KPI service"),
        ("Projects", "/projects", "/projects/priorities?limit=1", "projects service"),
        ("Budget", "/budget", "/finance/budget-lines?limit=1", "finance service"),
    ):
        try:
            total = (await gateway.get_json(path, what=what))["total"]
            sections.append({"title": title, "href": href, "total": total, "down": None})
        except UpstreamDown as down:
            sections.append({"title": title, "href": href, "total": None, "down": down.what})
    return render(request, "dashboard.html", {**page, "sections": sections, "nav": "dashboard"})
