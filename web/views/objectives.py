"""The objectives page: the golden thread from council priorities through objectives to the
KPIs that measure them and the projects that deliver them."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from web.clients.gateway import UpstreamDown
from web.rendering import render
from web.views.dashboard import PageContext
from web.views.projects import Projects

router = APIRouter()


@router.get("/objectives", response_class=HTMLResponse)
async def objectives_page(request: Request, page: PageContext, projects: Projects) -> HTMLResponse:
    objectives = await projects.objectives()
    priorities = {p["id"]: p for p in await projects.priorities()}
    all_projects = await projects.projects()
    measure_ids = {m for o in objectives for m in o["kpi_measure_ids"]}
    kpi_down = None
    try:
        kpis = await projects.kpi_statuses(measure_ids)
    except UpstreamDown as down:
        kpis, kpi_down = {}, down.what
    rows = [
        {
            "objective": o,
            "priorities": [priorities[i] for i in o["priority_ids"] if i in priorities],
            "kpis": [
                kpis.get(m) or {"title": "Not available", "rag": None} for m in o["kpi_measure_ids"]
            ],
            "projects": [p for p in all_projects if o["id"] in p["objective_ids"]],
        }
        for o in objectives
    ]
    return render(
        request,
        "projects/objectives.html",
        {**page, "nav": "projects", "title": "Objectives", "rows": rows, "kpi_down": kpi_down},
    )
