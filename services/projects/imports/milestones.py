"""Milestones of projects, read from a table with one milestone a row: the project it belongs to,
its title, and its baseline, forecast and actual dates written as people write them ("July 2024",
"30/06/2025", "June 2025 (Likely to be extended to June 2026)"), and its status.

A month without a day ("July 2024") is read as the last day of that month: a milestone due in
July is not late until July is over. Milestones are matched to existing ones by project and title,
so importing the same file twice changes nothing the second time. Projects are named by their
name (case, spacing and small differences in wording tolerated) or by their id.
"""

import calendar
import difflib
import re
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.headers import Column, normalise_header
from common.importing import ImportReport, ProblemKind, RowReport, Writes, read_header, write_rows
from common.spreadsheets import Table
from services.projects.milestones.models import Milestone
from services.projects.milestones.rules import MilestoneStatus, milestone_errors
from services.projects.models import Project
from services.projects.portfolio.rules import parse_month

COLUMNS = (
    Column("project", "Project", ("Project name", "Project title", "Project id"), required=True),
    Column("title", "Milestone", ("Milestone title", "Milestone name", "Title"), required=True),
    Column(
        "baseline",
        "Baseline date",
        ("Baseline", "Original date", "Planned date", "Due date", "Target date", "Date"),
        required=True,
    ),
    Column("forecast", "Forecast date", ("Forecast", "Revised date", "Expected date")),
    Column(
        "actual",
        "Actual date",
        ("Actual", "Completed", "Date completed", "Completion date", "Actual completion date"),
    ),
    Column("status", "Status", ("Milestone status", "Progress")),
)
_DATE_FIELDS = {"baseline": "baseline_date", "forecast": "forecast_date", "actual": "actual_date"}
_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?\s*")
_UK_DAY = re.compile(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b")
_NO_DATE = frozenset(["", "tbc", "tbd", "n a", "na", "none", "to be confirmed"])
_STATUS = {
    "not started": MilestoneStatus.NOT_STARTED,
    "not yet started": MilestoneStatus.NOT_STARTED,
    "planned": MilestoneStatus.NOT_STARTED,
    "in progress": MilestoneStatus.IN_PROGRESS,
    "started": MilestoneStatus.IN_PROGRESS,
    "ongoing": MilestoneStatus.IN_PROGRESS,
    "underway": MilestoneStatus.IN_PROGRESS,
    "on track": MilestoneStatus.IN_PROGRESS,
    "delayed": MilestoneStatus.IN_PROGRESS,
    "completed": MilestoneStatus.COMPLETED,
    "complete": MilestoneStatus.COMPLETED,
    "done": MilestoneStatus.COMPLETED,
    "achieved": MilestoneStatus.COMPLETED,
    "delivered": MilestoneStatus.COMPLETED,
    "cancelled": MilestoneStatus.CANCELLED,
    "canceled": MilestoneStatus.CANCELLED,
    "withdrawn": MilestoneStatus.CANCELLED,
}
_SAME_NAME = 0.85


@dataclass(frozen=True)
class ReadDate:
    """A date cell: the day read from it (None when it names none) and whether words were left."""

    day: date | None
    extra_words: bool = False


def read_date(text: str) -> ReadDate:
    """The day a date cell names; a month alone is its last day.

    >>> read_date("30/06/2025"), read_date("2025-06-30")
    (ReadDate(day=datetime.date(2025, 6, 30), extra_words=False), \
ReadDate(day=datetime.date(2025, 6, 30), extra_words=False))
    >>> read_date("June 2025 (Likely to be extended to June 2026)")
    ReadDate(day=datetime.date(2025, 6, 30), extra_words=True)
    >>> read_date("Started in 2024").day is None
    True
    """
    try:
        if match := _ISO_DAY.fullmatch(text):
            return ReadDate(date(int(match[1]), int(match[2]), int(match[3])))
        if match := _UK_DAY.match(text):
            year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
            day = date(year, int(match[2]), int(match[1]))
            return ReadDate(day, bool(text[match.end() :].strip()))
    except ValueError:
        return ReadDate(None)
    month = parse_month(text)
    if month is None:
        return ReadDate(None)
    last = calendar.monthrange(month.year, month.month)[1]
    words = re.sub(r"^\s*[A-Za-z]+\.?[\s\-/']+\d{2,4}", "", text).strip()
    words = re.sub(r"^\s*\d{4}-\d{1,2}|^\s*\d{1,2}/\d{4}", "", words).strip()
    return ReadDate(month.replace(day=last), bool(words))


def _words(text: str) -> str:
    return " ".join(text.lower().split())


class ProjectFinder:
    """Which of the organisation's projects a cell names: by id, by name, or by nearly its name."""

    def __init__(self, projects: list[tuple[uuid.UUID, str]]) -> None:
        self.by_id = dict(projects)
        self.by_name: dict[str, uuid.UUID] = {}
        for pid, name in projects:
            self.by_name.setdefault(_words(name), pid)
        self._found: dict[str, tuple[uuid.UUID | None, str]] = {}

    def find(self, cell: str) -> tuple[uuid.UUID | None, str]:
        """The project's id and how it was found, or None and why not (remembered per cell)."""
        key = _words(cell)
        if key not in self._found:
            self._found[key] = self._find(cell.strip(), key)
        return self._found[key]

    def _find(self, cell: str, key: str) -> tuple[uuid.UUID | None, str]:
        try:
            pid = uuid.UUID(cell)
        except ValueError:
            pass
        else:
            if pid in self.by_id:
                return pid, f"project '{self.by_id[pid]}' (by its id)"
            return None, f"there is no project with id {cell}"
        if key in self.by_name:
            return self.by_name[key], ""
        plain = normalise_header(cell)
        scored = sorted(
            (
                (difflib.SequenceMatcher(None, plain, normalise_header(n)).ratio(), n)
                for n in self.by_name
            ),
            reverse=True,
        )
        if (
            scored
            and scored[0][0] >= _SAME_NAME
            and (len(scored) == 1 or scored[1][0] < scored[0][0])
        ):
            name = scored[0][1]
            return self.by_name[name], f"project '{self.by_id[self.by_name[name]]}' (by its words)"
        return None, f"there is no project named '{cell}': import the projects first"


@dataclass
class MilestoneRow:
    report: RowReport
    project_id: uuid.UUID | None
    values: dict[str, object]
    existing: Milestone | None


def plan(session: Session, table: Table, filename: str) -> tuple[ImportReport, list[MilestoneRow]]:
    """What importing `table` would do: each milestone's action against those there already."""
    match = read_header(table, COLUMNS, "a milestone")
    columns = match.headers
    report = ImportReport.of("milestones", filename, match)
    named = session.execute(select(Project.id, Project.name))
    finder = ProjectFinder([(pid, name) for pid, name in named])
    existing: dict[tuple[uuid.UUID, str], Milestone] = {}
    for milestone in session.scalars(select(Milestone).order_by(Milestone.created_at)):
        existing.setdefault((milestone.project_id, _words(milestone.title)), milestone)
    on = date.today()
    rows: list[MilestoneRow] = []
    seen: dict[tuple[uuid.UUID, str], int] = {}
    for row, cell, _ in report.each_row(table, match):
        values: dict[str, object] = {"title": cell["title"]}
        project_id: uuid.UUID | None = None
        if not cell["project"]:
            row.problem(columns["project"], "names no project", ProblemKind.MISSING_CELL)
        else:
            project_id, how = finder.find(cell["project"])
            if project_id is None:
                row.problem(columns["project"], how, ProblemKind.UNKNOWN_REFERENCE)
            elif how:
                row.links.append(how)
        if not cell["title"]:
            row.problem(columns["title"], "the milestone has no title", ProblemKind.MISSING_CELL)
        elif len(cell["title"]) > 300:
            row.problem(columns["title"], "is longer than 300 characters", ProblemKind.TOO_LONG)
        for name, field in _DATE_FIELDS.items():
            if name not in cell:
                continue
            text = cell[name]
            values[f"{name}_text"] = text
            read = read_date(text)
            values[field] = read.day
            if read.day is None and normalise_header(text) not in _NO_DATE:
                row.problem(
                    columns[name], f"could not read '{text}' as a date", ProblemKind.NOT_A_DATE
                )
            elif read.day is None and name == "baseline":
                row.problem(
                    columns[name], "the milestone has no baseline date", ProblemKind.MISSING_CELL
                )
            elif read.extra_words:
                row.problem(
                    columns[name],
                    f"read '{text}' as {read.day:%d %B %Y}; the rest of the cell is kept "
                    "in the original",
                    ProblemKind.DEFAULTED,
                    blocking=False,
                )
        if cell.get("status"):
            status = _STATUS.get(normalise_header(cell["status"]))
            if status is None:
                row.problem(
                    columns["status"],
                    f"could not read '{cell['status']}' as Not started, In progress, "
                    "Completed or Cancelled",
                    ProblemKind.NOT_A_CHOICE,
                )
            else:
                values["status"] = status.value
        match_key: tuple[uuid.UUID, str] | None = (
            (project_id, _words(cell["title"])) if project_id else None
        )
        if match_key is not None:
            row.repeats(seen, match_key, columns["title"], "the milestone")
        item = MilestoneRow(row, project_id, values, existing.get(match_key) if match_key else None)
        _settle_status(item)
        for error in milestone_errors(
            status=str(item.values.get("status", item.existing.status if item.existing else "")),
            actual_date=_final(item, "actual_date"),  # type: ignore[arg-type]
            today=on,
        ):
            field_key = "actual" if error["field"] == "actual_date" else "status"
            row.problem(
                columns.get(field_key, columns["title"]), error["message"], ProblemKind.INVALID
            )
        row.key = f"{cell['project']}: {cell['title']}"
        row.fields = dict(values)
        row.action = _action(item)
        rows.append(item)
    return report, rows


def _final(item: MilestoneRow, field: str) -> object:
    if field in item.values:
        return item.values[field]
    return getattr(item.existing, field) if item.existing is not None else None


def _settle_status(item: MilestoneRow) -> None:
    """As the API does: an actual date without a status completes the milestone; a new one
    without either has not started."""
    if "status" in item.values:
        return
    if item.values.get("actual_date") is not None:
        item.values["status"] = MilestoneStatus.COMPLETED.value
    elif item.existing is None:
        item.values["status"] = MilestoneStatus.NOT_STARTED.value


_STORED = ("baseline_date", "forecast_date", "actual_date", "status")


def _action(item: MilestoneRow) -> str:
    if item.existing is None:
        return "create"
    return item.report.compare(item.existing, item.values, _STORED)


def commit(session: Session, rows: list[MilestoneRow]) -> None:
    """Write every row (the caller has checked none is blocked); the request's transaction makes
    it all or nothing. Milestones are created and changed in bulk (`common.bulk`), each with its
    audit row; a change to a milestone someone changed since the file was read refuses it all."""
    org_id = session.info["org_id"]
    milestones = Writes.of(
        Milestone,
        rows,
        values=lambda item: {k: v for k, v in item.values.items() if k in _STORED},
        new=lambda item: {
            "org_id": org_id,
            "project_id": item.project_id,
            "title": item.values["title"],
        },
    )
    write_rows(session, "milestones", milestones)
