"""The improvement plan: actions by area of accountability, and how many remain open."""

from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from web.rendering import render
from web.views.dashboard import PageContext
from web.views.projects import Projects

router = APIRouter()

ACTION_STATUSES = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "completed": "Completed",
}


@router.get("/improvement-plan", response_class=HTMLResponse)
async def improvement_plan(request: Request, page: PageContext, projects: Projects) -> HTMLResponse:
    summary = await projects.improvement_summary()
    actions = await projects.improvement_actions()
    areas = [(area, list(items)) for area, items in groupby(actions, key=lambda a: a["area"])]
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
        },
    )
