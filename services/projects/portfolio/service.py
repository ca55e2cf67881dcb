"""Use cases of programmes, workstreams and projects, and the portfolio summary.

Keyword-only functions that flush but never commit.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session

from common import crud, retiring
from common.errors import Conflict, FieldError
from common.pagination import PageParams, paginate
from services.projects.highlights.models import HighlightReport
from services.projects.milestones.models import Milestone, due_column
from services.projects.milestones.rules import FINISHED_MILESTONE, MilestoneStatus, status_as_at
from services.projects.plan.models import Objective
from services.projects.portfolio.models import Programme, Project
from services.projects.portfolio.rules import (
    Rag,
    Stage,
    count_by,
    month_order_errors,
    project_overdue,
    rag_reason_errors,
)
from services.projects.portfolio.schemas import (
    ProgrammeCreate,
    ProgrammeUpdate,
    ProjectCreate,
    ProjectUpdate,
)
from services.projects.raid.models import RaidItem


def list_programmes(
    session: Session, *, page: PageParams, parent_id: uuid.UUID | None = None
) -> tuple[list[Programme], int]:
    statement = select(Programme).order_by(Programme.name)
    if parent_id is not None:
        statement = statement.where(Programme.parent_id == parent_id)
    return paginate(session, statement, page)


def _programme_errors(
    session: Session, parent_id: uuid.UUID | None, own_id: uuid.UUID | None
) -> list[FieldError]:
    if parent_id is None:
        return []
    if parent_id == own_id:
        return [FieldError("parent_id", "A programme cannot be a workstream of itself")]
    errors = crud.missing(session, Programme, [parent_id], "parent_id", "programme")
    return [FieldError("parent_id", e["message"]) for e in errors]


def create_programme(session: Session, *, data: ProgrammeCreate) -> Programme:
    crud.fail(_programme_errors(session, data.parent_id, None))
    return crud.save(session, Programme(), data.model_dump())


def update_programme(session: Session, *, programme: Programme, data: ProgrammeUpdate) -> Programme:
    values = crud.updates(Programme, data)
    if "parent_id" in values:
        crud.fail(_programme_errors(session, values["parent_id"], programme.id))
    return crud.save(session, programme, values)


def delete_programme(session: Session, *, programme: Programme) -> None:
    in_use = session.scalar(
        select(Project.id).where(Project.programme_id == programme.id)
    ) or session.scalar(select(Programme.id).where(Programme.parent_id == programme.id))
    if in_use:
        raise Conflict("Projects or workstreams still belong to this programme; move them first.")
    crud.delete(session, programme)


_RAG_ORDER = case({"red": 3, "amber": 2, "green": 1}, value=Project.rag, else_=0)
_STAGE_ORDER = case({"proposed": 1, "in_delivery": 2, "closed": 3}, value=Project.stage, else_=0)
PROJECT_SORTS: dict[str, Any] = {
    "name": Project.name,
    "start": Project.start_month,
    "end": Project.end_month,
    "rag": _RAG_ORDER,
    "stage": _STAGE_ORDER,
    "lead": Project.lead_team,
}


@dataclass(frozen=True)
class ProjectFilters:
    objective_id: uuid.UUID | None = None
    programme_id: uuid.UUID | None = None
    rag: Rag | None = None
    stage: Stage | None = None
    lead_team: str | None = None
    council_plan: bool | None = None
    search: str | None = None
    sort: str = "name"
    include_retired: bool = False


def list_projects(
    session: Session, *, page: PageParams, filters: ProjectFilters
) -> tuple[list[Project], int]:
    """Projects matching the filters, sorted by `sort` (a key of PROJECT_SORTS, "-" to reverse)."""
    statement = retiring.in_use(select(Project), Project, filters.include_retired)
    if filters.objective_id is not None:
        statement = statement.where(Project.objective_ids.contains([filters.objective_id]))
    if filters.programme_id is not None:
        statement = statement.where(Project.programme_id == filters.programme_id)
    if filters.rag is not None:
        statement = statement.where(Project.rag == filters.rag)
    if filters.stage is not None:
        statement = statement.where(Project.stage == filters.stage)
    if filters.lead_team:
        statement = statement.where(Project.lead_team == filters.lead_team)
    if filters.council_plan is not None:
        statement = statement.where(Project.council_plan.is_(filters.council_plan))
    if filters.search:
        pattern = f"%{filters.search}%"
        statement = statement.where(
            or_(Project.name.ilike(pattern), Project.description.ilike(pattern))
        )
    key = filters.sort.removeprefix("-")
    column = PROJECT_SORTS[key]
    ordered = column.desc() if filters.sort.startswith("-") else column.asc()
    statement = statement.order_by(ordered.nulls_last(), Project.name, Project.id)
    return paginate(session, statement, page)


def lead_teams(session: Session) -> list[str]:
    """The teams that lead projects, for filters."""
    return list(
        session.scalars(
            select(Project.lead_team)
            .where(Project.lead_team != "")
            .distinct()
            .order_by(Project.lead_team)
        )
    )


RAG_FIELDS = ("rag", "schedule_rag", "cost_rag", "scope_rag")


def _project_rule_errors(state: dict[str, Any]) -> list[FieldError]:
    """The project's own rules: months in order, a reason for each amber or red."""
    errors = month_order_errors(state.get("start_month"), state.get("end_month"))
    for field in RAG_FIELDS:
        errors += rag_reason_errors(field, state.get(field), state.get(f"{field}_reason"))
    return errors


def _project_link_errors(session: Session, values: dict[str, Any]) -> list[FieldError]:
    """Links being set must point at the caller's own objectives and programmes."""
    errors = crud.missing(
        session, Objective, values.get("objective_ids") or [], "objective_ids", "objective"
    )
    if values.get("programme_id") is not None:
        absent = crud.missing(
            session, Programme, [values["programme_id"]], "programme_id", "programme"
        )
        errors += [FieldError("programme_id", e["message"]) for e in absent]
    return errors


def create_project(session: Session, *, data: ProjectCreate) -> Project:
    """Add a project; amber or red needs a reason and linked objectives must be the council's."""
    values = data.model_dump()
    crud.fail(_project_rule_errors(values) + _project_link_errors(session, values))
    return crud.save(session, Project(), values)


def update_project(session: Session, *, project: Project, data: ProjectUpdate) -> Project:
    """Apply the fields sent; the rules are checked on the project as it would then be."""
    values = crud.updates(Project, data)
    state = {c.key: getattr(project, c.key) for c in Project.__table__.columns} | values
    crud.fail(_project_rule_errors(state) + _project_link_errors(session, values))
    return crud.save(session, project, values)


def delete_project(session: Session, *, project: Project) -> None:
    """Remove a project with its milestones, highlight reports and RAID items."""
    for model in (Milestone, HighlightReport, RaidItem):
        for row in session.scalars(select(model).where(model.project_id == project.id)):
            session.delete(row)
    session.flush()
    crud.delete(session, project)


@dataclass(frozen=True)
class Portfolio:
    projects: int
    projects_overdue: int
    by_rag: dict[str, int]
    by_stage: dict[str, int]
    due: list[tuple[Milestone, str]]


def portfolio(
    session: Session, *, window_from: date, window_to: date, on: date, as_at: date | None = None
) -> Portfolio:
    """Counts by RAG and stage, projects overdue on the day `on`, and the milestones due between
    two dates that were unfinished on the day `as_at` (today's status when None)."""
    live = Project.retired_at.is_(None)
    rows = session.execute(select(Project.rag, Project.stage, Project.end_month).where(live)).all()
    by_rag = count_by([r for r, _, _ in rows], [r.value for r in Rag], "not_set")
    by_stage = count_by([s for _, s, _ in rows], [s.value for s in Stage], "not_set")
    by_stage.pop("not_set")
    due = due_column()
    statement = (
        select(Milestone, Project.name)
        .join(Project, Project.id == Milestone.project_id)
        .where(live)
        .where(Milestone.status != MilestoneStatus.CANCELLED, due >= window_from, due <= window_to)
        .order_by(due, Project.name, Milestone.title)
    )
    unfinished = [
        (m, name)
        for m, name in session.execute(statement)
        if status_as_at(m.status, m.actual_date, as_at) not in FINISHED_MILESTONE
    ]
    return Portfolio(
        projects=len(rows),
        projects_overdue=sum(
            project_overdue(stage=stage, end_month=end, on=on) for _, stage, end in rows
        ),
        by_rag=by_rag,
        by_stage=by_stage,
        due=unfinished,
    )


def project_must_exist(session: Session, project_id: uuid.UUID) -> list[FieldError]:
    """Milestones, reports and RAID items belong to one of the caller's projects."""
    if session.get(Project, project_id) is None:
        return [FieldError("project_id", "There is no project with this id in your organisation")]
    return []
