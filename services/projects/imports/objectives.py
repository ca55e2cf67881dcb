"""The service plan's objectives table: each objective's number, statement, whether it is a
council plan objective, and the council plan priorities it serves (matched to the priorities
already kept, or added). Objectives are matched to existing ones by number."""

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.headers import Column
from common.importing import ImportReport, ProblemKind, RowReport, read_header
from common.spreadsheets import Table
from services.projects.imports.linking import PriorityBook, numbered
from services.projects.models import Objective, Priority

COLUMNS = (
    Column("number", "Number", ("Objective number", "Objective no", "No", "Ref")),
    Column(
        "statement",
        "Objectives",
        ("Objective", "Service plan objective", "Objective statement"),
        required=True,
    ),
    Column("council_plan", "Council Plan objective", ("Council plan",)),
    Column(
        "priorities",
        "Relevant Council Plan priority",
        ("Council plan priority", "Council plan priorities", "Priority", "Priorities"),
    ),
    Column("owner", "Owner", ("Lead officer", "Responsible officer")),
)


@dataclass
class ObjectiveRow:
    report: RowReport
    number: int | None
    fields: dict[str, object]
    priority_indexes: list[int] = field(default_factory=list)
    existing: Objective | None = None


@dataclass
class ObjectivesPlan:
    rows: list[ObjectiveRow]
    book: PriorityBook
    priorities: int


def plan(session: Session, table: Table, filename: str) -> tuple[ImportReport, ObjectivesPlan]:
    match = read_header(table, COLUMNS, "an objective")
    columns = match.headers
    report = ImportReport.of("objectives", filename, match)
    existing = {o.number: o for o in session.scalars(select(Objective))}
    stored = list(session.scalars(select(Priority).order_by(Priority.position)))
    book = PriorityBook(stored)
    rows: list[ObjectiveRow] = []
    seen: dict[int, int] = {}
    for position, (row, cell, _) in enumerate(report.each_row(table, match)):
        number, statement = numbered(cell["statement"])
        if cell.get("number"):
            try:
                number = int(cell["number"].strip().rstrip("."))
            except ValueError:
                row.problem(
                    columns["number"],
                    f"could not read '{cell['number']}' as a number",
                    ProblemKind.NOT_A_NUMBER,
                )
        if number is None:
            number = position + 1
            row.problem(
                columns["statement"],
                f"has no objective number: numbered {number} by its place in the file",
                ProblemKind.DEFAULTED,
                blocking=False,
            )
        if not statement:
            row.problem(
                columns["statement"], "the objective has no statement", ProblemKind.MISSING_CELL
            )
        row.repeats(seen, number, columns["statement"], f"objective {number}")
        fields: dict[str, object] = {"number": number, "statement": statement}
        if "council_plan" in cell:
            fields["council_plan"] = row.yes_no(columns["council_plan"], cell["council_plan"])
        if "owner" in cell:
            fields["owner"] = cell["owner"]
            if len(cell["owner"]) > 200:
                row.problem(columns["owner"], "is longer than 200 characters", ProblemKind.TOO_LONG)
        indexes = book.in_cell(cell["priorities"]) if cell.get("priorities") else []
        if indexes:
            fields["priorities"] = [book.title(i) for i in indexes]
            row.links = [
                ("new priority: " if book.is_new(i) else "priority: ") + book.title(i)
                for i in indexes
            ]
        item = ObjectiveRow(row, number, fields, indexes, existing.get(number))
        row.key = f"objective {number}"
        row.fields = fields
        rows.append(item)
    for item in rows:
        item.report.action = _action(item, book)
    return report, ObjectivesPlan(rows, book, len(stored))


def _action(item: ObjectiveRow, book: PriorityBook) -> str:
    if item.existing is None:
        return "create"
    current = item.existing
    wanted_ids = [book.ids[i] for i in item.priority_indexes]
    relinked = "priorities" in item.fields and (
        None in wanted_ids or set(wanted_ids) != set(current.priority_ids)
    )
    more = ["priorities"] if relinked else []
    return item.report.compare(
        current, item.fields, ("statement", "council_plan", "owner"), more=more
    )


def commit(session: Session, planned: ObjectivesPlan) -> None:
    book = planned.book
    for index, priority_id in enumerate(book.ids):
        if priority_id is None:
            priority = Priority(
                id=uuid.uuid4(), title=book.title(index), position=planned.priorities + index + 1
            )
            session.add(priority)
            book.ids[index] = priority.id
    for item in planned.rows:
        if item.report.action == "unchanged":
            continue
        values = {
            k: v for k, v in item.fields.items() if k in ("statement", "council_plan", "owner")
        }
        priority_ids = [p for p in (book.ids[i] for i in item.priority_indexes) if p is not None]
        if item.existing is None:
            session.add(
                Objective(
                    number=item.number,
                    priority_ids=priority_ids,
                    kpi_measure_ids=[],
                    **{"owner": "", **values},
                )
            )
            continue
        for key, value in values.items():
            if getattr(item.existing, key) != value:
                setattr(item.existing, key, value)
        if "priorities" in item.fields and set(priority_ids) != set(item.existing.priority_ids):
            item.existing.priority_ids = priority_ids
    session.flush()
