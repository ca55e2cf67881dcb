"""The improvement plan: actions by area of accountability, and how many remain open."""

from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from web.exports import Column, day, download_links, export, wanted
from web.rendering import render
from web.views.dashboard import PageContext
from web.views.projects import Projects

router = APIRouter()

ACTION_STATUSES = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "completed": "Completed",
}


COLUMNS = [
    Column("area", "Area", lambda a: a.area),
    Column("action", "Action", lambda a: a.action),
    Column("owner", "Owner", lambda a: a.owner),
    Column("due", "Due", lambda a: day(a.due_date)),
    Column("status", "Status", lambda a: ACTION_STATUSES.get(a.status, a.status)),
    Column("overdue", "Overdue", lambda a: "Yes" if a.overdue else "No", page=False),
]
"""The improvement plan's actions, on the page (a table per area) and in its downloads."""


@router.get("/improvement-plan", response_class=HTMLResponse, response_model=None)
async def improvement_plan(
    request: Request, page: PageContext, projects: Projects, format: str = "", retired: str = ""
) -> Response:
    """Actions by area; `format=csv` or `format=xlsx` downloads every action. Retired actions
    are shown only with `retired=yes`."""
    actions = await projects.improvement_actions(include_retired=retired == "yes")
    fmt = wanted(format)
    if fmt:
        return export(COLUMNS, actions, name="improvement-plan", fmt=fmt, sheet="Improvement plan")
    summary = await projects.improvement_summary()
    # The service gives each action its area as first written, so cased variants are one area.
    areas = [(area, list(items)) for area, items in groupby(actions, key=lambda a: a.area_label)]
    return render(
        request,
        "projects/improvement_plan.html",
        {
            **page,
            "nav": "projects",
            "title": "Improvement plan",
            "summary": summary,
            "areas": areas,
            "action_statuses": ACTION_STATUSES,
            "columns": [c for c in COLUMNS if c.key != "area"],
            "show_retired": retired == "yes",
            "download_links": download_links("/improvement-plan", {"retired": retired}),
        },
    )
