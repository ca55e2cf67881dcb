"""HTTP routes of programmes, workstreams and projects, and the portfolio summary."""

import uuid
from datetime import date, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from common import crud, routes
from common.concurrency import set_etag
from common.errors import FieldError, ValidationFailed
from common.pagination import Page, PageDep
from common.periods import AS_AT_DESCRIPTION, as_at_query
from common.retiring import IncludeRetired
from services.projects.deps import (
    CallerDep,
    SessionDep,
    plan_editors_only,
    plan_router,
    require_may_change_project,
    require_may_set_lead_team,
)
from services.projects.milestones import service as milestone_service
from services.projects.milestones.models import Milestone
from services.projects.milestones.rules import (
    days_late,
    due_date,
    is_overdue,
    next_milestone,
    status_as_at,
    worst_days_late,
)
from services.projects.milestones.schemas import Timeline, milestone_read
from services.projects.portfolio import service
from services.projects.portfolio.models import Programme, Project
from services.projects.portfolio.rules import Rag, Stage, project_overdue
from services.projects.portfolio.schemas import (
    MilestoneDue,
    NextMilestone,
    PortfolioSummary,
    ProgrammeRead,
    ProjectRead,
    ProjectUpdate,
)
from services.projects.schemas import NO_NUL

programmes = plan_router("/programmes", "programmes", "change programmes and workstreams")


@programmes.get("", response_model=Page[ProgrammeRead])
def list_programmes(
    session: SessionDep, page: PageDep, parent_id: uuid.UUID | None = None
) -> Page[ProgrammeRead]:
    """Programmes and workstreams by name; `parent_id` gives a programme's workstreams."""
    items, total = service.list_programmes(session, page=page, parent_id=parent_id)
    return crud.page(items, total, page, ProgrammeRead)


routes.add_routes(
    programmes,
    routes.Resource(Programme, ProgrammeRead, what="programme"),
    create=routes.Create(service.create_programme),
    update=routes.Update(service.update_programme),
    delete=routes.Delete(service.delete_programme, if_match=False),
)


projects = APIRouter(prefix="/projects", tags=["projects"])


def project_read(project: Project, milestones: list[Milestone], on: date) -> ProjectRead:
    facts = [milestone_service.facts(m) for m in milestones]
    upcoming = next_milestone(facts)
    next_ = None
    if upcoming is not None:
        source = milestones[facts.index(upcoming)]
        next_ = NextMilestone(
            id=source.id,
            title=source.title,
            due_date=due_date(source.baseline_date, source.forecast_date),
            overdue=is_overdue(
                baseline=source.baseline_date,
                forecast=source.forecast_date,
                status=source.status,
                today=on,
            ),
        )
    return ProjectRead.model_validate(
        {
            **{c.key: getattr(project, c.key) for c in Project.__table__.columns},
            "next_milestone": next_,
            "overdue": project_overdue(stage=project.stage, end_month=project.end_month, on=on),
            "slippage_days": worst_days_late(facts, on),
        }
    )


def _one_project(session: SessionDep, project: Project) -> ProjectRead:
    milestones = milestone_service.milestones_by_project(session, [project.id])[project.id]
    return project_read(project, milestones, date.today())


@projects.get("", response_model=Page[ProjectRead])
def list_projects(
    session: SessionDep,
    page: PageDep,
    objective_id: uuid.UUID | None = None,
    programme_id: uuid.UUID | None = None,
    rag: Rag | None = None,
    stage: Stage | None = None,
    lead_team: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
    council_plan: bool | None = None,
    include_retired: IncludeRetired = False,
    q: Annotated[
        str | None, Query(max_length=200, pattern=NO_NUL, description="Words in name or text")
    ] = None,
    sort: Annotated[
        Literal[
            "name",
            "-name",
            "start",
            "-start",
            "end",
            "-end",
            "rag",
            "-rag",
            "stage",
            "-stage",
            "lead",
            "-lead",
        ],
        Query(description='name, start, end, rag, stage or lead; "-" first to reverse.'),
    ] = "name",
) -> Page[ProjectRead]:
    """The portfolio, filtered and sorted, with each project's next milestone and slippage."""
    filters = service.ProjectFilters(
        objective_id=objective_id,
        programme_id=programme_id,
        rag=rag,
        stage=stage,
        lead_team=lead_team,
        council_plan=council_plan,
        search=q,
        sort=sort,
        include_retired=include_retired,
    )
    items, total = service.list_projects(session, page=page, filters=filters)
    milestones = milestone_service.milestones_by_project(session, [p.id for p in items])
    on = date.today()
    return crud.page_of([project_read(p, milestones[p.id], on) for p in items], total, page)


@projects.get("/lead-teams", response_model=Page[str])
def list_lead_teams(session: SessionDep, page: PageDep) -> Page[str]:
    """The teams that lead projects, by name (for filters)."""
    return crud.page_from(service.lead_teams(session), page)


routes.add_routes(
    projects,
    routes.Resource(Project, ProjectRead, what="project", respond=_one_project),
    create=routes.Create(
        service.create_project,
        doc="""Add a project (the programme office and administrators). Amber or red needs a reason;
        the end may not be before the start.""",
        dependencies=[Depends(plan_editors_only("add a project"))],
    ),
    retire=routes.Retire(may_change=require_may_change_project),
    delete=routes.Delete(
        service.delete_project,
        doc="""Remove a project with its milestones, highlight reports and RAID items (the programme
        office and administrators).""",
        if_match=False,
        dependencies=[Depends(plan_editors_only("remove a project"))],
    ),
)


@projects.patch("/{project_id}", response_model=ProjectRead)
def update_project(
    session: SessionDep,
    caller: CallerDep,
    project_id: uuid.UUID,
    data: ProjectUpdate,
    request: Request,
    response: Response,
) -> ProjectRead:
    """Change a project (e.g. its RAG and reason). Requires If-Match (412 when stale). The
    lead team's service lead may change their project but not give it to another team."""
    row = crud.get_or_404(session, Project, project_id, "project")
    require_may_change_project(caller, row)
    require_may_set_lead_team(caller, row, data.lead_team)
    crud.check_version(request, row)
    row = service.update_project(session, project=row, data=data)
    set_etag(response, row.version)
    return _one_project(session, row)


@projects.get("/{project_id}/timeline", response_model=Timeline)
def project_timeline(session: SessionDep, project_id: uuid.UUID) -> Timeline:
    """The project's milestones by baseline date, each with its slippage and overdue flag."""
    project = crud.get_or_404(session, Project, project_id, "project")
    milestones = milestone_service.milestones_by_project(session, [project.id])[project.id]
    on = date.today()
    return Timeline(
        project_id=project.id,
        project_name=project.name,
        start_month=project.start_month,
        end_month=project.end_month,
        milestones=[milestone_read(m, on) for m in milestones],
    )


portfolio = APIRouter(prefix="/portfolio", tags=["portfolio"])


@portfolio.get("/summary", response_model=PortfolioSummary)
def portfolio_summary(
    session: SessionDep,
    window_from: Annotated[date | None, Query(alias="from")] = None,
    window_to: Annotated[date | None, Query(alias="to")] = None,
    as_at: Annotated[str | None, Query(max_length=40, description=AS_AT_DESCRIPTION)] = None,
) -> PortfolioSummary:
    """Projects by RAG and stage, projects overdue, and unfinished milestones due from `from`
    to `to`; as at a day, a milestone completed after it counts as it stood then.

    The window defaults to the day (today, or `as_at`) and the next 90 days.
    """
    day = as_at_query(as_at)
    on = day or date.today()
    start = window_from or on
    end = window_to or start + timedelta(days=90)
    if end < start:
        raise ValidationFailed(
            "The window ends before it starts.",
            errors=[FieldError("to", "The end of the window must be on or after its start")],
        )
    result = service.portfolio(session, window_from=start, window_to=end, on=on, as_at=day)
    due = []
    for m, name in result.due:
        status = status_as_at(m.status, m.actual_date, day)
        actual = m.actual_date if day is None or (m.actual_date and m.actual_date <= day) else None
        due.append(
            MilestoneDue(
                id=m.id,
                project_id=m.project_id,
                project_name=name,
                title=m.title,
                due_date=due_date(m.baseline_date, m.forecast_date),
                overdue=is_overdue(
                    baseline=m.baseline_date, forecast=m.forecast_date, status=status, today=on
                ),
                slippage_days=days_late(m.baseline_date, m.forecast_date, actual, on),
            )
        )
    return PortfolioSummary(
        window_from=start,
        window_to=end,
        as_at=day,
        projects=result.projects,
        projects_overdue=result.projects_overdue,
        by_rag=result.by_rag,
        by_stage=result.by_stage,
        milestones_due=len(due),
        milestones_overdue=sum(d.overdue for d in due),
        milestones=due,
    )
