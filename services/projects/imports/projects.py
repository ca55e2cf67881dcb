"""The service plan's projects table: what each project delivers, its dates and budget as the
council wrote them (with what we can read from them), the resources it depends on, and the
objectives it serves, linked by number or by the priority wording the council used. Projects
are matched to existing ones by name."""

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.headers import Column, normalise_header
from common.importing import ImportReport, ProblemKind, RowReport, read_header
from common.spreadsheets import Table
from services.projects.imports.linking import PriorityBook, link_objectives
from services.projects.models import Objective, Priority, Project
from services.projects.portfolio.rules import parse_budget, parse_month, split_resources

COLUMNS = (
    Column("name", "Project name", ("Project", "Name", "Project title"), required=True),
    Column(
        "description",
        "What will this deliver and what will the benefits be",
        ("Description", "Deliverables", "Benefits", "What will this deliver"),
    ),
    Column("start", "Start date", ("Start", "Start month")),
    Column("end", "End date", ("End", "End month", "Finish date", "Completion date")),
    Column("budget", "Budget", ("Cost", "Funding")),
    Column(
        "resources",
        "What resources is this project dependent on",
        ("Resources", "Dependencies", "Dependent on"),
    ),
    Column(
        "objectives",
        "Relevant Council/Service Plan objective",
        ("Objective", "Objectives", "Relevant objective", "Service plan objective"),
    ),
    Column("council_plan", "Council Plan project", ("Council plan",)),
    Column("lead_team", "Data provider", ("Lead team", "Project lead", "Lead", "Owner")),
)
_LIMITS = {"name": 300, "start_text": 300, "end_text": 300, "budget_text": 300, "lead_team": 200}
_NO_AMOUNT = frozenset(["", "tbc", "tbd", "n a", "na", "none", "nil", "to be confirmed"])
_COMPARED = (
    "description",
    "start_month",
    "start_text",
    "end_month",
    "end_text",
    "budget_amount",
    "budget_basis",
    "funding_source",
    "budget_text",
    "resources",
    "council_plan",
    "lead_team",
)


@dataclass
class ProjectRow:
    report: RowReport
    values: dict[str, object]
    objective_ids: list[uuid.UUID] | None
    existing: Project | None


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def plan(session: Session, table: Table, filename: str) -> tuple[ImportReport, list[ProjectRow]]:
    match = read_header(table, COLUMNS, "a project")
    columns = match.headers
    report = ImportReport.of("projects", filename, match)
    objectives = list(session.scalars(select(Objective).order_by(Objective.number)))
    book = PriorityBook(list(session.scalars(select(Priority).order_by(Priority.position))))
    position = {pid: i for i, pid in enumerate(book.ids) if pid is not None}
    served = {o.id: {position[p] for p in o.priority_ids if p in position} for o in objectives}
    existing = {_words(p.name): p for p in session.scalars(select(Project))}
    rows: list[ProjectRow] = []
    seen: dict[str, int] = {}
    for row, cell, _ in report.each_row(table, match):
        values: dict[str, object] = {"name": cell["name"]}
        if not cell["name"]:
            row.problem(columns["name"], "the project has no name", ProblemKind.MISSING_CELL)
        key = _words(cell["name"])
        row.repeats(seen, key, columns["name"], "the project")
        if "description" in cell:
            values["description"] = cell["description"]
        for field in ("start", "end"):
            if field not in cell:
                continue
            text = cell[field]
            values[f"{field}_text"], values[f"{field}_month"] = text, parse_month(text)
            if text and values[f"{field}_month"] is None:
                row.problem(
                    columns[field],
                    f"could not read '{text}' as a month: kept as written",
                    ProblemKind.DEFAULTED,
                    blocking=False,
                )
        if "budget" in cell:
            budget = parse_budget(cell["budget"])
            values |= {
                "budget_text": budget.text,
                "budget_amount": budget.amount,
                "budget_basis": budget.basis.value if budget.basis else None,
                "funding_source": budget.funding_source,
            }
            if budget.amount is None and normalise_header(budget.text) not in _NO_AMOUNT:
                row.problem(
                    columns["budget"],
                    f"found no amount in '{budget.text}': kept as written",
                    ProblemKind.DEFAULTED,
                    blocking=False,
                )
        if "resources" in cell:
            values["resources"] = split_resources(cell["resources"])
        if "council_plan" in cell:
            values["council_plan"] = row.yes_no(columns["council_plan"], cell["council_plan"])
        if "lead_team" in cell:
            values["lead_team"] = cell["lead_team"]
        for field, limit in _LIMITS.items():
            if len(str(values.get(field) or "")) > limit:
                row.problem(
                    columns.get(field.removesuffix("_text"), field),
                    f"is longer than {limit} characters",
                    ProblemKind.TOO_LONG,
                )
        objective_ids: list[uuid.UUID] | None = None
        if "objectives" in cell:
            links = link_objectives(
                cell["objectives"],
                cell["name"],
                cell.get("description", ""),
                objectives,
                served,
                book,
            )
            objective_ids = links.ids
            row.links, row.links_not_made = links.made, links.not_made
        item = ProjectRow(row, values, objective_ids, existing.get(key))
        row.key = cell["name"]
        row.fields = values | {"objectives": [str(i) for i in objective_ids or []]}
        row.action = _action(item)
        rows.append(item)
    return report, rows


def _action(item: ProjectRow) -> str:
    if item.existing is None:
        return "create"
    current = item.existing
    wanted = item.objective_ids
    more = (
        ["objectives"] if wanted is not None and set(wanted) != set(current.objective_ids) else []
    )
    return item.report.compare(current, item.values, _COMPARED, more=more)


def commit(session: Session, rows: list[ProjectRow]) -> None:
    for item in rows:
        if item.report.action == "unchanged":
            continue
        if item.existing is None:
            session.add(
                Project(
                    **({"resources": []} | item.values),
                    objective_ids=item.objective_ids or [],
                    rag_reason="",
                    schedule_rag_reason="",
                    cost_rag_reason="",
                    scope_rag_reason="",
                )
            )
            continue
        for key, value in item.values.items():
            if key != "name" and getattr(item.existing, key) != value:
                setattr(item.existing, key, value)
        if item.objective_ids is not None and set(item.objective_ids) != set(
            item.existing.objective_ids
        ):
            item.existing.objective_ids = item.objective_ids
    session.flush()
