"""Published tables of councils' savings (national annexes): one saving a row, with its council,
theme or area, description, amount achieved or planned, year, status, and the page of the
source document it is on. Read through the import pipeline (`common.mapping`): units in the
headings ("Savings achieved £m") and in the cells ("£2.1 million"), section rows that name the
council or the area of the rows under them, and total rows, which are never imported but
checked against their lines; a total that disagrees is kept with the table and shown beside it.
"""

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from common.bulk import insert_rows
from common.headers import Column, match_headers
from common.identity import Caller
from common.importing import ImportReport, ProblemKind, RowReport, row_originals
from common.mapping import Shaped, reconciliation_json
from common.money import parse_money
from common.quantities import header_unit
from services.finance.imports.rules import is_empty, year_in
from services.finance.library.models import PublishedSaving, PublishedTable
from services.finance.library.rules import read_theme, theme_of

COLUMNS = (
    Column(
        "council",
        "Council",
        ("Local authority", "Authority", "LA", "Council name", "Local authority name"),
        required=True,
        groups=True,
    ),
    Column("area_code", "Area code", ("ONS code", "LA code", "Code", "GSS code")),
    Column(
        "area",
        "Area",
        ("Theme", "Savings area", "Area of saving", "Category", "Service area"),
        groups=True,
    ),
    Column("description", "Description", ("Saving", "Scheme", "Detail", "Description of saving")),
    Column(
        "achieved",
        "Amount achieved",
        ("Achieved", "Savings achieved", "Savings delivered", "Delivered", "Actual"),
        type="money",
    ),
    Column(
        "planned",
        "Amount planned",
        ("Planned", "Savings planned", "Planned savings", "Target", "Savings target"),
        type="money",
    ),
    Column("financial_year", "Year", ("Financial year", "Period")),
    Column("status", "Status", ("Outcome", "Progress", "Rating")),
    Column("source_document", "Source document", ("Source", "Document")),
    Column("page", "Page", ("Page number", "Page no")),
    Column(
        "adult_population",
        "Adult population",
        ("Population 18+", "Adult population 18+", "Population aged 18 and over"),
        type="quantity",
    ),
)


@dataclass
class PublishedRow:
    report: RowReport
    values: dict[str, object] = field(default_factory=dict)


def plan(
    shaped: Shaped,
    filename: str,
    *,
    source_document: str,
    financial_year: str | None,
) -> tuple[ImportReport, list[PublishedRow]]:
    """What importing the published table would keep, row by row; `source_document` and
    `financial_year` stand for a column the table does not have."""
    table = shaped.table
    match = match_headers(table.headers, COLUMNS, table.mapping)
    report = ImportReport("published-savings", filename, dict(match.headers), match.unmatched)
    title_year = year_in(table.title)
    default_year = financial_year or (title_year.label if title_year else None)
    planned: list[PublishedRow] = []
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        row = RowReport(number, row_originals(table.headers, cells))
        cell = {key: cells[position].strip() for key, position in match.positions.items()}
        values = _row_values(row, cell, match.headers, default_year, source_document)
        report.rows.append(row)
        planned.append(PublishedRow(row, values))
    if not any(key in match.positions for key in ("area", "description")):
        for item in planned:
            item.report.problem(
                "description",
                "The table needs an area or a description column.",
                ProblemKind.MISSING_CELL,
            )
    if not any(key in match.positions for key in ("achieved", "planned")):
        for item in planned:
            item.report.problem(
                "achieved",
                "The table needs an amount achieved or planned.",
                ProblemKind.MISSING_CELL,
            )
    return report, planned


def _row_values(
    row: RowReport,
    cell: dict[str, str],
    headings: dict[str, str],
    default_year: str | None,
    source_document: str,
) -> dict[str, object]:
    values: dict[str, object] = {"row": row.row}
    values["council"] = cell.get("council", "")
    if not values["council"]:
        row.problem("council", "Say which council this saving is of.", ProblemKind.MISSING_CELL)
    values["area_code"] = cell.get("area_code", "")[:20]
    area, description = cell.get("area", ""), cell.get("description", "")
    values["area"] = area
    values["description"] = description or area
    if not values["description"]:
        row.problem(
            "description", "Give the saving's area or description.", ProblemKind.MISSING_CELL
        )
    values["theme"] = (read_theme(area) or theme_of(area, description)).value
    for key in ("achieved", "planned"):
        text = cell.get(key, "")
        values[key] = None
        if is_empty(text):
            continue
        try:
            values[key] = parse_money(text, header_unit(headings[key]))
        except ValueError as error:
            row.problem(key, str(error), ProblemKind.NOT_A_NUMBER)
    if values["achieved"] is None and values["planned"] is None and not row.problems:
        row.problem(
            "achieved",
            "Give the amount achieved or the amount planned.",
            ProblemKind.MISSING_CELL,
        )
    year = year_in(cell.get("financial_year", "")) if cell.get("financial_year") else None
    values["financial_year"] = year.label if year else default_year
    if values["financial_year"] is None:
        row.problem(
            "financial_year",
            f'"{cell.get("financial_year", "")}" is not a financial year such as 2023/24; give '
            "the table's year if it has no such column.",
            ProblemKind.NOT_A_DATE,
        )
    values["status"] = cell.get("status", "")[:80]
    values["source_document"] = cell.get("source_document") or source_document
    if not values["source_document"]:
        row.problem(
            "source_document",
            "Name the document this table was published in.",
            ProblemKind.MISSING_CELL,
        )
    values["page"] = cell.get("page", "")[:20]
    values["adult_population"] = _population(row, cell.get("adult_population", ""))
    row.key = f"{values['council']}: {values['description']}"
    row.fields = {k: v for k, v in values.items() if k != "row"}
    return values


def _population(row: RowReport, text: str) -> int | None:
    if is_empty(text):
        return None
    try:
        value = parse_money(text)
    except ValueError as error:
        row.problem("adult_population", str(error), ProblemKind.NOT_A_NUMBER)
        return None
    if value <= 0 or value != value.to_integral_value():
        row.problem(
            "adult_population", f'"{text}" is not a number of people.', ProblemKind.NOT_A_NUMBER
        )
        return None
    return int(value)


def commit(
    session: Session,
    planned: list[PublishedRow],
    *,
    shaped: Shaped,
    filename: str,
    source_document: str,
    caller: Caller,
) -> PublishedTable:
    """Keep the table with its source and its reconciliation flags, and every line of it."""
    table = PublishedTable(
        source_document=source_document or _first_source(planned),
        filename=filename,
        sheet=shaped.table.sheet,
        imported_by=caller.display_name or caller.user_id,
        reconciliations=[reconciliation_json(r, shaped.table) for r in shaped.reconciliations],
    )
    session.add(table)
    session.flush()
    insert_rows(
        session,
        PublishedSaving,
        [{**item.values, "table_id": table.id} for item in planned],
    )
    return table


def _first_source(planned: list[PublishedRow]) -> str:
    return next((str(p.values["source_document"]) for p in planned), "")
