"""Every tracker table as CSV and Excel: the rows the page shows, with its filters and sort.

A tracker describes its table once, as a list of `Column`s. The page draws its header row from
the columns it shows (`header_cells`), and a download writes every column's exact value (money
and percentages as numbers, dates as dates, RAG as its word), so the page and the file cannot
drift apart.

The convention: a tracker's own address with `format=csv` or `format=xlsx` added to its query
(`/kpis?period=2025-09&rag=Red&format=csv`). The filters already live in that query, so the
download runs the same view with the same filters and sort and only the last step differs; the
link is the page's address plus one parameter, and needs no route of its own.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from operator import attrgetter
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi.responses import Response

from common.writing import Cell, write_csv, write_xlsx
from web.rendering import sort_links

Row = Any
ExportFormat = Literal["csv", "xlsx"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
RAG_WORDS = {
    "green": "On track",
    "amber": "At risk",
    "red": "Off track",
    "not_set": "Not set",
    "no_data": "No data",
    "no_target": "No target",
}
"""RAG as the page's tags say it (`macros/govuk.html` rag_tag)."""


@dataclass(frozen=True)
class Column:
    """One column of a tracker: its label on the page, and its exact value in a download."""

    key: str
    label: str
    value: Callable[[Row], Cell]
    unit: str = ""
    """Said in the download's header ("Target (£)"), so number cells hold numbers only."""
    money: bool = False
    page: bool = True
    """Whether the page shows it too (some columns are in the download only)."""
    download: bool = True
    """Whether downloads hold it (a sparkline is for the page only)."""
    sortable: bool = False
    numeric: bool = False

    @property
    def header(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label


def money_column(
    key: str,
    label: str,
    value: Callable[[Row], object] | None = None,
    *,
    page: bool = True,
    sortable: bool = False,
) -> Column:
    """A column of money: pounds and pence on the page, a number of pounds in a download.
    `value` reads the amount from a row (the row's attribute named `key` unless given)."""
    read = value or attrgetter(key)
    return Column(
        key,
        label,
        lambda row: number(read(row)),
        unit="£",
        money=True,
        page=page,
        sortable=sortable,
    )


def wanted(format: str | None) -> ExportFormat | None:
    """The download asked for, if any ("csv" or "xlsx"; anything else is the page)."""
    return "csv" if format == "csv" else "xlsx" if format == "xlsx" else None


def export(
    columns: Sequence[Column],
    rows: Sequence[Row],
    *,
    name: str,
    fmt: ExportFormat,
    sheet: str,
    today: date | None = None,
) -> Response:
    """The rows as a download named for what it holds and when: `kpis-2026-11-24.csv`."""
    columns = [c for c in columns if c.download]
    headers = [c.header for c in columns]
    cells = [[c.value(row) for c in columns] for row in rows]
    if fmt == "csv":
        data = write_csv(headers, cells)
    else:
        formats = ["money" if c.money else "" for c in columns]
        data = write_xlsx(headers, cells, sheet=sheet, formats=formats)
    filename = f"{name}-{(today or date.today()).isoformat()}.{fmt}"
    return Response(
        data,
        media_type=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def download_links(path: str, params: Mapping[str, object]) -> dict[str, str]:
    """The page's own address with its filters and sort, plus `format`, for each download."""
    query = {k: str(v) for k, v in params.items() if v not in (None, "") and k != "offset"}
    return {fmt: f"{path}?{urlencode(query | {'format': fmt})}" for fmt in FORMATS}


def header_cells(
    columns: Sequence[Column], filters: Mapping[str, object], sort: str, path: str
) -> list[dict[str, Any]]:
    """The page's header row from the columns it shows: label, and a sort link where sortable
    (`sort_links`: reversing the current sort, the filters kept)."""
    kept = {k: str(v) for k, v in filters.items() if v not in (None, "")}
    cells: list[dict[str, Any]] = []
    for column in columns:
        if not column.page:
            continue
        cell: dict[str, Any] = {"key": column.key, "label": column.label, "href": None}
        if column.sortable:
            cell |= sort_links([(column.key, column.label)], kept, sort, path)[0]
        cells.append(cell | {"numeric": column.numeric or column.money})
    return cells


def tracker_table(
    columns: Sequence[Column],
    path: str,
    filters: Mapping[str, object],
    sort: str,
    retired: str,
) -> dict[str, Any]:
    """A filtered, sorted tracker's table for its page: the filters (with "Show retired"), the
    sort, the header row and the download links, all from the same filters."""
    shown = {**filters, "retired": retired}
    return {
        "filters": shown,
        "sort": sort,
        "columns": header_cells(columns, shown, sort, path),
        "download_links": download_links(path, {**filters, "sort": sort, "retired": retired}),
    }


# Values as a spreadsheet wants them -------------------------------------------------------------


def number(value: object) -> Decimal | None:
    """An API figure ("376000.00", 78.5) as an exact number, or None when there is none."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def day(value: object) -> date | None:
    """An ISO date ("2025-04-07") as a date."""
    if not value:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def rag_word(status: object) -> str:
    """ "amber" as people read it: "At risk"."""
    text = str(status or "not_set")
    return RAG_WORDS.get(text.lower().replace(" ", "_"), text)


def yes_no(value: object) -> str:
    return "Y" if value else "N"
