"""The savings programme table: one saving a row, with its reference, title, owner team,
category, type, recurrence, confidence, status, the projects it belongs to and its targets per
financial year ("Target 2025/26", "Full-year effect 2025/26"). This service's own savings CSV
(`GET /savings-lines/export.csv`) reads back as it was written.

Lines are matched by reference, so importing the same file twice changes nothing the second time.
Projects are named by id or by name and checked against the projects service, as the savings API
checks them. Ownership is the API's rule: a service lead may create or change only their own
team's lines (rows of other teams' lines that change nothing are fine).
"""

import difflib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.audit import record_created, record_updated
from common.bulk import changed_row, import_conflict, insert_rows, update_rows
from common.identity import Caller
from common.tables import (
    Column,
    ImportReport,
    RowReport,
    Table,
    match_headers,
    missing_columns,
    normalise_header,
    row_originals,
)
from services.finance.deps import refusal_to_change
from services.finance.imports.rules import is_empty, read_amount, words, year_in
from services.finance.savings.models import SavingsLine, SavingsTarget
from services.finance.savings.schemas import (
    Category,
    Confidence,
    Recurrence,
    SavingType,
    Status,
)

COLUMNS = (
    Column(
        "reference",
        "Reference",
        ("Ref", "Saving reference", "Savings reference", "Saving ID", "Savings ID", "ID"),
        required=True,
    ),
    Column(
        "title",
        "Title",
        ("Saving", "Savings proposal", "Proposal", "Saving title", "Name", "Savings line"),
        required=True,
    ),
    Column("description", "Description", ("Detail", "Details", "Description of saving")),
    Column(
        "projects",
        "Project",
        ("Projects", "Project ids", "Project id", "Linked project", "Linked projects"),
    ),
    Column("category", "Category", ("Savings category", "Theme", "Workstream")),
    Column("saving_type", "Type", ("Saving type", "Type of saving", "Cashable")),
    Column("recurrence", "Recurring or one-off", ("Recurrence", "Recurring", "One-off", "One off")),
    Column("delivery_confidence", "Delivery confidence", ("Confidence", "RAG", "Deliverability")),
    Column("status", "Status", ("Saving status",)),
    Column(
        "owner_team",
        "Owner",
        ("Owner team", "Owning team", "Lead team", "Team", "Service lead", "Responsible team"),
    ),
    Column("written_off_reason", "Written off reason", ("Reason written off", "Write-off reason")),
)
_TOTAL = frozenset(["total", "totals", "grand total"])
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_SAME_NAME = 0.85
_LIMITS = {"reference": 40, "title": 500, "description": 8000, "owner_team": 200}
_WORDS: dict[str, dict[str, str]] = {
    "category": {
        "reviews": "care_package_reviews",
        "care package review": "care_package_reviews",
        "commissioning": "commissioning_and_procurement",
        "procurement": "commissioning_and_procurement",
        "fees": "fees_and_market",
        "market": "fees_and_market",
        "income": "income_and_charging",
        "charging": "income_and_charging",
        "staffing": "staffing_and_structures",
        "structures": "staffing_and_structures",
        "tec": "technology_enabled_care",
        "technology": "technology_enabled_care",
        "demand": "demand_management",
        "dps": "direct_payments",
    },
    "saving_type": {
        "cash": "cashable",
        "non cash": "non_cashable",
        "noncashable": "non_cashable",
        "avoidance": "cost_avoidance",
    },
    "recurrence": {
        "one off": "one_off",
        "oneoff": "one_off",
        "non recurring": "one_off",
        "ongoing": "recurring",
        "recurrent": "recurring",
        "permanent": "recurring",
        "y": "recurring",
        "yes": "recurring",
        "n": "one_off",
        "no": "one_off",
    },
    "delivery_confidence": {
        "g": "green",
        "a": "amber",
        "r": "red",
        "high": "green",
        "medium": "amber",
        "low": "red",
    },
    "status": {
        "in progress": "in_delivery",
        "delivering": "in_delivery",
        "agreed": "approved",
        "complete": "delivered",
        "completed": "delivered",
        "achieved": "delivered",
        "written off": "written_off",
        "write off": "written_off",
        "pipeline": "proposed",
        "idea": "proposed",
    },
}
_ENUMS: dict[str, type[StrEnum]] = {
    "category": Category,
    "saving_type": SavingType,
    "recurrence": Recurrence,
    "delivery_confidence": Confidence,
    "status": Status,
}
_DEFAULTS = {
    "saving_type": SavingType.CASHABLE.value,
    "recurrence": Recurrence.RECURRING.value,
    "delivery_confidence": Confidence.AMBER.value,
    "status": Status.PROPOSED.value,
}
_FIELDS = ("reference", "title", "description", "owner_team", "written_off_reason", *_ENUMS)
_TARGET_FIELDS = ("in_year", "full_year_effect")


def read_choice(key: str, text: str) -> str | None:
    """A category, type, recurrence, confidence or status as people write it, or None.

    >>> read_choice("category", "Care package reviews"), read_choice("status", "In progress")
    ('care_package_reviews', 'in_delivery')
    """
    plain = normalise_header(text)
    value = plain.replace(" ", "_")
    if value in {e.value for e in _ENUMS[key]}:
        return value
    return _WORDS[key].get(plain)


@dataclass(frozen=True)
class TargetColumns:
    """Headers that hold a year's in-year target or full-year effect."""

    in_year: dict[int, str]
    full_year: dict[int, str]


def target_columns(headers: list[str]) -> TargetColumns:
    """ "Target 2025/26", "Saving 25/26" (in year); "Full-year effect 2025/26", "FYE 25/26"; and
    a "Full-year effect" without a year belongs to the one target year beside it.

    >>> target_columns(["Target 2025/26", "Full-year effect"])
    TargetColumns(in_year={0: '2025/26'}, full_year={1: '2025/26'})
    """
    in_year: dict[int, str] = {}
    full_year: dict[int, str] = {}
    plain_full_year: list[int] = []
    for position, header in enumerate(headers):
        plain = normalise_header(header)
        is_full_year = "full year" in plain or "fye" in plain.split()
        year = year_in(header)
        if is_full_year and year is None:
            plain_full_year.append(position)
        elif is_full_year and year is not None:
            full_year[position] = year.label
        elif year is not None and any(w in plain for w in ("target", "saving", "in year")):
            in_year[position] = year.label
    if len(set(in_year.values())) == 1:
        for position in plain_full_year:
            full_year[position] = next(iter(in_year.values()))
    return TargetColumns(in_year, full_year)


class ProjectNames:
    """Which projects a cell names, by id or by (nearly) their name."""

    def __init__(self, projects: dict[uuid.UUID, str]) -> None:
        self.names = projects
        self.by_name: dict[str, uuid.UUID] = {}
        for pid, name in projects.items():
            self.by_name.setdefault(words(name), pid)

    def read(self, cell: str) -> tuple[list[uuid.UUID], list[str], list[str]]:
        """The ids, how each was found, and what could not be found."""
        ids: list[uuid.UUID] = []
        made: list[str] = []
        not_made: list[str] = []
        found_ids = _UUID.findall(cell)
        parts = found_ids or [p for p in re.split(r"[;\n]", cell) if p.strip()]
        if not found_ids and words(cell) in self.by_name:
            parts = [cell]
        for part in parts:
            pid = self._one(part)
            if pid is None:
                not_made.append(part.strip())
            elif pid not in ids:
                ids.append(pid)
                made.append(f"project '{self.names[pid]}'")
        return ids, made, not_made

    def _one(self, part: str) -> uuid.UUID | None:
        if _UUID.fullmatch(part.strip()):
            pid = uuid.UUID(part.strip())
            return pid if pid in self.names else None
        key = words(part)
        if key in self.by_name:
            return self.by_name[key]
        scored = sorted(
            ((difflib.SequenceMatcher(None, key, n).ratio(), n) for n in self.by_name),
            reverse=True,
        )
        if (
            scored
            and scored[0][0] >= _SAME_NAME
            and (len(scored) == 1 or scored[1][0] < scored[0][0])
        ):
            return self.by_name[scored[0][1]]
        return None


@dataclass
class SavingsRow:
    report: RowReport
    values: dict[str, object]
    targets: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    project_ids: list[uuid.UUID] | None = None
    existing: SavingsLine | None = None
    total: bool = False


def plan(
    session: Session,
    table: Table,
    filename: str,
    *,
    caller: Caller,
    projects: Callable[[], dict[uuid.UUID, str]],
) -> tuple[ImportReport, list[SavingsRow]]:
    """What importing `table` would do; `projects` lists the projects service's projects (asked
    only when the file names any)."""
    years = target_columns(table.headers)
    taken = set(years.in_year) | set(years.full_year)
    match = match_headers(["" if i in taken else h for i, h in enumerate(table.headers)], COLUMNS)
    if match.missing:
        raise missing_columns(match.missing, "a savings line")
    columns = dict(match.headers)
    for position, year in years.in_year.items():
        columns[f"target {year}"] = table.headers[position]
    for position, year in years.full_year.items():
        columns[f"full-year effect {year}"] = table.headers[position]
    report = ImportReport(
        "savings",
        filename,
        columns,
        [h for h in match.unmatched if h not in columns.values()],
    )
    existing = {line.reference.lower(): line for line in session.scalars(select(SavingsLine))}
    names: ProjectNames | None = None
    if "projects" in match.positions and any(r[match.positions["projects"]] for r in table.rows):
        names = ProjectNames(projects())
    seen: dict[str, int] = {}
    rows: list[SavingsRow] = []
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        row = RowReport(row=number, original=row_originals(table.headers, cells))
        cell = {key: cells[i] for key, i in match.positions.items()}
        item = SavingsRow(row, {})
        rows.append(item)
        report.rows.append(row)
        row.key = cell["reference"]
        # "Total", and the export's totals of each type ("Total cost avoidance").
        if words(cell["reference"]) in _TOTAL or words(cell["reference"]).startswith("total "):
            item.total, row.action = True, "unchanged"
            row.problem(columns["reference"], "a totals row: left out", blocking=False)
            continue
        item.existing = existing.get(cell["reference"].lower())
        _read_row(item, cell, cells, years, columns, names)
        key = cell["reference"].lower()
        if key and key in seen:
            row.problem(columns["reference"], f"repeats the savings line of row {seen[key]}")
        seen.setdefault(key, number)
        row.fields = dict(item.values) | {f"target {y}": dict(t) for y, t in item.targets.items()}
        if item.project_ids is not None:
            row.fields["project_ids"] = [str(p) for p in item.project_ids]
        row.action = _action(item)
        if row.action != "unchanged":
            owner_column = columns.get("owner_team", columns["reference"])
            teams = [str(item.values.get("owner_team", ""))] if item.existing is None else []
            if item.existing is not None:
                teams.append(item.existing.owner_team)
                if "owner_team" in item.values:
                    teams.append(str(item.values["owner_team"]))
            for team in dict.fromkeys(teams):
                if refusal := refusal_to_change(caller, team):
                    row.problem(owner_column, refusal)
    return report, rows


def _read_row(
    item: SavingsRow,
    cell: dict[str, str],
    cells: list[str],
    years: TargetColumns,
    columns: dict[str, str],
    names: ProjectNames | None,
) -> None:
    row, values = item.report, item.values
    for key in ("reference", "title", "description", "owner_team", "written_off_reason"):
        if key in cell:
            values[key] = cell[key]
            if len(cell[key]) > _LIMITS.get(key, 4000):
                row.problem(columns[key], f"is longer than {_LIMITS.get(key, 4000)} characters")
    if not cell["reference"]:
        row.problem(columns["reference"], "the savings line has no reference")
    if not cell["title"]:
        row.problem(columns["title"], "the savings line has no title")
    for key in _ENUMS:
        text = cell.get(key, "")
        if not text:
            if item.existing is None:
                values[key] = _DEFAULTS.get(key, Category.OTHER.value)
                if key == "category":
                    row.problem(
                        columns.get(key, columns["reference"]),
                        "no category: filed under Other",
                        blocking=False,
                    )
            continue
        choice = read_choice(key, text)
        if choice is None:
            options = ", ".join(e.value.replace("_", " ") for e in _ENUMS[key])
            row.problem(columns[key], f"could not read '{text}' as one of: {options}")
        else:
            values[key] = choice
    reason = values.get(
        "written_off_reason", item.existing.written_off_reason if item.existing else ""
    )
    status = values.get("status", item.existing.status if item.existing else "")
    if status == Status.WRITTEN_OFF and not str(reason or "").strip():
        row.problem(
            columns.get("status", columns["reference"]), "Say why the saving is being written off"
        )
    for kind, found in (("in_year", years.in_year), ("full_year_effect", years.full_year)):
        for position, year in found.items():
            text = cells[position]
            if is_empty(text):
                continue
            try:
                item.targets.setdefault(year, {})[kind] = read_amount(text)
            except ValueError as error:
                row.problem(
                    columns[f"{'target' if kind == 'in_year' else 'full-year effect'} {year}"],
                    str(error),
                )
    for year, target in item.targets.items():
        if "in_year" not in target:
            current = (
                next((t for t in item.existing.targets if t.financial_year == year), None)
                if item.existing
                else None
            )
            if current is None:
                row.problem(
                    columns[f"full-year effect {year}"], f"has no target for {year} beside it"
                )
            else:
                target["in_year"] = current.in_year
        if "in_year" in target and "full_year_effect" not in target:
            kept = next(
                (
                    t
                    for t in (item.existing.targets if item.existing else [])
                    if t.financial_year == year
                ),
                None,
            )
            # As the API does for a new year; a year already kept keeps its full-year effect.
            target["full_year_effect"] = kept.full_year_effect if kept else target["in_year"]
    if names is not None and "projects" in cell:
        ids, made, not_made = names.read(cell["projects"])
        item.project_ids = ids
        row.links = made
        for part in not_made:
            row.problem(columns["projects"], f"the projects service knows no project '{part}'")
        if len(ids) > 20:
            row.problem(columns["projects"], "links more than 20 projects")
    elif "projects" in cell:
        item.project_ids = []


def _action(item: SavingsRow) -> str:
    line = item.existing
    if line is None:
        return "create"
    changed = [k for k in _FIELDS if k in item.values and getattr(line, k) != item.values[k]]
    if item.project_ids is not None and list(line.project_ids or []) != item.project_ids:
        changed.append("project_ids")
    have = {t.financial_year: t for t in line.targets}
    for year, target in item.targets.items():
        current = have.get(year)
        if current is None or any(getattr(current, k) != v for k, v in target.items()):
            changed.append(f"target {year}")
    if changed:
        item.report.fields["changes"] = changed
    return "update" if changed else "unchanged"


def commit(session: Session, rows: list[SavingsRow]) -> None:
    """Write every row (the caller has checked none is blocked); the request's transaction makes
    it all or nothing. Lines and targets are created and changed in bulk (`common.bulk`), each
    with its audit row; a line whose targets change gets a new version (its ETag), as the API
    gives it, and a line someone changed since the file was read refuses it all."""
    org_id = session.info["org_id"]
    writing = [r for r in rows if r.report.action != "unchanged" and not r.total]
    # One shape for every changed line (update_rows sets the same columns on each row): the
    # fields any row brings, each row's own value or else what the line holds already.
    updating = [r for r in writing if r.existing is not None]
    keys = sorted({k for r in updating for k in r.values if k in _FIELDS})
    if any(r.project_ids is not None for r in updating):
        keys.append("project_ids")
    new_lines: list[dict[str, Any]] = []
    new_targets: list[dict[str, Any]] = []
    line_changes: list[tuple[dict[str, Any], dict[str, Any]]] = []
    target_changes: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for item in writing:
        stored: dict[str, Any] = {k: v for k, v in item.values.items() if k in _FIELDS}
        line = item.existing
        if line is None:
            line_id = uuid.uuid4()
            new_lines.append(
                {"id": line_id, "org_id": org_id, "project_ids": item.project_ids or []} | stored
            )
            have: dict[str, SavingsTarget] = {}
        else:
            line_id = line.id
            if item.project_ids is not None:
                stored["project_ids"] = item.project_ids
            line_changes.append(changed_row(line, stored, keys))
            have = {t.financial_year: t for t in line.targets}
        for year, target in item.targets.items():
            current = have.get(year)
            if current is None:
                new_targets.append(
                    {"org_id": org_id, "savings_line_id": line_id, "financial_year": year} | target
                )
            elif any(getattr(current, k) != v for k, v in target.items()):
                target_changes.append(changed_row(current, target, _TARGET_FIELDS))
    with import_conflict("savings lines"):
        # Every changed line goes up a version, its targets' changes among them.
        update_rows(session, SavingsLine, [after for _, after in line_changes])
    update_rows(session, SavingsTarget, [after for _, after in target_changes])
    record_updated(session, SavingsLine, line_changes)
    record_updated(session, SavingsTarget, target_changes)
    record_created(session, SavingsLine, insert_rows(session, SavingsLine, new_lines))
    record_created(session, SavingsTarget, insert_rows(session, SavingsTarget, new_targets))
    if line_changes:
        session.expire_all()  # the lines read before were changed behind the session's back
