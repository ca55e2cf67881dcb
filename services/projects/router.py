"""HTTP routes of the projects service: parse, call the service, shape the response."""

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query, Request, Response, status

from common.concurrency import require_if_match, set_etag
from common.db import SessionDep
from common.errors import FieldError, UpstreamUnavailable, ValidationFailed
from common.http import call_service
from common.identity import CallerDep
from common.pagination import Page, PageDep, PageParams
from services.projects import rules, service
from services.projects.models import (
    HighlightReport,
    ImprovementAction,
    Milestone,
    Objective,
    Priority,
    Programme,
    Project,
    RaidItem,
)
from services.projects.rules import MilestoneStatus, Rag, RaidKind, RaidStatus, Stage
from services.projects.schemas import (
    AreaSummary,
    HighlightReportCreate,
    HighlightReportRead,
    HighlightReportUpdate,
    ImprovementActionCreate,
    ImprovementActionRead,
    ImprovementActionUpdate,
    ImprovementPlanSummary,
    MilestoneCreate,
    MilestoneDue,
    MilestoneRead,
    MilestoneUpdate,
    NextMilestone,
    ObjectiveCreate,
    ObjectiveRead,
    ObjectiveUpdate,
    PeriodCode,
    PortfolioSummary,
    PriorityCreate,
    PriorityRead,
    PriorityUpdate,
    ProgrammeCreate,
    ProgrammeRead,
    ProgrammeUpdate,
    ProjectCreate,
    ProjectRead,
    ProjectUpdate,
    RaidItemCreate,
    RaidItemRead,
    RaidItemUpdate,
    Timeline,
)

T = TypeVar("T")
NO_NUL = r"^[^\x00]*$"


def today() -> date:
    return date.today()


def _page(items: Sequence[T], total: int, page: PageParams) -> Page[T]:
    return Page(items=list(items), total=total, limit=page.limit, offset=page.offset)


def _kpi_measure_check(request: Request) -> service.MeasureExists:
    """Asks the kpi service, as the caller, whether a measure exists in their organisation."""

    def exists(measure_id: uuid.UUID) -> bool:
        response = call_service(request, "kpi", "GET", f"/measures/{measure_id}")
        if response.status_code == 200:
            return True
        if response.status_code == 404:
            return False
        raise UpstreamUnavailable(
            "The kpi service could not check the KPI measures. Try again shortly."
        )

    return exists


# Priorities ------------------------------------------------------------------------------------

priorities = APIRouter(prefix="/priorities", tags=["priorities"])


@priorities.get("", response_model=Page[PriorityRead])
def list_priorities(session: SessionDep, page: PageDep) -> Page[PriorityRead]:
    """List the organisation's council plan priorities."""
    items, total = service.list_priorities(session, page=page)
    return _page([PriorityRead.model_validate(i) for i in items], total, page)


@priorities.post("", status_code=status.HTTP_201_CREATED, response_model=PriorityRead)
def create_priority(session: SessionDep, data: PriorityCreate, response: Response) -> PriorityRead:
    """Add a council plan priority."""
    row = service.create_priority(session, data=data)
    set_etag(response, row.version)
    return PriorityRead.model_validate(row)


@priorities.get("/{priority_id}", response_model=PriorityRead)
def get_priority(session: SessionDep, priority_id: uuid.UUID, response: Response) -> PriorityRead:
    row = service.get_row(session, Priority, priority_id, "priority")
    set_etag(response, row.version)
    return PriorityRead.model_validate(row)


@priorities.patch("/{priority_id}", response_model=PriorityRead)
def update_priority(
    session: SessionDep,
    priority_id: uuid.UUID,
    data: PriorityUpdate,
    request: Request,
    response: Response,
) -> PriorityRead:
    """Change a priority. Requires If-Match with the ETag you read (412 when stale)."""
    row = service.get_row(session, Priority, priority_id, "priority")
    require_if_match(request, row.version)
    row = service.update_priority(session, priority=row, data=data)
    set_etag(response, row.version)
    return PriorityRead.model_validate(row)


@priorities.delete("/{priority_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_priority(session: SessionDep, priority_id: uuid.UUID) -> None:
    """Remove a priority that no objective serves (409 otherwise)."""
    service.delete_priority(
        session, priority=service.get_row(session, Priority, priority_id, "priority")
    )


# Objectives ------------------------------------------------------------------------------------

objectives = APIRouter(prefix="/objectives", tags=["objectives"])


@objectives.get("", response_model=Page[ObjectiveRead])
def list_objectives(
    session: SessionDep,
    page: PageDep,
    priority_id: uuid.UUID | None = None,
    kpi_measure_id: uuid.UUID | None = None,
    council_plan: bool | None = None,
) -> Page[ObjectiveRead]:
    """Objectives by number; filter by the priority they serve or a KPI that measures them."""
    items, total = service.list_objectives(
        session,
        page=page,
        priority_id=priority_id,
        kpi_measure_id=kpi_measure_id,
        council_plan=council_plan,
    )
    return _page([ObjectiveRead.model_validate(i) for i in items], total, page)


@objectives.post("", status_code=status.HTTP_201_CREATED, response_model=ObjectiveRead)
def create_objective(
    session: SessionDep, data: ObjectiveCreate, request: Request, response: Response
) -> ObjectiveRead:
    """Add an objective. Its KPI measure ids are checked with the kpi service."""
    row = service.create_objective(session, data=data, measure_exists=_kpi_measure_check(request))
    set_etag(response, row.version)
    return ObjectiveRead.model_validate(row)


@objectives.get("/{objective_id}", response_model=ObjectiveRead)
def get_objective(
    session: SessionDep, objective_id: uuid.UUID, response: Response
) -> ObjectiveRead:
    row = service.get_row(session, Objective, objective_id, "objective")
    set_etag(response, row.version)
    return ObjectiveRead.model_validate(row)


@objectives.patch("/{objective_id}", response_model=ObjectiveRead)
def update_objective(
    session: SessionDep,
    objective_id: uuid.UUID,
    data: ObjectiveUpdate,
    request: Request,
    response: Response,
) -> ObjectiveRead:
    """Change an objective. Requires If-Match (412 when stale)."""
    row = service.get_row(session, Objective, objective_id, "objective")
    require_if_match(request, row.version)
    row = service.update_objective(
        session, objective=row, data=data, measure_exists=_kpi_measure_check(request)
    )
    set_etag(response, row.version)
    return ObjectiveRead.model_validate(row)


@objectives.delete("/{objective_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_objective(session: SessionDep, objective_id: uuid.UUID) -> None:
    """Remove an objective no project is linked to (409 otherwise)."""
    service.delete_objective(
        session, objective=service.get_row(session, Objective, objective_id, "objective")
    )


# Programmes ------------------------------------------------------------------------------------

programmes = APIRouter(prefix="/programmes", tags=["programmes"])


@programmes.get("", response_model=Page[ProgrammeRead])
def list_programmes(
    session: SessionDep, page: PageDep, parent_id: uuid.UUID | None = None
) -> Page[ProgrammeRead]:
    """Programmes and workstreams by name; `parent_id` gives a programme's workstreams."""
    items, total = service.list_programmes(session, page=page, parent_id=parent_id)
    return _page([ProgrammeRead.model_validate(i) for i in items], total, page)


@programmes.post("", status_code=status.HTTP_201_CREATED, response_model=ProgrammeRead)
def create_programme(
    session: SessionDep, data: ProgrammeCreate, response: Response
) -> ProgrammeRead:
    row = service.create_programme(session, data=data)
    set_etag(response, row.version)
    return ProgrammeRead.model_validate(row)


@programmes.get("/{programme_id}", response_model=ProgrammeRead)
def get_programme(
    session: SessionDep, programme_id: uuid.UUID, response: Response
) -> ProgrammeRead:
    row = service.get_row(session, Programme, programme_id, "programme")
    set_etag(response, row.version)
    return ProgrammeRead.model_validate(row)


@programmes.patch("/{programme_id}", response_model=ProgrammeRead)
def update_programme(
    session: SessionDep,
    programme_id: uuid.UUID,
    data: ProgrammeUpdate,
    request: Request,
    response: Response,
) -> ProgrammeRead:
    row = service.get_row(session, Programme, programme_id, "programme")
    require_if_match(request, row.version)
    row = service.update_programme(session, programme=row, data=data)
    set_etag(response, row.version)
    return ProgrammeRead.model_validate(row)


@programmes.delete("/{programme_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_programme(session: SessionDep, programme_id: uuid.UUID) -> None:
    service.delete_programme(
        session, programme=service.get_row(session, Programme, programme_id, "programme")
    )


# Projects --------------------------------------------------------------------------------------

projects = APIRouter(prefix="/projects", tags=["projects"])


def milestone_read(milestone: Milestone, on: date) -> MilestoneRead:
    return MilestoneRead.model_validate(
        {
            **{c.key: getattr(milestone, c.key) for c in Milestone.__table__.columns},
            "due_date": rules.due_date(milestone.baseline_date, milestone.forecast_date),
            "slippage_days": rules.slippage_days(
                milestone.baseline_date, milestone.forecast_date, milestone.actual_date, on
            ),
            "overdue": rules.is_overdue(
                baseline=milestone.baseline_date,
                forecast=milestone.forecast_date,
                status=milestone.status,
                today=on,
            ),
        }
    )


def project_read(project: Project, milestones: list[Milestone], on: date) -> ProjectRead:
    facts = [service.facts(m) for m in milestones]
    upcoming = rules.next_milestone(facts)
    next_ = None
    if upcoming is not None:
        source = milestones[facts.index(upcoming)]
        next_ = NextMilestone(
            id=source.id,
            title=source.title,
            due_date=rules.due_date(source.baseline_date, source.forecast_date),
            overdue=rules.is_overdue(
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
            "slippage_days": rules.worst_slippage(facts, on),
        }
    )


def _one_project(session: SessionDep, project: Project) -> ProjectRead:
    milestones = service.milestones_by_project(session, [project.id])[project.id]
    return project_read(project, milestones, today())


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
    q: Annotated[
        str | None, Query(max_length=200, pattern=NO_NUL, description="Words in name or text")
    ] = None,
    sort: Annotated[
        str,
        Query(
            pattern=r"^-?(name|start|end|rag|stage|lead)$",
            description='name, start, end, rag, stage or lead; "-" first to reverse.',
        ),
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
    )
    items, total = service.list_projects(session, page=page, filters=filters)
    milestones = service.milestones_by_project(session, [p.id for p in items])
    on = today()
    return _page([project_read(p, milestones[p.id], on) for p in items], total, page)


@projects.get("/lead-teams", response_model=list[str])
def list_lead_teams(session: SessionDep) -> list[str]:
    """The teams that lead projects (for filters)."""
    return service.lead_teams(session)


@projects.post("", status_code=status.HTTP_201_CREATED, response_model=ProjectRead)
def create_project(session: SessionDep, data: ProjectCreate, response: Response) -> ProjectRead:
    """Add a project. Amber or red needs a reason; the end may not be before the start."""
    row = service.create_project(session, data=data)
    set_etag(response, row.version)
    return _one_project(session, row)


@projects.get("/{project_id}", response_model=ProjectRead)
def get_project(session: SessionDep, project_id: uuid.UUID, response: Response) -> ProjectRead:
    row = service.get_row(session, Project, project_id, "project")
    set_etag(response, row.version)
    return _one_project(session, row)


@projects.patch("/{project_id}", response_model=ProjectRead)
def update_project(
    session: SessionDep,
    project_id: uuid.UUID,
    data: ProjectUpdate,
    request: Request,
    response: Response,
) -> ProjectRead:
    """Change a project (e.g. its RAG and reason). Requires If-Match (412 when stale)."""
    row = service.get_row(session, Project, project_id, "project")
    require_if_match(request, row.version)
    row = service.update_project(session, project=row, data=data)
    set_etag(response, row.version)
    return _one_project(session, row)


@projects.delete("/{project_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_project(session: SessionDep, project_id: uuid.UUID) -> None:
    """Remove a project with its milestones, highlight reports and RAID items."""
    service.delete_project(
        session, project=service.get_row(session, Project, project_id, "project")
    )


@projects.get("/{project_id}/timeline", response_model=Timeline)
def project_timeline(session: SessionDep, project_id: uuid.UUID) -> Timeline:
    """The project's milestones by baseline date, each with its slippage and overdue flag."""
    project = service.get_row(session, Project, project_id, "project")
    milestones = service.milestones_by_project(session, [project.id])[project.id]
    on = today()
    return Timeline(
        project_id=project.id,
        project_name=project.name,
        start_month=project.start_month,
        end_month=project.end_month,
        milestones=[milestone_read(m, on) for m in milestones],
    )


# Milestones ------------------------------------------------------------------------------------

milestones = APIRouter(prefix="/milestones", tags=["milestones"])


@milestones.get("", response_model=Page[MilestoneRead])
def list_milestones(
    session: SessionDep,
    page: PageDep,
    project_id: uuid.UUID | None = None,
    status: MilestoneStatus | None = None,
    overdue: bool | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
) -> Page[MilestoneRead]:
    """Milestones by due date (forecast, else baseline)."""
    on = today()
    items, total = service.list_milestones(
        session,
        page=page,
        today=on,
        project_id=project_id,
        status=status,
        overdue=overdue,
        due_from=due_from,
        due_to=due_to,
    )
    return _page([milestone_read(m, on) for m in items], total, page)


@milestones.post("", status_code=status.HTTP_201_CREATED, response_model=MilestoneRead)
def create_milestone(
    session: SessionDep, data: MilestoneCreate, response: Response
) -> MilestoneRead:
    """Add a milestone. It cannot be completed in the future."""
    row = service.create_milestone(session, data=data, today=today())
    set_etag(response, row.version)
    return milestone_read(row, today())


@milestones.get("/{milestone_id}", response_model=MilestoneRead)
def get_milestone(
    session: SessionDep, milestone_id: uuid.UUID, response: Response
) -> MilestoneRead:
    row = service.get_row(session, Milestone, milestone_id, "milestone")
    set_etag(response, row.version)
    return milestone_read(row, today())


@milestones.patch("/{milestone_id}", response_model=MilestoneRead)
def update_milestone(
    session: SessionDep,
    milestone_id: uuid.UUID,
    data: MilestoneUpdate,
    request: Request,
    response: Response,
) -> MilestoneRead:
    """Change a milestone's forecast or record its completion. Requires If-Match."""
    row = service.get_row(session, Milestone, milestone_id, "milestone")
    require_if_match(request, row.version)
    row = service.update_milestone(session, milestone=row, data=data, today=today())
    set_etag(response, row.version)
    return milestone_read(row, today())


@milestones.delete("/{milestone_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_milestone(session: SessionDep, milestone_id: uuid.UUID) -> None:
    service.delete_row(session, service.get_row(session, Milestone, milestone_id, "milestone"))


# Highlight reports -----------------------------------------------------------------------------

reports = APIRouter(prefix="/highlight-reports", tags=["highlight reports"])


@reports.get("", response_model=Page[HighlightReportRead])
def list_highlight_reports(
    session: SessionDep,
    page: PageDep,
    project_id: uuid.UUID | None = None,
    period: PeriodCode | None = None,
) -> Page[HighlightReportRead]:
    """Highlight reports, newest month first: a project's history."""
    items, total = service.list_highlight_reports(
        session, page=page, project_id=project_id, period=period
    )
    return _page([HighlightReportRead.model_validate(i) for i in items], total, page)


@reports.post("", status_code=status.HTTP_201_CREATED, response_model=HighlightReportRead)
def create_highlight_report(
    session: SessionDep, caller: CallerDep, data: HighlightReportCreate, response: Response
) -> HighlightReportRead:
    """Write a project's report for a month; the author defaults to the signed-in person."""
    row = service.create_highlight_report(
        session, data=data, author=caller.display_name or caller.user_id
    )
    set_etag(response, row.version)
    return HighlightReportRead.model_validate(row)


@reports.get("/{report_id}", response_model=HighlightReportRead)
def get_highlight_report(
    session: SessionDep, report_id: uuid.UUID, response: Response
) -> HighlightReportRead:
    row = service.get_row(session, HighlightReport, report_id, "highlight report")
    set_etag(response, row.version)
    return HighlightReportRead.model_validate(row)


@reports.patch("/{report_id}", response_model=HighlightReportRead)
def update_highlight_report(
    session: SessionDep,
    report_id: uuid.UUID,
    data: HighlightReportUpdate,
    request: Request,
    response: Response,
) -> HighlightReportRead:
    row = service.get_row(session, HighlightReport, report_id, "highlight report")
    require_if_match(request, row.version)
    row = service.update_highlight_report(session, report=row, data=data)
    set_etag(response, row.version)
    return HighlightReportRead.model_validate(row)


@reports.delete("/{report_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_highlight_report(session: SessionDep, report_id: uuid.UUID) -> None:
    service.delete_row(
        session, service.get_row(session, HighlightReport, report_id, "highlight report")
    )


# RAID ------------------------------------------------------------------------------------------

raid = APIRouter(prefix="/raid-items", tags=["RAID"])


def raid_read(item: RaidItem) -> RaidItemRead:
    score = rules.raid_score(item.likelihood, item.impact)
    return RaidItemRead.model_validate(
        {
            **{c.key: getattr(item, c.key) for c in RaidItem.__table__.columns},
            "score": score,
            "severity": rules.raid_severity(score),
        }
    )


@raid.get("", response_model=Page[RaidItemRead])
def list_raid_items(
    session: SessionDep,
    page: PageDep,
    project_id: uuid.UUID | None = None,
    kind: RaidKind | None = None,
    status: RaidStatus | None = None,
    min_score: Annotated[int | None, Query(ge=1, le=25)] = None,
) -> Page[RaidItemRead]:
    """Risks, assumptions, issues and dependencies, highest score first."""
    items, total = service.list_raid_items(
        session, page=page, project_id=project_id, kind=kind, status=status, min_score=min_score
    )
    return _page([raid_read(i) for i in items], total, page)


@raid.post("", status_code=status.HTTP_201_CREATED, response_model=RaidItemRead)
def create_raid_item(session: SessionDep, data: RaidItemCreate, response: Response) -> RaidItemRead:
    row = service.create_raid_item(session, data=data)
    set_etag(response, row.version)
    return raid_read(row)


@raid.get("/{item_id}", response_model=RaidItemRead)
def get_raid_item(session: SessionDep, item_id: uuid.UUID, response: Response) -> RaidItemRead:
    row = service.get_row(session, RaidItem, item_id, "RAID item")
    set_etag(response, row.version)
    return raid_read(row)


@raid.patch("/{item_id}", response_model=RaidItemRead)
def update_raid_item(
    session: SessionDep,
    item_id: uuid.UUID,
    data: RaidItemUpdate,
    request: Request,
    response: Response,
) -> RaidItemRead:
    row = service.get_row(session, RaidItem, item_id, "RAID item")
    require_if_match(request, row.version)
    row = service.update_raid_item(session, item=row, data=data)
    set_etag(response, row.version)
    return raid_read(row)


@raid.delete("/{item_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_raid_item(session: SessionDep, item_id: uuid.UUID) -> None:
    service.delete_row(session, service.get_row(session, RaidItem, item_id, "RAID item"))


# Improvement plan ------------------------------------------------------------------------------

actions = APIRouter(prefix="/improvement-actions", tags=["improvement plan"])


def action_read(action: ImprovementAction) -> ImprovementActionRead:
    return ImprovementActionRead.model_validate(
        {
            **{c.key: getattr(action, c.key) for c in ImprovementAction.__table__.columns},
            "open": action.status != rules.ActionStatus.COMPLETED,
        }
    )


@actions.get("", response_model=Page[ImprovementActionRead])
def list_improvement_actions(
    session: SessionDep,
    page: PageDep,
    area: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
    status: rules.ActionStatus | None = None,
) -> Page[ImprovementActionRead]:
    """Improvement plan actions by area and due date."""
    items, total = service.list_improvement_actions(session, page=page, area=area, status=status)
    return _page([action_read(i) for i in items], total, page)


@actions.get("/summary", response_model=ImprovementPlanSummary)
def improvement_plan_summary(session: SessionDep) -> ImprovementPlanSummary:
    """How many actions remain open, overall and in each area."""
    areas = service.improvement_plan_counts(session)
    return ImprovementPlanSummary(
        open=sum(a.open for a in areas),
        closed=sum(a.closed for a in areas),
        total=sum(a.total for a in areas),
        areas=[
            AreaSummary(area=a.area, open=a.open, closed=a.closed, total=a.total) for a in areas
        ],
    )


@actions.post("", status_code=status.HTTP_201_CREATED, response_model=ImprovementActionRead)
def create_improvement_action(
    session: SessionDep, data: ImprovementActionCreate, response: Response
) -> ImprovementActionRead:
    row = service.create_improvement_action(session, data=data)
    set_etag(response, row.version)
    return action_read(row)


@actions.get("/{action_id}", response_model=ImprovementActionRead)
def get_improvement_action(
    session: SessionDep, action_id: uuid.UUID, response: Response
) -> ImprovementActionRead:
    row = service.get_row(session, ImprovementAction, action_id, "improvement action")
    set_etag(response, row.version)
    return action_read(row)


@actions.patch("/{action_id}", response_model=ImprovementActionRead)
def update_improvement_action(
    session: SessionDep,
    action_id: uuid.UUID,
    data: ImprovementActionUpdate,
    request: Request,
    response: Response,
) -> ImprovementActionRead:
    row = service.get_row(session, ImprovementAction, action_id, "improvement action")
    require_if_match(request, row.version)
    row = service.update_improvement_action(session, action=row, data=data)
    set_etag(response, row.version)
    return action_read(row)


@actions.delete("/{action_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_improvement_action(session: SessionDep, action_id: uuid.UUID) -> None:
    service.delete_row(
        session, service.get_row(session, ImprovementAction, action_id, "improvement action")
    )


# Portfolio -------------------------------------------------------------------------------------

portfolio = APIRouter(prefix="/portfolio", tags=["portfolio"])


@portfolio.get("/summary", response_model=PortfolioSummary)
def portfolio_summary(
    session: SessionDep,
    window_from: Annotated[date | None, Query(alias="from")] = None,
    window_to: Annotated[date | None, Query(alias="to")] = None,
) -> PortfolioSummary:
    """Projects by RAG and stage, and unfinished milestones due from `from` to `to`.

    The window defaults to today and the next 90 days.
    """
    on = today()
    start = window_from or on
    end = window_to or start + timedelta(days=90)
    if end < start:
        raise ValidationFailed(
            "The window ends before it starts.",
            errors=[FieldError("to", "The end of the window must be on or after its start")],
        )
    result = service.portfolio(session, window_from=start, window_to=end)
    due = [
        MilestoneDue(
            id=m.id,
            project_id=m.project_id,
            project_name=name,
            title=m.title,
            due_date=rules.due_date(m.baseline_date, m.forecast_date),
            overdue=rules.is_overdue(
                baseline=m.baseline_date, forecast=m.forecast_date, status=m.status, today=on
            ),
            slippage_days=rules.slippage_days(m.baseline_date, m.forecast_date, m.actual_date, on),
        )
        for m, name in result.due
    ]
    return PortfolioSummary(
        window_from=start,
        window_to=end,
        projects=result.projects,
        by_rag=result.by_rag,
        by_stage=result.by_stage,
        milestones_due=len(due),
        milestones_overdue=sum(d.overdue for d in due),
        milestones=due,
    )


ROUTERS = (
    priorities,
    objectives,
    programmes,
    projects,
    milestones,
    reports,
    raid,
    actions,
    portfolio,
)
