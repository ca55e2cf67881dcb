"""The objectives page: the golden thread from council priorities through objectives to the
KPIs that measure them and the projects that deliver them."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from web.clients.gateway import UpstreamDown
from web.exports import Column, download_links, export, rag_word, wanted, yes_no
from web.rendering import render
from web.views.dashboard import PageContext
from web.views.projects import Projects

router = APIRouter()


def _listed(items: list[dict[str, Any]], name: str) -> str:
    """Each linked KPI or project with its status in words: "Carers assessed (Off track)"."""
    return "\n".join(f"{i[name]} ({rag_word(i.get('rag') or 'no_data')})" for i in items)


COLUMNS = [
    Column("number", "Number", lambda r: int(r["objective"]["number"])),
    Column("objective", "Objective", lambda r: r["objective"]["statement"]),
    Column(
        "council_plan", "Council Plan objective", lambda r: yes_no(r["objective"]["council_plan"])
    ),
    Column(
        "priorities",
        "Council plan priorities",
        lambda r: "\n".join(p["title"] for p in r["priorities"]),
    ),
    Column("kpis", "KPIs (status)", lambda r: _listed(r["kpis"], "title")),
    Column("projects", "Projects (RAG)", lambda r: _listed(r["projects"], "name")),
    Column("owner", "Owner", lambda r: r["objective"].get("owner") or ""),
]
"""The objectives page in its downloads: one row per objective, its links one per line."""


@router.get("/objectives", response_class=HTMLResponse, response_model=None)
async def objectives_page(
    request: Request, page: PageContext, projects: Projects, format: str = ""
) -> Response:
    """The golden thread; `format=csv` or `format=xlsx` downloads it, one row per objective."""
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
    fmt = wanted(format)
    if fmt:
        return export(COLUMNS, rows, name="objectives", fmt=fmt, sheet="Objectives")
    return render(
        request,
        "projects/objectives.html",
        {
            **page,
            "nav": "projects",
            "title": "Objectives",
            "rows": rows,
            "kpi_down": kpi_down,
            "download_links": download_links("/objectives", {}),
        },
    )
