"""Monthly savings returns: one row per savings line per month, with the saving achieved to date,
the forecast for the year and the commentary. Returns are matched by line reference and month,
so importing the same file twice changes nothing the second time. The API's rules hold: the
month must lie in the financial year named, achieved may not pass the forecast, and a service
lead may record returns only for their own team's lines.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.errors import FieldError, ValidationFailed
from common.headers import Column
from common.identity import Caller
from common.importing import ImportReport, ProblemKind, RowReport, Writes, read_header, write_rows
from common.periods import FinancialYear, Period, read_month
from common.spreadsheets import Table
from services.finance.deps import refusal_to_change
from services.finance.savings.models import SavingsEntry, SavingsLine
from services.finance.savings.service import check_entry

COLUMNS = (
    Column(
        "reference",
        "Reference",
        ("Savings line", "Saving reference", "Line reference", "Ref", "Saving"),
        required=True,
    ),
    Column("month", "Month", ("Period", "Reporting month", "Return month")),
    Column("financial_year", "Financial year", ("Year", "FY")),
    Column(
        "achieved_to_date",
        "Achieved to date",
        ("Achieved", "Delivered to date", "Saving achieved", "Achieved so far"),
        required=True,
        type="money",
    ),
    Column(
        "forecast_for_year",
        "Forecast for year",
        ("Forecast", "Forecast saving", "Full year forecast", "Forecast outturn", "Forecast £"),
        required=True,
        type="money",
    ),
    Column("note", "Commentary", ("Comments", "Comment", "Note", "Notes", "Narrative")),
)


@dataclass
class EntryRow:
    report: RowReport
    line: SavingsLine | None = None
    month: date | None = None
    values: dict[str, object] | None = None
    existing: SavingsEntry | None = None


NO_MONTH = (
    "Say which month the returns are for: a 'Month' column, or one month for the whole file "
    '(e.g. "2025-09").'
)


def plan(
    session: Session,
    table: Table,
    filename: str,
    *,
    caller: Caller,
    period: Period | None = None,
) -> tuple[ImportReport, list[EntryRow]]:
    """What importing `table` would do: each return's action against the returns there already;
    a file with no month column is of the one month `period` (a monthly period)."""
    match = read_header(table, COLUMNS, "a savings return")
    if "month" not in match.positions and period is None:
        raise ValidationFailed(NO_MONTH, errors=[FieldError("period", NO_MONTH)])
    columns = dict(match.headers)
    report = ImportReport.of("savings-entries", filename, match)
    if "month" not in match.positions and period is not None:
        report.given["period"] = period.code
        columns["month"] = "period"
    lines = {line.reference.lower(): line for line in session.scalars(select(SavingsLine))}
    seen: dict[tuple[str, date], int] = {}
    rows: list[EntryRow] = []
    for row, cell, _ in report.each_row(table, match):
        if period is not None:
            cell.setdefault("month", period.code)
        item = EntryRow(row)
        rows.append(item)
        row.key = f"{cell['reference']} {cell['month']}"
        item.line = lines.get(cell["reference"].strip().lower())
        if item.line is None:
            row.problem(
                columns["reference"],
                f"there is no savings line '{cell['reference']}'",
                ProblemKind.UNKNOWN_REFERENCE,
            )
        item.month = read_month(cell["month"])
        if item.month is None:
            row.problem(
                columns["month"],
                f"could not read '{cell['month']}' as a month",
                ProblemKind.NOT_A_DATE,
            )
        elif cell.get("financial_year"):
            try:
                year = FinancialYear.parse(cell["financial_year"])
            except ValueError as error:
                row.problem(columns["financial_year"], str(error), ProblemKind.NOT_A_DATE)
            else:
                if not year.contains(item.month):
                    row.problem(
                        columns["month"],
                        f"{item.month:%B %Y} is not in financial year {year.label}",
                        ProblemKind.INCONSISTENT,
                    )
        values: dict[str, object] = {}
        for key in ("achieved_to_date", "forecast_for_year"):
            if (amount := row.money(columns[key], cell[key])) is not None:
                values[key] = amount
        if "note" in cell:
            values["note"] = cell["note"]
        item.values = values
        if "achieved_to_date" in values and "forecast_for_year" in values:
            try:
                check_entry(
                    Decimal(str(values["achieved_to_date"])),
                    Decimal(str(values["forecast_for_year"])),
                )
            except ValidationFailed as invalid:
                row.problem(columns["achieved_to_date"], invalid.detail, ProblemKind.INVALID)
        if item.line is not None and item.month is not None:
            entry_key = (item.line.reference.lower(), item.month)
            row.repeats(seen, entry_key, columns["month"], "the return")
            item.existing = next((e for e in item.line.entries if e.month == item.month), None)
        row.fields = {
            "reference": cell["reference"],
            "month": f"{item.month:%Y-%m}" if item.month else None,
            **values,
        }
        row.action = _action(item)
        refusal = (
            refusal_to_change(caller, item.line.owner_team)
            if row.action != "unchanged" and item.line is not None
            else None
        )
        if refusal:
            row.problem(columns["reference"], refusal, ProblemKind.NOT_ALLOWED)
    return report, rows


def _action(item: EntryRow) -> str:
    if item.existing is None:
        return "create"
    return item.report.compare(item.existing, item.values or {})


def commit(session: Session, rows: list[EntryRow]) -> None:
    """Write every row (the caller has checked none is blocked); the request's transaction makes
    it all or nothing. Returns are created and changed in bulk (`common.bulk`), each with its
    audit row; a change to a return someone changed since the file was read refuses it all."""
    org_id = session.info["org_id"]

    def new(item: EntryRow) -> dict[str, Any]:
        # A row without its line or month is blocked, so it is never written.
        assert item.line is not None
        assert item.month is not None
        return {
            "org_id": org_id,
            "savings_line_id": item.line.id,
            "month": item.month,
            "financial_year": FinancialYear.containing(item.month).label,
        }

    returns = Writes.of(SavingsEntry, rows, values=lambda item: item.values or {}, new=new)
    write_rows(session, "savings returns", returns)
