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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.bulk import changed_row
from common.headers import Column, normalise_header
from common.identity import Caller
from common.importing import ImportReport, ProblemKind, RowReport, Writes, read_header, write_rows
from common.mapping import period_columns
from common.periods import FinancialYear, Frequency
from common.spreadsheets import Table
from services.finance.deps import refusal_to_change
from services.finance.imports.rules import is_empty, words, year_in
from services.finance.savings.models import SavingsEntry, SavingsLine, SavingsTarget
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
    ),
    Column(
        "title",
        "Title",
        (
            "Saving",
            "Savings proposal",
            "Proposal",
            "Saving title",
            "Name",
            "Savings line",
            "Savings area",
            "Activity",
            "Scheme",
        ),
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


def reference_of(title: str) -> str:
    """A reference for a saving the table gives none: its title's words, so the same title
    finds the same line when the file comes again.

    >>> reference_of("Reablement: review of home care packages (older people)")
    'REABLEMENT-REVIEW-OF-HOME-CARE-PACKAGES'
    """
    reference = "-".join(re.findall(r"[A-Z0-9]+", title.upper()))
    return reference[:40].rsplit("-", 1)[0] if len(reference) > 40 else reference


def year_end(year: str) -> date:
    """The month a year's achieved savings are kept in: its last, March.

    >>> year_end("2023/24")
    datetime.date(2024, 3, 1)
    """
    return FinancialYear.parse(year).months()[-1]


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
    achieved: dict[int, str] = field(default_factory=dict)
    """Savings achieved (delivered) in a year: "Savings delivered", "Achieved 2023/24"."""


_ACHIEVED = frozenset(["achieved", "delivered", "actual", "outturn"])
_TARGET = frozenset(["target", "targets", "saving", "savings"])


def _year_kind(words: frozenset[str], achieved_table: bool) -> str | None:
    """What a year column of a savings table holds, from its heading's other words."""
    if words & _ACHIEVED and "target" not in words:
        return "achieved"
    if "fye" in words or {"full", "year"} <= words:
        return "full_year"
    if not words:  # "2025/26" alone: a target, or an achievement in an achieved table
        return "achieved" if achieved_table else "in_year"
    if words & _TARGET or {"in", "year"} <= words:
        return "in_year"
    return None


def target_columns(
    headers: list[str], title: str = "", mapping: Mapping[str, str] | None = None
) -> TargetColumns:
    """ "Target 2025/26", "Saving 25/26", "Savings 2025/26 £k" (in year); "Full-year effect
    2025/26", "FYE 25/26"; "Achieved 2024/25"; a year alone ("2026/27") is a target, or an
    achievement when the title says the table is of savings achieved; and a "Full-year effect"
    without a year belongs to the one target year beside it.

    >>> target_columns(["Target 2025/26", "Full-year effect"])
    TargetColumns(in_year={0: '2025/26'}, full_year={1: '2025/26'}, achieved={})

    An achieved column without a year is of the year the table's title names:

    >>> target_columns(["Savings area", "Savings delivered"], "Savings achieved, 2023/24").achieved
    {1: '2023/24'}
    >>> target_columns(["Area", "2023/24", "2024/25"], "Savings delivered by year").achieved
    {1: '2023/24', 2: '2024/25'}
    """
    found: dict[str, dict[int, str]] = {"in_year": {}, "full_year": {}, "achieved": {}}
    achieved_table = bool(_ACHIEVED & set(normalise_header(title).split()))
    for column in period_columns(
        headers,
        mapping or {},
        fits=lambda words: _year_kind(words, achieved_table) is not None,
        frequencies=(Frequency.ANNUAL,),
    ):
        kind = _year_kind(column.words, achieved_table) or "in_year"
        found[kind][column.position] = column.period.year.label
    title_year = year_in(title)
    taken = {p for positions in found.values() for p in positions}
    plain_full_year: list[int] = []
    for position, header in enumerate(headers):
        if position in taken or (mapping and header in mapping):
            continue
        plain = normalise_header(header)
        if _ACHIEVED & set(plain.split()) and "target" not in plain and title_year:
            found["achieved"][position] = title_year.label
        elif "full year" in plain or "fye" in plain.split():
            plain_full_year.append(position)
    if len(set(found["in_year"].values())) == 1:
        for position in plain_full_year:
            found["full_year"][position] = next(iter(found["in_year"].values()))
    return TargetColumns(found["in_year"], found["full_year"], found["achieved"])


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
    achieved: dict[str, Decimal] = field(default_factory=dict)
    """Savings achieved in a year, kept as the return for its last month (March)."""
    project_ids: list[uuid.UUID] | None = None
    existing: SavingsLine | None = None


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
    years = target_columns(table.headers, table.title, table.mapping)
    taken = set(years.in_year) | set(years.full_year) | set(years.achieved)
    match = read_header(table, COLUMNS, "a savings line", taken=taken)
    more = {"reference": match.headers["title"]} | match.headers  # made from the title if not given
    for position, year in years.in_year.items():
        more[f"target {year}"] = table.headers[position]
    for position, year in years.full_year.items():
        more[f"full-year effect {year}"] = table.headers[position]
    for position, year in years.achieved.items():
        more[f"achieved {year}"] = table.headers[position]
    report = ImportReport.of("savings", filename, match, more)
    columns = report.columns
    existing = {line.reference.lower(): line for line in session.scalars(select(SavingsLine))}
    names: ProjectNames | None = None
    if "projects" in match.positions and any(r[match.positions["projects"]] for r in table.rows):
        names = ProjectNames(projects())
    seen: dict[str, int] = {}
    rows: list[SavingsRow] = []
    for row, cell, cells in report.each_row(table, match):
        item = SavingsRow(row, {})
        rows.append(item)
        cell["reference"] = cell.get("reference") or reference_of(cell["title"])
        row.key = cell["reference"]
        item.existing = existing.get(cell["reference"].lower())
        _read_row(item, cell, cells, years, columns, names)
        key = cell["reference"].lower()
        if key:
            row.repeats(seen, key, columns["reference"], "the savings line")
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
                    row.problem(owner_column, refusal, ProblemKind.NOT_ALLOWED)
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
                row.problem(
                    columns[key],
                    f"is longer than {_LIMITS.get(key, 4000)} characters",
                    ProblemKind.TOO_LONG,
                )
    if not cell["reference"]:
        row.problem(
            columns["reference"], "the savings line has no reference", ProblemKind.MISSING_CELL
        )
    if not cell["title"]:
        row.problem(columns["title"], "the savings line has no title", ProblemKind.MISSING_CELL)
    for key in _ENUMS:
        text = cell.get(key, "")
        if not text:
            if item.existing is None:
                values[key] = _DEFAULTS.get(key, Category.OTHER.value)
                if key == "category":
                    row.problem(
                        columns.get(key, columns["reference"]),
                        "no category: filed under Other",
                        ProblemKind.DEFAULTED,
                        blocking=False,
                    )
            continue
        choice = read_choice(key, text)
        if choice is None:
            options = ", ".join(e.value.replace("_", " ") for e in _ENUMS[key])
            row.problem(
                columns[key],
                f"could not read '{text}' as one of: {options}",
                ProblemKind.NOT_A_CHOICE,
            )
        else:
            values[key] = choice
    reason = values.get(
        "written_off_reason", item.existing.written_off_reason if item.existing else ""
    )
    status = values.get("status", item.existing.status if item.existing else "")
    if status == Status.WRITTEN_OFF and not str(reason or "").strip():
        row.problem(
            columns.get("status", columns["reference"]),
            "Say why the saving is being written off",
            ProblemKind.MISSING_CELL,
        )
    for kind, found in (("in_year", years.in_year), ("full_year_effect", years.full_year)):
        for position, year in found.items():
            text = cells[position]
            heading = columns[f"{'target' if kind == 'in_year' else 'full-year effect'} {year}"]
            if is_empty(text):
                continue
            if (amount := row.money(heading, text)) is not None:
                item.targets.setdefault(year, {})[kind] = amount
    for year, target in item.targets.items():
        if "in_year" not in target:
            current = (
                next((t for t in item.existing.targets if t.financial_year == year), None)
                if item.existing
                else None
            )
            if current is None:
                row.problem(
                    columns[f"full-year effect {year}"],
                    f"has no target for {year} beside it",
                    ProblemKind.MISSING_CELL,
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
    for position, year in years.achieved.items():
        heading = columns[f"achieved {year}"]
        if is_empty(cells[position]):
            continue
        if (amount := row.money(heading, cells[position])) is not None:
            item.achieved[year] = amount
    if item.achieved:
        values["achieved"] = dict(item.achieved)
    if names is not None and "projects" in cell:
        ids, made, not_made = names.read(cell["projects"])
        item.project_ids = ids
        row.links = made
        for part in not_made:
            row.problem(
                columns["projects"],
                f"the projects service knows no project '{part}'",
                ProblemKind.UNKNOWN_REFERENCE,
            )
        if len(ids) > 20:
            row.problem(columns["projects"], "links more than 20 projects", ProblemKind.INVALID)
    elif "projects" in cell:
        item.project_ids = []


def _action(item: SavingsRow) -> str:
    line = item.existing
    if line is None:
        return "create"
    changed: list[str] = []
    if item.project_ids is not None and list(line.project_ids or []) != item.project_ids:
        changed.append("project_ids")
    have = {t.financial_year: t for t in line.targets}
    for year, target in item.targets.items():
        current = have.get(year)
        if current is None or any(getattr(current, k) != v for k, v in target.items()):
            changed.append(f"target {year}")
    returns = {e.month: e for e in line.entries}
    for year, amount in item.achieved.items():
        entry = returns.get(year_end(year))
        if entry is None or (entry.achieved_to_date, entry.forecast_for_year) != (amount, amount):
            changed.append(f"achieved {year}")
    return item.report.compare(line, item.values, _FIELDS, more=changed)


def commit(session: Session, rows: list[SavingsRow]) -> None:
    """Write every row (the caller has checked none is blocked); the request's transaction makes
    it all or nothing. Lines and targets are created and changed in bulk (`common.bulk`), each
    with its audit row; a line whose targets change gets a new version (its ETag), as the API
    gives it, and a line someone changed since the file was read refuses it all."""
    org_id = session.info["org_id"]
    writing = [r for r in rows if r.report.action != "unchanged"]
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
    new_entries: list[dict[str, Any]] = []
    entry_changes: list[tuple[dict[str, Any], dict[str, Any]]] = []
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
        returns = {e.month: e for e in line.entries} if line is not None else {}
        for year, amount in item.achieved.items():
            entry = returns.get(year_end(year))
            achieved = {"achieved_to_date": amount, "forecast_for_year": amount}
            if entry is None:
                new_entries.append(
                    {
                        "org_id": org_id,
                        "savings_line_id": line_id,
                        "month": year_end(year),
                        "financial_year": year,
                        "note": f"Achieved in {year}, as the imported table states.",
                    }
                    | achieved
                )
            elif (entry.achieved_to_date, entry.forecast_for_year) != (amount, amount):
                entry_changes.append(changed_row(entry, achieved, tuple(achieved)))
    write_rows(  # every changed line goes up a version, its targets' changes among them
        session,
        "savings lines or returns",
        Writes(SavingsLine, new_lines, line_changes),
        Writes(SavingsTarget, new_targets, target_changes),
        Writes(SavingsEntry, new_entries, entry_changes),
    )
