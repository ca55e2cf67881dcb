"""Project pages: the tracker, a project's page, and the programme office's inline edits."""

from collections.abc import Callable
from datetime import date, timedelta
from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from common.periods import Period
from common.writing import Cell
from web.charts import PALETTE
from web.clients.audit_api_client import record_history
from web.clients.finance_api_client import FinanceApiClient
from web.clients.gateway import ApiError, Gateway, UpstreamDown
from web.clients.models import Caller, Project, Timeline
from web.clients.projects_api_client import ProjectsApiClient
from web.exports import Column, day, export, rag_word, tracker_table, wanted, yes_no
from web.rendering import TEMPLATES, render
from web.views.dashboard import PageContext

router = APIRouter()


def projects_client(gateway: Gateway) -> ProjectsApiClient:
    return ProjectsApiClient(gateway)


Projects = Annotated[ProjectsApiClient, Depends(projects_client)]

STAGES = {"proposed": "Proposed", "in_delivery": "In delivery", "closed": "Closed"}
RAGS = [("green", "Green: on track"), ("amber", "Amber: at risk"), ("red", "Red: off track")]
MILESTONE_STATUSES = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "completed": "Completed",
    "cancelled": "Cancelled",
}
BASES = {"total": "in total", "per_annum": "per year", "recurrent": "recurrent"}
RAID_KINDS = {
    "risk": "Risk",
    "assumption": "Assumption",
    "issue": "Issue",
    "dependency": "Dependency",
}
TEMPLATES.env.globals.update(
    stage_labels=STAGES,
    milestone_statuses=MILESTONE_STATUSES,
    budget_bases=BASES,
    raid_kinds=RAID_KINDS,
    rag_options=RAGS,
)


def month_label(value: str | None) -> str:
    """ "2025-04" as people write it: "April 2025"."""
    if not value:
        return ""
    return f"{Period.parse(value).start:%B %Y}"


def month_short(value: str | None) -> str:
    """ "2025-04" in a narrow table column: "Apr 2025"."""
    return f"{Period.parse(value).start:%b %Y}" if value else ""


def day_short(value: str | None) -> str:
    """ "2025-04-07" in a narrow table column: "7 Apr 2025"."""
    if not value:
        return ""
    day = date.fromisoformat(value)
    return f"{day.day} {day:%b %Y}"


def day_label(value: str | None) -> str:
    """ "2025-04-07" as GOV.UK writes dates: "7 April 2025"."""
    if not value:
        return ""
    day = date.fromisoformat(value)
    return f"{day.day} {day:%B %Y}"


def slippage_label(days: int | None) -> str:
    if days is None:
        return "No milestones"
    if days == 0:
        return "On time"
    unit = "day" if abs(days) == 1 else "days"
    return f"{days} {unit} late" if days > 0 else f"{-days} {unit} early"


TEMPLATES.env.filters.update(
    month_label=month_label,
    month_short=month_short,
    day_label=day_label,
    day_short=day_short,
    slippage=slippage_label,
)


def _month_or_words(month: str | None, text: str) -> str:
    """A start or end as an ISO month ("2025-04"), or the plan's own words when it has no month."""
    return month[:7] if month else text


def _next(field: str) -> Callable[[Project], Cell]:
    def value(project: Project) -> Cell:
        milestone = project.next_milestone
        if milestone is None:
            return day(None) if field == "due_date" else None
        if field == "due_date":
            return day(milestone.due_date)
        if field == "overdue":
            return yes_no(milestone.overdue)
        return milestone.title

    return value


def tracker_columns(objective_numbers: dict[str, Any]) -> list[Column]:
    """The projects tracker's table, on the page and in its downloads."""

    def objectives(project: Project) -> str:
        numbers = [objective_numbers[i] for i in project.objective_ids if i in objective_numbers]
        return ", ".join(str(n) for n in numbers)

    return [
        Column("name", "Project", lambda p: p.name, sortable=True),
        Column("objectives", "Objectives", objectives),
        Column(
            "start",
            "Start",
            lambda p: _month_or_words(p.start_month, p.start_text),
            sortable=True,
        ),
        Column("end", "End", lambda p: _month_or_words(p.end_month, p.end_text), sortable=True),
        Column("lead", "Lead team", lambda p: p.lead_team, sortable=True),
        Column("sro", "SRO", lambda p: p.sro),
        Column("stage", "Stage", lambda p: STAGES.get(p.stage, p.stage), sortable=True),
        Column("rag", "RAG", lambda p: rag_word(p.rag), sortable=True),
        Column(
            "council_plan", "Council Plan project", lambda p: yes_no(p.council_plan), page=False
        ),
        Column("next_milestone", "Next milestone", _next("title")),
        Column("next_due", "Next milestone due", _next("due_date"), page=False),
        Column("overdue", "Overdue", _next("overdue"), page=False),
        Column("slippage", "Slippage", lambda p: p.slippage_days, unit="days late", numeric=True),
    ]


@router.get("/projects", response_class=HTMLResponse, response_model=None)
async def projects_tracker(
    request: Request,
    page: PageContext,
    projects: Projects,
    objective_id: str = "",
    rag: str = "",
    lead_team: str = "",
    stage: str = "",
    sort: str = "name",
    format: str = "",
    retired: str = "",
) -> Response:
    """The projects tracker; `format=csv` or `format=xlsx` downloads the same projects.
    Retired projects are left out unless `retired=yes` ("Show retired")."""
    filters = {"objective_id": objective_id, "rag": rag, "lead_team": lead_team, "stage": stage}
    errors: dict[str, str] = {}
    rows: list[Project] | None = None
    try:
        rows = await projects.projects(
            **filters, sort=sort, include_retired="true" if retired == "yes" else ""
        )
    except ApiError as error:
        if error.status != 422:
            raise
        errors = error.field_errors() or {"form": str(error)}
    objectives = await projects.objectives()
    columns = tracker_columns({o.id: o.number for o in objectives})
    fmt = wanted(format)
    if fmt and rows is not None:
        return export(columns, rows, name="projects", fmt=fmt, sheet="Projects")
    context = {
        **page,
        "nav": "projects",
        "title": "Projects",
        "projects": rows,
        "errors": errors,
        **tracker_table(columns, "/projects", filters, sort, retired),
        "objectives": objectives,
        "objective_numbers": {o.id: o.number for o in objectives},
        "lead_teams": await projects.lead_teams(),
    }
    return render(request, "projects/tracker.html", context, block="results")


# --- a project's page ---------------------------------------------------------------------------


def gantt(timeline: Timeline, today: date) -> str:
    """Milestones as an SVG timeline: baseline (outline) against forecast or actual (filled)."""
    milestones = timeline.milestones
    start = timeline.start_month
    end = timeline.end_month
    days: list[date] = [today]
    for m in milestones:
        days += [date.fromisoformat(m.baseline_date), date.fromisoformat(m.due_date)]
        if m.actual_date:
            days.append(date.fromisoformat(m.actual_date))
    project_start = Period.parse(start).start if start else None
    project_end = Period.parse(end).end if end else None
    days += [d for d in (project_start, project_end) if d]
    low = min(days).replace(day=1)
    high = max(days) + timedelta(days=1)
    # The right margin holds the last month's label ("Sep 2027", drawn from its tick rightwards).
    width, label_w, right, top, row_h = 760, 250, 64, 36, 30
    plot_w = width - label_w - right
    rows = len(milestones) + 1
    height = top + rows * row_h + 10
    span = max((high - low).days, 1)

    def x(day: date) -> float:
        return label_w + (day - low).days / span * plot_w

    name = timeline.project_name
    parts = [
        f'<svg class="app-chart app-gantt" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="gantt-title gantt-desc" font-family="arial, sans-serif" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="gantt-title">{escape(name)}: milestone timeline</title>',
        f'<desc id="gantt-desc">{len(milestones)} milestones from {low:%B %Y}. Outlined '
        "diamonds are baseline dates; filled diamonds are forecast or actual dates; a line "
        "between them shows slippage. The table below gives the same dates.</desc>",
    ]
    months = (high.year - low.year) * 12 + high.month - low.month + 1
    every = max(1, -(-months // 6))  # at most six labels, so they never run together
    for i in range(0, months, every):
        total = low.year * 12 + low.month - 1 + i
        tick = date(total // 12, total % 12 + 1, 1)
        if tick > high:
            break
        parts.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top - 6}" y2="{height - 10}" '
            'stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{x(tick) + 3:.1f}" y="{top - 12}" font-size="12" fill="#0b0c0c">'
            f"{tick:%b %Y}</text>"
        )
    y = top + row_h / 2
    parts.append(
        f'<text x="0" y="{y + 4:.1f}" font-size="13" font-weight="bold" fill="#0b0c0c">'
        "Project</text>"
    )
    if project_start and project_end:
        parts.append(
            f'<rect x="{x(project_start):.1f}" y="{y - 8:.1f}" '
            f'width="{max(x(project_end) - x(project_start), 2):.1f}" height="16" '
            # A light fill with a full-strength outline: 3:1 against white (WCAG 1.4.11), and
            # the diamonds drawn over it still stand out.
            f'fill="{PALETTE[0]}" fill-opacity="0.25" stroke="{PALETTE[0]}" stroke-width="2">'
            f"<title>Project: {project_start:%B %Y} to {project_end:%B %Y}</title></rect>"
        )
    for i, m in enumerate(milestones, start=1):
        y = top + i * row_h + row_h / 2
        label = m.title if len(m.title) <= 38 else m.title[:36] + "…"
        baseline = date.fromisoformat(m.baseline_date)
        reached = date.fromisoformat(m.actual_date or m.due_date)
        late = m.slippage_days > 0
        colour = PALETTE[1] if m.status == "completed" else PALETTE[3] if late else PALETTE[0]
        parts.append(
            f'<text x="0" y="{y + 4:.1f}" font-size="12" fill="#0b0c0c">{escape(label)}</text>'
            f'<line x1="{x(baseline):.1f}" x2="{x(reached):.1f}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-width="4"/>'
            f'<path d="{_diamond(x(baseline), y)}" fill="#ffffff" stroke="{PALETTE[0]}" '
            f'stroke-width="2"><title>{escape(m.title)}: baseline {baseline:%d %B %Y}'
            "</title></path>"
            f'<path d="{_diamond(x(reached), y)}" fill="{colour}">'
            f"<title>{escape(m.title)}: {'completed' if m.actual_date else 'forecast'} "
            f"{reached:%d %B %Y}</title></path>"
        )
    parts.append(
        f'<line x1="{x(today):.1f}" x2="{x(today):.1f}" y1="{top - 6}" y2="{height - 10}" '
        f'stroke="{PALETTE[2]}" stroke-width="2" stroke-dasharray="4 3"/>'
        f'<text x="{x(today) - 4:.1f}" y="{height - 12}" font-size="12" text-anchor="end" '
        f'fill="{PALETTE[2]}">Today</text></svg>'
    )
    return "".join(parts)


def _diamond(cx: float, cy: float, r: float = 7) -> str:
    points = ((cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy))
    return "M" + " L".join(f"{px:.1f},{py:.1f}" for px, py in points) + " Z"


EDITORS = frozenset({"admin", "programme_office"})
"""Roles that change every project; others see no edit controls, but for the project's lead."""


def can_edit(page: dict[str, Any], project: Project) -> bool:
    """Whether to show the project's edit controls: to the programme office and administrators,
    and to the service lead of the team that leads it (the projects service's rule,
    `may_change_project`, which refuses everyone else whatever the page shows)."""
    me = page.get("me")
    if not isinstance(me, Caller):
        return False
    roles = set(me.roles)
    if EDITORS & roles:
        return True
    team = str(me.team or "").strip()
    lead_team = project.lead_team.strip()
    return "service_lead" in roles and bool(team) and team == lead_team


async def _project_context(
    projects: ProjectsApiClient, project_id: str, page: dict[str, Any]
) -> dict[str, Any] | None:
    try:
        project = await projects.project(project_id)
    except ApiError as error:
        if error.status in (404, 422):
            return None
        raise
    timeline = await projects.timeline(project_id)
    objectives = {o.id: o for o in await projects.objectives()}
    programmes = {p.id: p for p in await projects.programmes()} if project.programme_id else {}
    today = date.today()
    linked = [objectives[i] for i in project.objective_ids if i in objectives]
    measure_ids = {m for o in linked for m in o.kpi_measure_ids}
    return {
        **page,
        "nav": "projects",
        "title": project.name,
        "kpis": await projects.kpi_statuses(measure_ids),
        "savings_lines": await _savings_lines_of(projects, project_id),
        "project": project,
        "timeline": timeline,
        "chart": gantt(timeline, today) if timeline.milestones else "",
        "objectives": linked,
        "programme": programmes.get(project.programme_id or ""),
        "reports": await projects.highlight_reports(project_id),
        "raid": await projects.raid_items(project_id),
        "can_edit": can_edit(page, project),
        "editing_rag": False,
        "values": {},
        "errors": {},
    }


async def _savings_lines_of(projects: ProjectsApiClient, project_id: str) -> list[Any] | None:
    """The savings lines the project delivers (finance's), or None while they cannot be read."""
    try:
        return list(
            (
                await FinanceApiClient(projects.gateway).tracker(project_id=project_id, limit=500)
            ).items
        )
    except (ApiError, UpstreamDown):
        return None


def _not_found(request: Request, page: dict[str, Any]) -> HTMLResponse:
    return render(request, "errors/404.html", {**page}, status_code=404)


@router.get("/projects/{project_id}", response_class=HTMLResponse)
async def project_page(
    request: Request,
    page: PageContext,
    projects: Projects,
    gateway: Gateway,
    project_id: str,
) -> HTMLResponse:
    context = await _project_context(projects, project_id, page)
    if context is None:
        return _not_found(request, page)
    timeline: Timeline = context["timeline"]
    parts = [("milestones", m.id, f"Milestone “{m.title}”") for m in timeline.milestones]
    parts += [("highlight_reports", r.id, "Highlight report") for r in context["reports"]]
    parts += [("raid_items", i.id, f"RAID item “{i.title}”") for i in context["raid"]]
    context["record_history"] = await record_history(
        gateway, "projects", "projects", project_id, parts=parts
    )
    return render(request, "projects/project.html", context)


def _field_errors(error: ApiError, fields: set[str], fallback: str) -> dict[str, str]:
    """The API's field messages for the form's fields; anything else goes on `fallback`."""
    if error.status == 412:
        return {
            fallback: "Someone else changed this since you opened it. "
            "Reload the page to see their change, then make yours again."
        }
    messages: dict[str, str] = {}
    for field, message in error.field_errors().items():
        messages.setdefault(field if field in fields else fallback, message)
    return messages or {fallback: str(error) or "This change could not be saved"}


def _after_save(request: Request, href: str, context: dict[str, Any], block: str) -> Response:
    """A full page load goes back to the project; htmx gets the refreshed block."""
    if request.headers.get("hx-request") != "true":
        return RedirectResponse(href, status_code=303)
    return render(request, "projects/project.html", context, block=block)


def _with_errors(request: Request, context: dict[str, Any], block: str) -> HTMLResponse:
    # htmx swaps only 2xx answers, so the form with its errors comes back as 200 there.
    status = 200 if request.headers.get("hx-request") == "true" else 422
    return render(request, "projects/project.html", context, block=block, status_code=status)


@router.get("/projects/{project_id}/rag/edit", response_class=HTMLResponse)
async def edit_rag(
    request: Request, page: PageContext, projects: Projects, project_id: str
) -> HTMLResponse:
    context = await _project_context(projects, project_id, page)
    if context is None:
        return _not_found(request, page)
    project: Project = context["project"]
    if not context["can_edit"]:
        return render(request, "projects/project.html", context, block="status")
    context["editing_rag"] = True
    context["values"] = {
        "rag": project.rag or "",
        "rag_reason": project.rag_reason,
        "version": project.version,
    }
    return render(request, "projects/project.html", context, block="status")


@router.post("/projects/{project_id}/rag", response_class=HTMLResponse)
async def save_rag(
    request: Request,
    page: PageContext,
    projects: Projects,
    project_id: str,
    version: Annotated[str, Form()],
    rag: Annotated[str, Form()] = "",
    rag_reason: Annotated[str, Form()] = "",
) -> Response:
    """Set the project's overall RAG; amber and red need a reason."""
    values = {"rag": rag.strip(), "rag_reason": rag_reason.strip()}
    errors: dict[str, str] = {}
    try:
        await projects.update_project(
            project_id, version, {"rag": values["rag"] or None, "rag_reason": values["rag_reason"]}
        )
    except ApiError as error:
        if error.status == 404:
            return _not_found(request, page)
        errors = _field_errors(error, set(values), "rag")
    context = await _project_context(projects, project_id, page)
    if context is None:
        return _not_found(request, page)
    if not errors:
        return _after_save(request, f"/projects/{project_id}#status", context, "status")
    context.update(editing_rag=True, values=values | {"version": version}, errors=errors)
    return _with_errors(request, context, "status")
