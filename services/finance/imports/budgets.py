"""Budget lines and their monthly forecasts, from the budget monitoring sheet finance teams export
from the ledger: one row per cost centre, with its name and service area, its original and
current budget for the year, and the forecast outturn in month columns ("Apr", "May", ... or
"Forecast M7", "P7", "Apr-25"). That is the shape ledgers export and monitoring packs are built
from, so it is the one this import is made for.

Two other shapes are read too: one row per line per month (a "Month" column beside "Forecast
outturn"), and this service's own budget position CSV (`GET /budget/position.csv`), whose month is
in its file name ("budget-position-2025-09.csv") or is given as `month`.

Lines are matched by cost centre (else by name), budgets by line and financial year, forecasts
by line and month, so importing the same file twice changes nothing the second time. The
financial year comes from a "Financial year" column, a year in a budget header ("Budget
2025/26"), `financial_year`, or the month of the forecasts, in that order.
"""

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.bulk import changed_row
from common.errors import FieldError, ValidationFailed
from common.headers import Column, normalise_header
from common.importing import (
    Change,
    ImportReport,
    ProblemKind,
    RowReport,
    Writes,
    read_header,
    write_rows,
)
from common.mapping import period_columns
from common.periods import MONTH_NAMES, FinancialYear, Frequency, read_month
from common.spreadsheets import Table
from services.finance.budgets.models import BudgetAmount, BudgetLine, Forecast
from services.finance.imports.rules import is_empty, words, year_in

COLUMNS = (
    Column(
        "cost_centre",
        "Cost centre",
        ("Cost center", "Cost centre code", "Code", "Budget code", "Ledger code", "CC"),
    ),
    Column(
        "name",
        "Budget line",
        ("Name", "Budget line name", "Cost centre name", "Description", "Budget name"),
        required=True,
    ),
    Column(
        "service_area",
        "Service area",
        ("Service", "Area", "Division", "Policy area"),
        groups=True,
    ),
    Column("financial_year", "Financial year", ("Year", "FY")),
    Column("original", "Original budget", ("Base budget", "Approved budget"), type="money"),
    Column(
        "current",
        "Current budget",
        (
            "Budget",
            "Revised budget",
            "Latest budget",
            "Annual budget",
            "Net budget",
            "Working budget",
        ),
        type="money",
    ),
    Column("month", "Month", ("Period", "Forecast month", "Reporting month")),
    Column(
        "forecast",
        "Forecast outturn",
        ("Forecast", "Projected outturn", "Outturn", "Forecast out turn"),
        type="money",
    ),
    Column("commentary", "Commentary", ("Comments", "Comment", "Narrative", "Notes")),
)
_FORECAST_WORDS = frozenset(["forecast", "fcst", "outturn", "projected", "fc"])
_NUMBERED = re.compile(r"(?:m|p|month|period)\s?(\d{1,2})")
_MONTH_HEADER = re.compile(r"([a-z]+)(?:\s(\d{4}|\d{2}))?")
_FILE_MONTH = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?!\d)")


@dataclass(frozen=True)
class MonthColumn:
    """A header that holds a month's forecast: "Apr", "Apr-25", "Forecast M7"."""

    position: int
    month: date | None
    number: int | None  # the month of the financial year (1 = April), when the year is not given


def month_columns(headers: list[str]) -> list[MonthColumn]:
    """The headers that name a month of forecasts.

    >>> [(c.month, c.number) for c in month_columns(["Name", "Apr", "Forecast M7", "Mar-26"])]
    [(None, 1), (None, 7), (datetime.date(2026, 3, 1), None)]
    """
    found: list[MonthColumn] = []
    for position, header in enumerate(headers):
        rest = " ".join(w for w in normalise_header(header).split() if w not in _FORECAST_WORDS)
        if match := _NUMBERED.fullmatch(rest):
            if 1 <= int(match[1]) <= 12:
                found.append(MonthColumn(position, None, int(match[1])))
        elif (match := _MONTH_HEADER.fullmatch(rest)) and match[1] in MONTH_NAMES:
            if match[2]:
                year = int(match[2]) + (2000 if len(match[2]) == 2 else 0)
                found.append(MonthColumn(position, date(year, MONTH_NAMES[match[1]], 1), None))
            else:
                found.append(MonthColumn(position, None, (MONTH_NAMES[match[1]] - 4) % 12 + 1))
    return found


@dataclass
class LinePlan:
    """A budget line the file names (in one row or, a month a row, in several)."""

    first_row: int
    values: dict[str, str]
    existing: BudgetLine | None


@dataclass
class BudgetRow:
    report: RowReport
    line: LinePlan | None = None
    year: str | None = None
    original: Decimal | None = None
    current: Decimal | None = None
    forecasts: dict[date, Decimal] = field(default_factory=dict)
    commentary: str | None = None
    budgets: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    """What the row gives for each financial year: "original_budget", "current_budget"."""


_BUDGET_WORDS = frozenset(
    [
        "budget",
        "budgets",
        "net",
        "gross",
        "current",
        "revised",
        "latest",
        "annual",
        "working",
        "original",
        "base",
        "approved",
        "fy",
        "£",
        "m",
        "k",
        "000",
        "million",
        "thousand",
        "s",
    ]
)
_ORIGINAL_WORDS = frozenset(["original", "base", "approved"])


def year_budget_columns(
    headers: list[str], mapping: Mapping[str, str] | None = None
) -> dict[int, tuple[FinancialYear, str]]:
    """The headings of a budget book's year columns ("2024/25", "Budget 2026/27 £m", "Original
    budget 25/26"), when there are two or more or the person mapped them so: position → (year,
    "original" or "current").

    >>> year_budget_columns(["Service", "Budget 2024/25 £m", "Budget 2025/26 £m", "Variance"])
    {1: (FinancialYear(start_year=2024), 'current'), 2: (FinancialYear(start_year=2025), 'current')}
    """
    found = period_columns(
        headers,
        mapping or {},
        fits=lambda rest: rest <= _BUDGET_WORDS,
        frequencies=(Frequency.ANNUAL,),
    )
    years = {
        c.position: (c.period.year, "original" if c.words & _ORIGINAL_WORDS else "current")
        for c in found
    }
    chosen = any(c.chosen for c in found)
    return years if chosen or len({y for y, _ in years.values()}) > 1 else {}


def _file_month(month: date | None, filename: str) -> date | None:
    if month is not None:
        return month
    if match := _FILE_MONTH.search(filename):
        return read_month(f"{match[1]}-{match[2]}")
    return None


def _refuse(key: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[FieldError(key, message)])


def plan(
    session: Session,
    table: Table,
    filename: str,
    *,
    month: date | None = None,
    financial_year: str | None = None,
) -> tuple[ImportReport, list[BudgetRow]]:
    """What importing `table` would do: each row's action against the lines there already."""
    months = month_columns(table.headers)
    years = year_budget_columns(table.headers, table.mapping)
    by_position = {c.position for c in months} | set(years)
    match = read_header(table, COLUMNS, "a budget line", taken=by_position)
    columns = dict(match.headers)
    for column in months:
        columns[f"forecast {column.position}"] = table.headers[column.position]
    for position, (year_column, kind) in years.items():
        columns[f"{kind} budget {year_column}"] = table.headers[position]
    header_year = next(
        (
            year_in(table.headers[match.positions[k]])
            for k in ("current", "original")
            if k in match.positions
        ),
        None,
    )
    single_month = None
    if "forecast" in match.positions and "month" not in match.positions:
        single_month = _file_month(month, filename)
        if single_month is None:
            raise _refuse(
                "month",
                "Say which month the forecasts are for: a 'Month' column, or the month "
                '(e.g. "2025-09") beside the file.',
            )
    file_year = (
        header_year
        or (FinancialYear.parse(financial_year) if financial_year else None)
        or (FinancialYear.containing(single_month) if single_month else None)
    )
    explicit = {FinancialYear.containing(c.month) for c in months if c.month is not None}
    if file_year is None and len(explicit) == 1:
        file_year = next(iter(explicit))
    needs_year = bool({"current", "original"} & set(match.positions)) or any(
        c.month is None for c in months
    )
    if file_year is None and needs_year and "financial_year" not in match.positions:
        raise _refuse(
            "financial_year",
            "Say which financial year the budgets are for: a 'Financial year' column, the "
            'year in the budget header ("Budget 2025/26"), or the year (e.g. "2025/26") '
            "beside the file.",
        )
    report = ImportReport.of("budget-lines", filename, match, columns)
    columns = report.columns
    lines = list(session.scalars(select(BudgetLine)))
    by_code = {line.cost_centre.lower(): line for line in lines if line.cost_centre}
    by_name: dict[str, BudgetLine] = {}
    for line in lines:
        by_name.setdefault(words(line.name), line)
    planned: dict[str, LinePlan] = {}
    seen_amounts: dict[tuple[str, str], BudgetRow] = {}
    seen_forecasts: dict[tuple[str, date], int] = {}
    rows: list[BudgetRow] = []
    for row, cell, cells in report.each_row(table, match):
        number = row.row
        item = BudgetRow(row)
        rows.append(item)
        values: dict[str, str] = {
            k: cell[k] for k in ("name", "service_area", "cost_centre") if k in cell
        }
        row.key = values.get("cost_centre") or values["name"]
        if not values["name"]:
            row.problem(columns["name"], "the budget line has no name", ProblemKind.MISSING_CELL)
        if len(values.get("cost_centre", "")) > 40:
            row.problem(
                columns["cost_centre"], "is longer than 40 characters", ProblemKind.TOO_LONG
            )
        key = (
            f"code {values['cost_centre'].lower()}"
            if values.get("cost_centre")
            else f"name {words(values['name'])}"
        )
        line_plan = planned.get(key)
        if line_plan is None:
            existing = (
                by_code.get(values["cost_centre"].lower())
                if values.get("cost_centre")
                else by_name.get(words(values["name"]))
            )
            line_plan = planned[key] = LinePlan(number, values, existing)
        else:
            for k, v in values.items():
                if line_plan.values.get(k) != v:
                    row.problem(
                        columns[k],
                        f"differs from row {line_plan.first_row} for the same line",
                        ProblemKind.INCONSISTENT,
                    )
        item.line = line_plan

        year = file_year
        if cell.get("financial_year"):
            try:
                year = FinancialYear.parse(cell["financial_year"])
            except ValueError as error:
                row.problem(columns["financial_year"], str(error), ProblemKind.NOT_A_DATE)
        item.year = year.label if year else None
        for k in ("original", "current"):
            if k not in cell or is_empty(cell[k]):
                continue
            setattr(item, k, row.money(columns[k], cell[k]))
        if (item.original is not None or item.current is not None) and item.year:
            stated = {"original_budget": item.original, "current_budget": item.current}
            item.budgets[item.year] = {k: v for k, v in stated.items() if v is not None}
        for position, (year_column, kind) in years.items():
            heading = table.headers[position]
            if is_empty(cells[position]):
                continue
            amount = row.money(heading, cells[position])
            if amount is None:
                continue
            item.budgets.setdefault(year_column.label, {})[f"{kind}_budget"] = amount
        for budget_year, amounts in item.budgets.items():
            first = seen_amounts.setdefault((key, budget_year), item)
            if first.budgets.get(budget_year) != amounts:
                row.problem(
                    columns.get("current", columns.get("original", "")),
                    f"gives another budget for {budget_year} than row {first.report.row}",
                    ProblemKind.INCONSISTENT,
                )

        wanted: list[tuple[str, date | None, str]] = []
        if "forecast" in cell:
            when = single_month
            if "month" in cell:
                when = read_month(cell["month"])
                if when is None and cell["month"]:
                    row.problem(
                        columns["month"],
                        f"could not read '{cell['month']}' as a month",
                        ProblemKind.NOT_A_DATE,
                    )
            wanted.append((columns["forecast"], when, cell["forecast"]))
        for column in months:
            when = column.month
            if when is None and year is not None and column.number is not None:
                when = year.months()[column.number - 1]
            wanted.append((table.headers[column.position], when, cells[column.position]))
        for header, when, text in wanted:
            if is_empty(text) or when is None:
                continue
            if item.year and FinancialYear.containing(when).label != item.year:
                row.problem(
                    header,
                    f"{when:%B %Y} is not in financial year {item.year}",
                    ProblemKind.INCONSISTENT,
                )
                continue
            outturn = row.money(header, text)
            if outturn is None:
                continue
            item.forecasts[when] = outturn
            row.repeats(seen_forecasts, (key, when), header, f"the {when:%B %Y} forecast")
        if "commentary" in cell and item.forecasts:
            item.commentary = cell["commentary"]
        if item.year is None and (item.original is not None or item.current is not None):
            row.problem(
                columns.get("financial_year", "financial_year"),
                "names no financial year",
                ProblemKind.MISSING_CELL,
            )
        row.fields = {
            **values,
            "financial_year": item.year,
            "original_budget": item.original,
            "current_budget": item.current,
            "forecasts": {f"{m:%Y-%m}": v for m, v in sorted(item.forecasts.items())},
        }
        if years:
            row.fields["budgets"] = dict(sorted(item.budgets.items()))
        if item.commentary is not None:
            row.fields["commentary"] = item.commentary
        row.action = _action(item)
    return report, rows


def _amount(line: BudgetLine, year: str) -> BudgetAmount | None:
    return next((a for a in line.amounts if a.financial_year == year), None)


def _forecast(line: BudgetLine, month: date) -> Forecast | None:
    return next((f for f in line.forecasts if f.month == month), None)


def _amount_values(given: dict[str, Decimal], current: BudgetAmount | None) -> dict[str, Decimal]:
    """The budget to store: a lone current budget is also the original of a new year, and a
    lone original budget also the current one (as the API does); otherwise only what is given."""
    values = dict(given)
    if current is None:
        values.setdefault("original_budget", values.get("current_budget", Decimal(0)))
        values.setdefault("current_budget", values["original_budget"])
    return values


def _action(item: BudgetRow) -> str:
    assert item.line is not None
    line = item.line.existing
    if line is None:
        return "create"
    changed: list[str] = []
    for year, given in item.budgets.items():
        amount = _amount(line, year)
        wanted = _amount_values(given, amount)
        if amount is None or any(getattr(amount, k) != v for k, v in wanted.items()):
            changed.append(f"budget {year}")
    latest = max(item.forecasts, default=None)
    for month, value in item.forecasts.items():
        forecast = _forecast(line, month)
        if (
            forecast is None
            or forecast.forecast_outturn != value
            or (
                month == latest
                and item.commentary is not None
                and forecast.commentary != item.commentary
            )
        ):
            changed.append(f"forecast {month:%Y-%m}")
    return item.report.compare(line, item.line.values, more=changed)


_AMOUNT_FIELDS = ("original_budget", "current_budget")
_FORECAST_FIELDS = ("forecast_outturn", "commentary")


def commit(session: Session, rows: list[BudgetRow]) -> None:
    """Write every row (the caller has checked none is blocked); the request's transaction makes
    it all or nothing. Lines, budgets and forecasts are created and changed in bulk
    (`common.bulk`), each with its audit row; a line whose budget changes gets a new version (its
    ETag), as the API gives it, and a line or forecast someone changed since the file was read
    refuses it all."""
    org_id = session.info["org_id"]
    line_keys = sorted({k for r in rows if r.line and r.line.existing for k in r.line.values})
    new_ids: dict[int, uuid.UUID] = {}  # a new line's id, by its plan
    new_lines: list[dict[str, Any]] = []
    changed_lines: dict[uuid.UUID, LinePlan] = {}
    new_amounts: dict[tuple[uuid.UUID, str], dict[str, Any]] = {}
    amount_changes: dict[uuid.UUID, Change] = {}
    new_forecasts: list[dict[str, Any]] = []
    forecast_changes: list[Change] = []
    for item in rows:
        if item.report.action == "unchanged" or item.line is None:
            continue
        plan_ = item.line
        line = plan_.existing
        if line is None:
            if id(plan_) not in new_ids:
                new_ids[id(plan_)] = uuid.uuid4()
                new_lines.append({"id": new_ids[id(plan_)], "org_id": org_id} | plan_.values)
            line_id = new_ids[id(plan_)]
        else:
            line_id = line.id
            if any(getattr(line, k) != v for k, v in plan_.values.items()):
                changed_lines[line_id] = plan_
        for year, given in item.budgets.items():
            amount = _amount(line, year) if line is not None else None
            values = _amount_values(given, amount)
            if amount is None:
                new_amounts.setdefault(
                    (line_id, year),
                    {"org_id": org_id, "budget_line_id": line_id, "financial_year": year} | values,
                )
            elif any(getattr(amount, k) != v for k, v in values.items()):
                amount_changes[amount.id] = changed_row(amount, values, _AMOUNT_FIELDS)
            if line is not None and (amount is None or amount.id in amount_changes):
                changed_lines[line_id] = plan_  # a new version for the ETag, as the API does
        latest = max(item.forecasts, default=None)
        for month, outturn in item.forecasts.items():
            commentary = item.commentary if month == latest else None
            forecast = _forecast(line, month) if line is not None else None
            if forecast is None:
                new_forecasts.append(
                    {
                        "org_id": org_id,
                        "budget_line_id": line_id,
                        "month": month,
                        "financial_year": FinancialYear.containing(month).label,
                        "forecast_outturn": outturn,
                        "commentary": commentary or "",
                    }
                )
                continue
            wanted: dict[str, Any] = {"forecast_outturn": outturn}
            if commentary is not None:
                wanted["commentary"] = commentary
            if any(getattr(forecast, k) != v for k, v in wanted.items()):
                forecast_changes.append(changed_row(forecast, wanted, _FORECAST_FIELDS))
    line_changes = [
        changed_row(plan_.existing, plan_.values, line_keys)
        for plan_ in changed_lines.values()
        if plan_.existing is not None
    ]
    write_rows(
        session,
        "budget lines or forecasts",
        Writes(BudgetLine, new_lines, line_changes),
        Writes(BudgetAmount, list(new_amounts.values()), list(amount_changes.values())),
        Writes(Forecast, new_forecasts, forecast_changes),
    )
