"""Demo data: the 16 objectives and 16 projects of a real service plan, with generated
milestones, highlight reports, RAID items and improvement actions, all labelled as demo data.

The plan's own wording is kept (dates, budgets); what we read from it is stored beside it.
Projects are linked to objectives by matching their words; objectives to KPI measures by the
measure titles in `demo_data/objective_kpis.csv`, looked up in the kpi schema when its demo data
was loaded in the same transaction.
"""

import csv
import random
import re
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from common.periods import Period
from services.projects.milestones.rules import (
    FINISHED_MILESTONE,
    MilestoneStatus,
    days_late,
    due_date,
)
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
from services.projects.plan.rules import Priorities, match_objectives
from services.projects.portfolio.rules import Rag, Stage, parse_budget, parse_month, split_resources

DATA = Path(__file__).parent / "demo_data"
DEMO = "Demo data"
_OBJECTIVE_NUMBER = re.compile(r"^\s*(\d+)\.\s*")
"""How alike two wordings of a priority must be to count as the same priority."""


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _kpi_measure_ids(session: Session) -> dict[str, uuid.UUID]:
    """KPI measure ids by title, when the kpi schema has a measures table; else nothing."""
    if session.scalar(text("select to_regclass('kpi.measures')")) is None:
        return {}
    rows = session.execute(
        text("select id, title from kpi.measures where org_id = :org"),
        {"org": str(session.info["org_id"])},
    )
    return {str(title).strip().lower(): uuid.UUID(str(id_)) for id_, title in rows}


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


_MILESTONES = (
    (0.0, "Project initiation document agreed"),
    (0.3, "Design and delivery plan signed off"),
    (0.65, "Mid-point review of delivery"),
    (1.0, "Benefits review and project closure"),
)


def _milestones(project: Project, rng: random.Random, today: date) -> list[Milestone]:
    start, end = project.start_month, project.end_month
    if start is None and end is None:
        return []
    start = start or _add_months(end or today, -18)
    last_day = _add_months(end or _add_months(start, 12), 1) - timedelta(days=1)
    span = (last_day - start).days
    milestones = []
    for fraction, title in _MILESTONES:
        baseline = start + timedelta(days=round(span * fraction))
        slip = rng.choice((0, 0, 0, 7, 14, 30, 45, 75, -7))
        if fraction == 1.0:  # closing a project is what slips most, as the plan itself says
            slip = rng.choice((0, 90, 180, 270, 365))
        forecast = baseline + timedelta(days=slip) if slip else None
        due = due_date(baseline, forecast)
        status, actual = MilestoneStatus.NOT_STARTED, None
        # Older milestones were delivered; a few recent ones are still open, so overdue.
        if due <= today and ((today - due).days > 90 or rng.random() > 0.3):
            status, actual = MilestoneStatus.COMPLETED, due
        elif due <= today or baseline <= today + timedelta(days=60):
            status = MilestoneStatus.IN_PROGRESS
        milestones.append(
            Milestone(
                project_id=project.id,
                title=f"{title} ({DEMO.lower()})",
                baseline_date=baseline,
                forecast_date=forecast,
                actual_date=actual,
                status=status,
            )
        )
    return milestones


def _assess(project: Project, milestones: list[Milestone], today: date) -> None:
    """Stage and RAG from the generated milestones, with the reason amber and red need."""
    if project.start_month and project.start_month > today:
        project.stage = Stage.PROPOSED
    elif milestones and all(m.status in FINISHED_MILESTONE for m in milestones):
        project.stage = Stage.CLOSED
    else:
        project.stage = Stage.IN_DELIVERY
    if project.stage == Stage.PROPOSED:
        return
    if project.stage == Stage.CLOSED:
        project.rag = project.schedule_rag = project.cost_rag = project.scope_rag = Rag.GREEN
        return
    late = [
        (today - due_date(m.baseline_date, m.forecast_date)).days
        for m in milestones
        if m.status not in FINISHED_MILESTONE and due_date(m.baseline_date, m.forecast_date) < today
    ]
    slips = [days_late(m.baseline_date, m.forecast_date, m.actual_date, today) for m in milestones]
    rag = Rag.GREEN
    reason = ""
    if late:
        rag = Rag.RED if max(late) > 45 else Rag.AMBER
        reason = f"{DEMO}: a milestone is {max(late)} days overdue."
    elif slips and max(slips) > 21:
        rag = Rag.RED if max(slips) > 270 else Rag.AMBER
        reason = f"{DEMO}: a milestone has slipped {max(slips)} days against its baseline."
    project.rag, project.rag_reason = rag, reason
    project.schedule_rag, project.schedule_rag_reason = rag, reason
    project.cost_rag = Rag.GREEN
    project.scope_rag = Rag.GREEN


def _highlight_reports(project: Project, today: date) -> list[HighlightReport]:
    if project.stage != Stage.IN_DELIVERY:
        return []
    month = Period.month_of(today)
    reports = []
    for back in range(3):
        period = month
        for _ in range(back):
            period = period.previous()
        latest = back == 0
        reports.append(
            HighlightReport(
                project_id=project.id,
                period=period.code,
                period_start=period.start,
                rag=(project.rag if latest else None) or Rag.GREEN,
                summary=f"{DEMO}: generated highlight report for {period.label}.",
                achievements=f"{DEMO}: work planned for {period.label} progressed.",
                next_steps=f"{DEMO}: continue to the next milestone.",
                issues=project.rag_reason if latest else "",
                decisions_needed="",
                author=DEMO,
            )
        )
    return reports


def _raid_items(project: Project, rng: random.Random, today: date) -> list[RaidItem]:
    if project.stage == Stage.CLOSED:
        return []
    resource = project.resources[0] if project.resources else "partners"
    return [
        RaidItem(
            project_id=project.id,
            kind="risk",
            title=f"Capacity in {resource} may delay delivery ({DEMO.lower()})",
            likelihood=rng.randint(1, 5),
            impact=rng.randint(2, 5),
            owner=project.lead_team,
            mitigation=f"{DEMO}: agree capacity with {resource} at the monthly board.",
            status="open",
            review_date=today + timedelta(days=rng.randint(7, 60)),
        ),
        RaidItem(
            project_id=project.id,
            kind="dependency",
            title=f"Depends on {', '.join(project.resources[:3]) or 'partners'} ({DEMO.lower()})",
            likelihood=2,
            impact=3,
            owner=project.lead_team,
            status="open",
        ),
    ]


_ACTIONS = (
    ("Strategic decisions", "Publish the refreshed scheme of delegation", "completed"),
    (
        "Strategic decisions",
        "Report improvement plan progress to the board each quarter",
        "in_progress",
    ),
    ("Quality assurance", "Audit a sample of case files every month", "in_progress"),
    ("Quality assurance", "Act on learning from complaints and compliments", "not_started"),
    ("Quality assurance", "Introduce practice observations for all teams", "completed"),
    ("Workforce development", "Launch the strengths-based practice training", "completed"),
    ("Workforce development", "Agree a recruitment and retention plan", "in_progress"),
    ("Workforce development", "Set up a principal social worker forum", "not_started"),
)


def load(session: Session) -> None:
    """Load the demo plan into the session's organisation (the demo council)."""
    today = date.today()
    objective_rows = _rows("objectives.csv")
    project_rows = _rows("projects.csv")

    found = Priorities()
    objective_priorities = [
        found.in_cell(r["Relevant Council Plan priority"]) for r in objective_rows
    ]
    project_priorities = [
        found.in_cell(r["Relevant Council/Service Plan objective (from table above)"])
        for r in project_rows
    ]
    priorities = [
        Priority(title=group.title, position=i + 1) for i, group in enumerate(found.groups)
    ]
    session.add_all(priorities)
    session.flush()

    measure_ids = _kpi_measure_ids(session)
    kpis_by_objective: dict[int, list[uuid.UUID]] = {}
    for row in _rows("objective_kpis.csv"):
        measure = measure_ids.get(row["KPI measure title"].strip().lower())
        if measure is not None:
            kpis_by_objective.setdefault(int(row["Objective"]), []).append(measure)

    objectives: list[Objective] = []
    for row, served in zip(objective_rows, objective_priorities, strict=True):
        statement = row["Objectives"].strip()
        match = _OBJECTIVE_NUMBER.match(statement)
        number = int(match[1]) if match else len(objectives) + 1
        objectives.append(
            Objective(
                number=number,
                statement=_OBJECTIVE_NUMBER.sub("", statement),
                council_plan=row["Council Plan objective? (Y/N)"].strip().upper() == "Y",
                priority_ids=[priorities[i].id for i in served],
                kpi_measure_ids=kpis_by_objective.get(number, []),
                owner="",
            )
        )
    session.add_all(objectives)

    programme = Programme(
        name="Adult Social Care Transformation Programme",
        description=f"{DEMO}: groups the transformation projects of the plan.",
    )
    session.add(programme)
    session.flush()
    workstreams = {
        name: Programme(name=name, description=f"{DEMO}: a workstream.", parent_id=programme.id)
        for name in ("Pathways, policies and processes", "ICT requirements")
    }
    session.add_all(workstreams.values())
    session.flush()
    in_workstream = {
        "Digital Transformation": "ICT requirements",
        "Reablement": "Pathways, policies and processes",
        "Spending Wisely": "Pathways, policies and processes",
    }

    served_by = [
        (o.statement, set(served))
        for o, served in zip(objectives, objective_priorities, strict=True)
    ]
    for row, served in zip(project_rows, project_priorities, strict=True):
        name = row["Project name"].strip()
        description = row["What will this deliver and what will the benefits be?"].strip()
        start_text = row["Start date (month-year)"].strip()
        end_text = row["End date (month-year)"].strip()
        budget = parse_budget(row["Budget"])
        linked = match_objectives(name, description, set(served), served_by)
        workstream = in_workstream.get(name)
        project = Project(
            id=uuid.uuid4(),
            name=name,
            description=description,
            programme_id=workstreams[workstream].id if workstream else None,
            start_month=parse_month(start_text),
            start_text=start_text,
            end_month=parse_month(end_text),
            end_text=end_text,
            budget_amount=budget.amount,
            budget_basis=budget.basis,
            funding_source=budget.funding_source,
            budget_text=budget.text,
            resources=split_resources(
                row["What resources is this project dependent on? (e.g. finance, legal, IT)"]
            ),
            objective_ids=[objectives[i].id for i in linked],
            council_plan=row["Council Plan project? (Y/N)"].strip().upper() == "Y",
            lead_team=row["Data provider"].strip(),
            rag_reason="",
            schedule_rag_reason="",
            cost_rag_reason="",
            scope_rag_reason="",
        )
        rng = random.Random(name)
        milestones = _milestones(project, rng, today)
        _assess(project, milestones, today)
        session.add(project)
        session.flush()
        session.add_all(milestones)
        session.add_all(_highlight_reports(project, today))
        session.add_all(_raid_items(project, rng, today))

    for i, (area, action, status) in enumerate(_ACTIONS):
        session.add(
            ImprovementAction(
                action=f"{action} ({DEMO.lower()})",
                area=area,
                owner="Transformation Team",
                due_date=_add_months(today, i - 3),
                status=status,
            )
        )
    session.flush()
