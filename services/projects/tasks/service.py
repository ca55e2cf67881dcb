"""Project tasks of one person: milestones of their projects, improvement actions they own, and
this month's highlight reports of their projects."""

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.deadlines import highlight_report_due
from common.identity import Caller
from common.periods import Period
from common.tasks import OverdueItem, TaskItem
from services.projects.highlights.models import HighlightReport
from services.projects.improvement.models import ImprovementAction
from services.projects.improvement.rules import ActionStatus
from services.projects.milestones.models import Milestone, due_column
from services.projects.milestones.rules import FINISHED_MILESTONE
from services.projects.portfolio.models import Project
from services.projects.portfolio.rules import Stage
from services.projects.tasks.rules import LOOK_AHEAD, in_view


def tasks_for(session: Session, *, caller: Caller, today: date) -> list[TaskItem]:
    """What the caller has to do in projects today."""
    projects = (
        list(
            session.scalars(
                select(Project).where(
                    Project.lead_team == caller.team,
                    Project.stage != Stage.CLOSED,
                    Project.retired_at.is_(None),
                )
            )
        )
        if caller.team
        else []
    )
    return (
        _milestones(session, projects, today)
        + _highlight_reports(session, projects, today)
        + _actions(session, caller, today)
    )


def overdue(session: Session, *, today: date) -> list[OverdueItem]:
    """Every open project's milestones and every improvement action past their due date, each
    with the team (or person) it is waiting on."""
    projects = list(session.scalars(select(Project).where(Project.stage != Stage.CLOSED)))
    teams = {p.id: p.lead_team for p in projects}
    milestones = [
        OverdueItem(**item.model_dump(), owner=teams[project_id])
        for item, project_id in _milestone_rows(session, projects, today, until=today)
        if item.overdue
    ]
    actions = [
        OverdueItem(**item.model_dump(), owner=owner)
        for item, owner in _action_rows(session, None, today)
        if item.overdue
    ]
    return milestones + actions


def _milestones(session: Session, projects: list[Project], today: date) -> list[TaskItem]:
    return [item for item, _ in _milestone_rows(session, projects, today, until=today + LOOK_AHEAD)]


def _milestone_rows(
    session: Session, projects: list[Project], today: date, *, until: date
) -> list[tuple[TaskItem, uuid.UUID]]:
    """The projects' unfinished milestones due by `until`, each with its project's id."""
    names = {p.id: p.name for p in projects}
    due = due_column()
    rows = session.execute(
        select(Milestone, due)
        .where(
            Milestone.project_id.in_(names),
            Milestone.status.not_in(FINISHED_MILESTONE),
            Milestone.actual_date.is_(None),
            due <= until,
        )
        .order_by(due)
    )
    return [
        (
            TaskItem.as_of(
                today,
                key=f"projects:milestone:{milestone.id}",
                kind="milestone",
                title=f"Milestone: {milestone.title} ({names[milestone.project_id]})",
                due=when,
                link=f"/projects/{milestone.project_id}/milestones/{milestone.id}/edit",
            ),
            milestone.project_id,
        )
        for milestone, when in rows
    ]


def _highlight_reports(session: Session, projects: list[Project], today: date) -> list[TaskItem]:
    """Projects in delivery owe a highlight report for each month, by its end."""
    month = Period.month_of(today)
    delivering = [p for p in projects if p.stage == Stage.IN_DELIVERY]
    reported = set(
        session.scalars(
            select(HighlightReport.project_id).where(
                HighlightReport.project_id.in_([p.id for p in delivering]),
                HighlightReport.period == month.code,
            )
        )
    )
    due = highlight_report_due(month.start)
    return [
        TaskItem.as_of(
            today,
            key=f"projects:highlight:{project.id}:{month.code}",
            kind="highlight_report",
            title=f"Highlight report for {month.label}: {project.name}",
            due=due,
            link=f"/projects/{project.id}/highlight-reports/new",
        )
        for project in sorted(delivering, key=lambda p: p.name)
        if project.id not in reported
    ]


def _actions(session: Session, caller: Caller, today: date) -> list[TaskItem]:
    """Improvement actions owned by the caller's team (or by them by name), not completed."""
    owners = [o for o in (caller.team, caller.display_name) if o]
    if not owners:
        return []
    return [item for item, _ in _action_rows(session, owners, today) if in_view(item.due, today)]


def _action_rows(
    session: Session, owners: list[str] | None, today: date
) -> list[tuple[TaskItem, str]]:
    """Improvement actions with a due date not completed, each with its owner: those of
    `owners`, or (None) everyone's."""
    statement = (
        select(ImprovementAction)
        .where(
            ImprovementAction.status != ActionStatus.COMPLETED,
            ImprovementAction.due_date.is_not(None),
        )
        .order_by(ImprovementAction.due_date)
    )
    if owners is not None:
        statement = statement.where(ImprovementAction.owner.in_(owners))
    return [
        (
            TaskItem.as_of(
                today,
                key=f"projects:action:{action.id}",
                kind="improvement_action",
                title=f"Improvement action: {action.action}",
                due=action.due_date,
                link="/improvement-plan",
            ),
            action.owner,
        )
        for action in session.scalars(statement)
        if action.due_date is not None
    ]
