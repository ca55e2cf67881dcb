"""The objectives page: the golden thread from council priorities through objectives to the
KPIs that measure them and the projects that deliver them."""

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from web.clients.gateway import UpstreamDown
from web.clients.models import Objective, Priority, Project
from web.clients.projects_api_client import KpiStatus
from web.exports import Column, download_links, export, rag_word, wanted, yes_no
from web.rendering import render
from web.views.dashboard import PageContext
from web.views.projects import Projects

router = APIRouter()


@dataclass(frozen=True)
class Thread:
    """One objective with the priorities it serves, the KPIs that measure it and the projects
    that deliver it."""

    objective: Objective
    priorities: list[Priority]
    kpis: list[KpiStatus]
    projects: list[Project]


def _listed(items: list[tuple[str, str | None]]) -> str:
    """Each linked KPI or project with its status in words: "Carers assessed (Off track)"."""
    return "\n".join(f"{name} ({rag_word(rag or 'no_data')})" for name, rag in items)


COLUMNS = [
    Column("number", "Number", lambda r: r.objective.number),
    Column("objective", "Objective", lambda r: r.objective.statement),
    Column("council_plan", "Council Plan objective", lambda r: yes_no(r.objective.council_plan)),
    Column(
        "priorities",
        "Council plan priorities",
        lambda r: "\n".join(p.title for p in r.priorities),
    ),
    Column("kpis", "KPIs (status)", lambda r: _listed([(k.title, k.rag) for k in r.kpis])),
    Column("projects", "Projects (RAG)", lambda r: _listed([(p.name, p.rag) for p in r.projects])),
    Column("owner", "Owner", lambda r: r.objective.owner or ""),
]


"""The objectives page in its downloads: one row per objective, its links one per line."""


@router.get("/objectives", response_class=HTMLResponse, response_model=None)
async def objectives_page(
    request: Request, page: PageContext, projects: Projects, format: str = "", retired: str = ""
) -> Response:
    """The golden thread; `format=csv` or `format=xlsx` downloads it, one row per objective.
    Retired objectives and priorities are shown only with `retired=yes`."""
    show_retired = retired == "yes"
    objectives = await projects.objectives(include_retired=show_retired)
    priorities = {p.id: p for p in await projects.priorities(include_retired=show_retired)}
    all_projects = await projects.projects()
    measure_ids = {m for o in objectives for m in o.kpi_measure_ids}
    kpi_down = None
    try:
        kpis = await projects.kpi_statuses(measure_ids)
    except UpstreamDown as down:
        kpis, kpi_down = {}, down.what
    rows = [
        Thread(
            objective=o,
            priorities=[priorities[i] for i in o.priority_ids if i in priorities],
            kpis=[
                kpis.get(m) or KpiStatus(title="Not available", rag=None) for m in o.kpi_measure_ids
            ],
            projects=[p for p in all_projects if o.id in p.objective_ids],
        )
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
            "show_retired": show_retired,
            "retired_priorities": [p for p in priorities.values() if p.retired],
            "download_links": download_links("/objectives", {"retired": retired}),
        },
    )
