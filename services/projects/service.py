"""Use cases of the projects service: keyword-only, flush but never commit.

Rules that span fields or records are checked on the record as it would be after the change, so
that a partial update cannot sneak past them; every problem is reported by field at once.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from common.errors import Conflict, FieldError, NotFound, ValidationFailed
from common.pagination import PageParams, paginate
from common.periods import Period
from services.projects import rules
from services.projects.models import (
    Base,
    HighlightReport,
    ImprovementAction,
    Milestone,
    Objective,
    Priority,
    Programme,
    Project,
    RaidItem,
)
from services.projects.rules import FINISHED_MILESTONE, MilestoneFacts, MilestoneStatus, Rag, Stage
from services.projects.schemas import (
    HighlightReportCreate,
    HighlightReportUpdate,
    ImprovementActionCreate,
    ImprovementActionUpdate,
    MilestoneCreate,
    MilestoneUpdate,
    ObjectiveCreate,
    ObjectiveUpdate,
    PriorityCreate,
    PriorityUpdate,
    ProgrammeCreate,
    ProgrammeUpdate,
    ProjectCreate,
    ProjectUpdate,
    RaidItemCreate,
    RaidItemUpdate,
)

M = TypeVar("M", bound=Base)
MeasureExists = Callable[[uuid.UUID], bool]
"""Asks the KPI service whether a measure exists for the caller's organisation."""


def get_row(session: Session, model: type[M], row_id: uuid.UUID, what: str) -> M:
    """One row of the caller's organisation, or NotFound (also for another organisation's row)."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"There is no {what} with this id.")
    return row


def _fail(errors: Sequence[FieldError]) -> None:
    if errors:
        detail = "; ".join(e["message"] for e in errors[:5])
        raise ValidationFailed(detail, errors=errors)


def _missing(
    session: Session, model: type[Base], ids: Iterable[uuid.UUID], field: str, what: str
) -> list[FieldError]:
    """Field errors for ids that are not rows of the caller's organisation."""
    wanted = list(ids)
    if not wanted:
        return []
    column = model.__table__.c.id
    found = set(session.scalars(select(column).where(column.in_(wanted))))
    return [
        FieldError(f"{field}.{i}", f"There is no {what} with id {value} in your organisation")
        for i, value in enumerate(wanted)
        if value not in found
    ]


def _save(session: Session, row: M, values: dict[str, Any]) -> M:
    for field, value in values.items():
        setattr(row, field, value)
    session.add(row)
    session.flush()
    return row


def delete_row(session: Session, row: Base) -> None:
    session.delete(row)
    session.flush()


# Priorities ------------------------------------------------------------------------------------


def list_priorities(session: Session, *, page: PageParams) -> tuple[list[Priority], int]:
    """The organisation's council plan priorities, in the plan's order."""
    return paginate(session, select(Priority).order_by(Priority.position, Priority.title), page)


def create_priority(session: Session, *, data: PriorityCreate) -> Priority:
    """Add a council plan priority."""
    return _save(session, Priority(), data.model_dump())


def update_priority(session: Session, *, priority: Priority, data: PriorityUpdate) -> Priority:
    return _save(session, priority, data.model_dump(exclude_unset=True))


def delete_priority(session: Session, *, priority: Priority) -> None:
    """Remove a priority no objective serves."""
    if session.scalar(select(Objective.id).where(Objective.priority_ids.contains([priority.id]))):
        raise Conflict("Objectives still serve this priority; unlink them first.")
    delete_row(session, priority)


# Objectives ------------------------------------------------------------------------------------


def list_objectives(
    session: Session,
    *,
    page: PageParams,
    priority_id: uuid.UUID | None = None,
    kpi_measure_id: uuid.UUID | None = None,
    council_plan: bool | None = None,
) -> tuple[list[Objective], int]:
    """Objectives by number, optionally those serving a priority or measured by a KPI."""
    statement = select(Objective).order_by(Objective.number)
    if priority_id is not None:
        statement = statement.where(Objective.priority_ids.contains([priority_id]))
    if kpi_measure_id is not None:
        statement = statement.where(Objective.kpi_measure_ids.contains([kpi_measure_id]))
    if council_plan is not None:
        statement = statement.where(Objective.council_plan.is_(council_plan))
    return paginate(session, statement, page)


def _objective_errors(
    session: Session, values: dict[str, Any], measure_exists: MeasureExists
) -> list[FieldError]:
    errors = _missing(
        session, Priority, values.get("priority_ids") or [], "priority_ids", "priority"
    )
    errors += [
        FieldError(f"kpi_measure_ids.{i}", f"There is no KPI measure with id {measure_id}")
        for i, measure_id in enumerate(values.get("kpi_measure_ids") or [])
        if not measure_exists(measure_id)
    ]
    return errors


def _unique_number(session: Session, number: int, own_id: uuid.UUID | None) -> list[FieldError]:
    other = session.scalar(select(Objective.id).where(Objective.number == number))
    if other is not None and other != own_id:
        return [FieldError("number", f"Objective {number} already exists")]
    return []


def create_objective(
    session: Session, *, data: ObjectiveCreate, measure_exists: MeasureExists
) -> Objective:
    """Add an objective; its priorities and KPI measures must exist."""
    values = data.model_dump()
    _fail(
        _unique_number(session, data.number, None)
        + _objective_errors(session, values, measure_exists)
    )
    return _save(session, Objective(), values)


def update_objective(
    session: Session, *, objective: Objective, data: ObjectiveUpdate, measure_exists: MeasureExists
) -> Objective:
    values = _updates(Objective, data)
    errors = _objective_errors(session, values, measure_exists)
    if values.get("number") is not None:
        errors = _unique_number(session, values["number"], objective.id) + errors
    _fail(errors)
    return _save(session, objective, values)


def delete_objective(session: Session, *, objective: Objective) -> None:
    """Remove an objective no project is linked to."""
    if session.scalar(select(Project.id).where(Project.objective_ids.contains([objective.id]))):
        raise Conflict("Projects are still linked to this objective; unlink them first.")
    delete_row(session, objective)


def _updates(model: type[Base], data: BaseModel) -> dict[str, Any]:
    """The fields an update sent; a null for a column that must have a value is refused."""
    values = data.model_dump(exclude_unset=True)
    columns = model.__table__.columns
    _fail(
        [
            FieldError(field, "This cannot be empty; leave it out to keep its current value")
            for field, value in values.items()
            if value is None and not columns[field].nullable
        ]
    )
    return values


# Programmes ------------------------------------------------------------------------------------


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
    errors = _missing(session, Programme, [parent_id], "parent_id", "programme")
    return [FieldError("parent_id", e["message"]) for e in errors]


def create_programme(session: Session, *, data: ProgrammeCreate) -> Programme:
    _fail(_programme_errors(session, data.parent_id, None))
    return _save(session, Programme(), data.model_dump())


def update_programme(session: Session, *, programme: Programme, data: ProgrammeUpdate) -> Programme:
    values = _updates(Programme, data)
    if "parent_id" in values:
        _fail(_programme_errors(session, values["parent_id"], programme.id))
    return _save(session, programme, values)


def delete_programme(session: Session, *, programme: Programme) -> None:
    in_use = session.scalar(
        select(Project.id).where(Project.programme_id == programme.id)
    ) or session.scalar(select(Programme.id).where(Programme.parent_id == programme.id))
    if in_use:
        raise Conflict("Projects or workstreams still belong to this programme; move them first.")
    delete_row(session, programme)


# Projects --------------------------------------------------------------------------------------

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


def list_projects(
    session: Session, *, page: PageParams, filters: ProjectFilters
) -> tuple[list[Project], int]:
    """Projects matching the filters, sorted by `sort` (a key of PROJECT_SORTS, "-" to reverse)."""
    statement = select(Project)
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
    errors = rules.month_order_errors(state.get("start_month"), state.get("end_month"))
    for field in RAG_FIELDS:
        errors += rules.rag_reason_errors(field, state.get(field), state.get(f"{field}_reason"))
    return errors


def _project_link_errors(session: Session, values: dict[str, Any]) -> list[FieldError]:
    """Links being set must point at the caller's own objectives and programmes."""
    errors = _missing(
        session, Objective, values.get("objective_ids") or [], "objective_ids", "objective"
    )
    if values.get("programme_id") is not None:
        missing = _missing(
            session, Programme, [values["programme_id"]], "programme_id", "programme"
        )
        errors += [FieldError("programme_id", e["message"]) for e in missing]
    return errors


def create_project(session: Session, *, data: ProjectCreate) -> Project:
    """Add a project; amber or red needs a reason and linked objectives must be the council's."""
    values = data.model_dump()
    _fail(_project_rule_errors(values) + _project_link_errors(session, values))
    return _save(session, Project(), values)


def update_project(session: Session, *, project: Project, data: ProjectUpdate) -> Project:
    """Apply the fields sent; the rules are checked on the project as it would then be."""
    values = _updates(Project, data)
    state = {c.key: getattr(project, c.key) for c in Project.__table__.columns} | values
    _fail(_project_rule_errors(state) + _project_link_errors(session, values))
    return _save(session, project, values)


def delete_project(session: Session, *, project: Project) -> None:
    """Remove a project with its milestones, highlight reports and RAID items."""
    for model in (Milestone, HighlightReport, RaidItem):
        for row in session.scalars(select(model).where(model.project_id == project.id)):
            session.delete(row)
    session.flush()
    delete_row(session, project)


def milestones_by_project(
    session: Session, project_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[Milestone]]:
    """Milestones of several projects at once, by baseline date."""
    grouped: dict[uuid.UUID, list[Milestone]] = defaultdict(list)
    ids = list(project_ids)
    if ids:
        statement = (
            select(Milestone)
            .where(Milestone.project_id.in_(ids))
            .order_by(Milestone.baseline_date, Milestone.title)
        )
        for milestone in session.scalars(statement):
            grouped[milestone.project_id].append(milestone)
    return grouped


def facts(milestone: Milestone) -> MilestoneFacts:
    return MilestoneFacts(
        title=milestone.title,
        baseline_date=milestone.baseline_date,
        forecast_date=milestone.forecast_date,
        actual_date=milestone.actual_date,
        status=milestone.status,
    )


# Milestones ------------------------------------------------------------------------------------


def _due_column() -> Any:
    return func.coalesce(Milestone.forecast_date, Milestone.baseline_date)


def list_milestones(
    session: Session,
    *,
    page: PageParams,
    today: date,
    project_id: uuid.UUID | None = None,
    status: MilestoneStatus | None = None,
    overdue: bool | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
) -> tuple[list[Milestone], int]:
    """Milestones by due date; `overdue` uses the same rule as each milestone's derived flag."""
    due = _due_column()
    statement = select(Milestone).order_by(due, Milestone.title, Milestone.id)
    if project_id is not None:
        statement = statement.where(Milestone.project_id == project_id)
    if status is not None:
        statement = statement.where(Milestone.status == status)
    if overdue is not None:
        late = (Milestone.status.not_in(list(FINISHED_MILESTONE))) & (due < today)
        statement = statement.where(late if overdue else ~late)
    if due_from is not None:
        statement = statement.where(due >= due_from)
    if due_to is not None:
        statement = statement.where(due <= due_to)
    return paginate(session, statement, page)


def _milestone_project_errors(session: Session, project_id: uuid.UUID) -> list[FieldError]:
    if session.get(Project, project_id) is None:
        return [FieldError("project_id", "There is no project with this id in your organisation")]
    return []


def create_milestone(session: Session, *, data: MilestoneCreate, today: date) -> Milestone:
    """Add a milestone; with an actual date and no status it is completed."""
    values = data.model_dump()
    if values["status"] is None:
        values["status"] = (
            MilestoneStatus.COMPLETED if data.actual_date else MilestoneStatus.NOT_STARTED
        )
    _fail(
        _milestone_project_errors(session, data.project_id)
        + rules.milestone_errors(status=values["status"], actual_date=data.actual_date, today=today)
    )
    return _save(session, Milestone(), values)


def update_milestone(
    session: Session, *, milestone: Milestone, data: MilestoneUpdate, today: date
) -> Milestone:
    """Change a milestone; recording an actual date completes it unless a status is sent."""
    values = _updates(Milestone, data)
    if values.get("actual_date") is not None and "status" not in values:
        values["status"] = MilestoneStatus.COMPLETED
    status = values.get("status", milestone.status)
    actual = values.get("actual_date", milestone.actual_date)
    _fail(rules.milestone_errors(status=status, actual_date=actual, today=today))
    return _save(session, milestone, values)


# Highlight reports -----------------------------------------------------------------------------


def list_highlight_reports(
    session: Session,
    *,
    page: PageParams,
    project_id: uuid.UUID | None = None,
    period: str | None = None,
) -> tuple[list[HighlightReport], int]:
    """Reports, newest period first."""
    statement = select(HighlightReport).order_by(
        HighlightReport.period_start.desc(), HighlightReport.created_at.desc()
    )
    if project_id is not None:
        statement = statement.where(HighlightReport.project_id == project_id)
    if period is not None:
        statement = statement.where(HighlightReport.period == period)
    return paginate(session, statement, page)


def create_highlight_report(
    session: Session, *, data: HighlightReportCreate, author: str
) -> HighlightReport:
    """Add a project's report for a month (one per month; earlier months stay as history)."""
    errors = _milestone_project_errors(session, data.project_id)
    taken = session.scalar(
        select(HighlightReport.id).where(
            HighlightReport.project_id == data.project_id, HighlightReport.period == data.period
        )
    )
    if taken:
        errors.append(
            FieldError("period", "This project already has a report for this month; change it")
        )
    _fail(errors)
    values = data.model_dump() | {
        "author": data.author or author,
        "period_start": Period.parse(data.period).start,
    }
    return _save(session, HighlightReport(), values)


def update_highlight_report(
    session: Session, *, report: HighlightReport, data: HighlightReportUpdate
) -> HighlightReport:
    return _save(session, report, _updates(HighlightReport, data))


# RAID ------------------------------------------------------------------------------------------


def list_raid_items(
    session: Session,
    *,
    page: PageParams,
    project_id: uuid.UUID | None = None,
    kind: str | None = None,
    status: str | None = None,
    min_score: int | None = None,
) -> tuple[list[RaidItem], int]:
    """RAID items, highest score first."""
    score = RaidItem.likelihood * RaidItem.impact
    statement = select(RaidItem).order_by(score.desc(), RaidItem.title, RaidItem.id)
    if project_id is not None:
        statement = statement.where(RaidItem.project_id == project_id)
    if kind is not None:
        statement = statement.where(RaidItem.kind == kind)
    if status is not None:
        statement = statement.where(RaidItem.status == status)
    if min_score is not None:
        statement = statement.where(score >= min_score)
    return paginate(session, statement, page)


def create_raid_item(session: Session, *, data: RaidItemCreate) -> RaidItem:
    _fail(_milestone_project_errors(session, data.project_id))
    return _save(session, RaidItem(), data.model_dump())


def update_raid_item(session: Session, *, item: RaidItem, data: RaidItemUpdate) -> RaidItem:
    values = _updates(RaidItem, data)
    return _save(session, item, values)


# Improvement plan ------------------------------------------------------------------------------


def list_improvement_actions(
    session: Session,
    *,
    page: PageParams,
    area: str | None = None,
    status: str | None = None,
) -> tuple[list[ImprovementAction], int]:
    statement = select(ImprovementAction).order_by(
        ImprovementAction.area, ImprovementAction.due_date.nulls_last(), ImprovementAction.action
    )
    if area is not None:
        statement = statement.where(ImprovementAction.area == area)
    if status is not None:
        statement = statement.where(ImprovementAction.status == status)
    return paginate(session, statement, page)


def create_improvement_action(
    session: Session, *, data: ImprovementActionCreate
) -> ImprovementAction:
    return _save(session, ImprovementAction(), data.model_dump())


def update_improvement_action(
    session: Session, *, action: ImprovementAction, data: ImprovementActionUpdate
) -> ImprovementAction:
    values = _updates(ImprovementAction, data)
    return _save(session, action, values)


def improvement_plan_counts(session: Session) -> list[rules.AreaCount]:
    """Open and closed actions in each area."""
    pairs = session.execute(select(ImprovementAction.area, ImprovementAction.status))
    return rules.action_counts(pairs)


# Portfolio -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Portfolio:
    projects: int
    by_rag: dict[str, int]
    by_stage: dict[str, int]
    due: list[tuple[Milestone, str]]


def portfolio(session: Session, *, window_from: date, window_to: date) -> Portfolio:
    """Counts by RAG and stage, and the unfinished milestones due between two dates."""
    rows = session.execute(select(Project.rag, Project.stage)).all()
    by_rag = rules.count_by([r for r, _ in rows], [r.value for r in Rag], "not_set")
    by_stage = rules.count_by([s for _, s in rows], [s.value for s in Stage], "not_set")
    by_stage.pop("not_set")
    due = _due_column()
    statement = (
        select(Milestone, Project.name)
        .join(Project, Project.id == Milestone.project_id)
        .where(
            Milestone.status.not_in(list(FINISHED_MILESTONE)),
            due >= window_from,
            due <= window_to,
        )
        .order_by(due, Project.name, Milestone.title)
    )
    return Portfolio(
        projects=len(rows),
        by_rag=by_rag,
        by_stage=by_stage,
        due=[(m, name) for m, name in session.execute(statement)],
    )
