"""Spreadsheets in and out: read an uploaded CSV or XLSX into rows of text, match its headers to
the fields an import wants (tolerating the wording councils use), and write CSV and XLSX.

Only the standard library: an XLSX file is a zip of XML parts, and we read and write the few
parts that matter (the first sheet, shared strings, numbers). Every cell is read as text; what a
cell means is the importer's business.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Literal
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from fastapi import File, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from common.audit import declare_no_change
from common.errors import PROBLEM_JSON, FieldError, ValidationFailed

MAX_ROWS = 50_000
"""More rows than any service plan table has; a larger file is refused, not half read."""


class UnreadableFile(ValueError):
    """The upload is not a CSV or XLSX table we can read (the message says why, in plain words)."""


@dataclass(frozen=True)
class Table:
    """A sheet as text. `row_numbers[i]` is where `rows[i]` sits in the spreadsheet as people
    see it: the header is row 1 (blank rows are skipped but still counted)."""

    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]


# Reading ----------------------------------------------------------------------------------------


def read_table(data: bytes, filename: str = "") -> Table:
    """The first sheet of an XLSX file, or a CSV file (UTF-8 with or without BOM, or Windows-1252).

    >>> read_table("Measure,Unit\\nCarers,Number\\n".encode()).rows
    [['Carers', 'Number']]
    """
    if data.startswith(b"PK\x03\x04"):
        return _table(read_xlsx_rows(data))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            "This is an old Excel (.xls) file: save it as .xlsx or .csv and upload it again."
        )
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise UnreadableFile("The file is named .xlsx but is not an Excel workbook.")
    return _table(read_csv_rows(data))


def decode_text(data: bytes) -> str:
    """Text of a CSV file: UTF-8 (a BOM is dropped), else Windows-1252 as Excel saves it."""
    if b"\x00" in data[:4096]:
        raise UnreadableFile("The file is not a CSV or XLSX spreadsheet.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_csv_rows(data: bytes) -> list[list[str]]:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        delimiter = max(";\t|", key=first_line.count) if first_line.strip() else ","
        if first_line.count(delimiter) == 0:
            delimiter = ","
    try:
        return [
            [_unguarded(cell) for cell in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as error:
        raise UnreadableFile(f"The file is not a readable CSV file ({error}).") from None


_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _number_text(value: str) -> str:
    """A number as Excel stores it ("5", "5.25", "0.30000000000000004"), as a person typed it."""
    try:
        number = float(value)
    except ValueError:
        return value
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return format(Decimal(repr(number)).normalize(), "f")


def read_xlsx_rows(data: bytes) -> list[list[str]]:
    """The first sheet's rows, each cell as text (shared strings, inline strings, numbers)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            names = set(book.namelist())
            if "xl/workbook.xml" not in names:
                raise UnreadableFile("The file is a zip archive but not an Excel workbook.")
            sheet_path = _first_sheet_path(book)
            shared = _shared_strings(book) if "xl/sharedStrings.xml" in names else []
            dates = _date_styles(book) if "xl/styles.xml" in names else set()
            sheet = ElementTree.fromstring(book.read(sheet_path))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        raise UnreadableFile("The Excel workbook is damaged and cannot be read.") from None
    rows: dict[int, dict[int, str]] = {}
    for next_row, row in enumerate(sheet.iterfind("m:sheetData/m:row", _NS), start=1):
        row_number = int(row.get("r") or next_row)
        cells: dict[int, str] = {}
        for position, cell in enumerate(row.iterfind("m:c", _NS)):
            ref = _CELL_REF.fullmatch(cell.get("r") or "")
            column = _column_index(ref[1]) if ref else position
            cells[column] = _cell_text(cell, shared, dates)
        rows[row_number] = cells
        if len(rows) > MAX_ROWS + 1:
            raise UnreadableFile(f"The sheet has more than {MAX_ROWS:,} rows.")
    if not rows:
        return []
    result: list[list[str]] = []
    for number in range(1, max(rows) + 1):
        cells = rows.get(number, {})
        width = max(cells, default=-1) + 1
        result.append([cells.get(i, "") for i in range(width)])
    return result


def _first_sheet_path(book: zipfile.ZipFile) -> str:
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    sheet = workbook.find("m:sheets/m:sheet", _NS)
    if sheet is None:
        raise UnreadableFile("The Excel workbook has no sheets.")
    rel_id = sheet.get(f"{{{_NS['r']}}}id")
    try:
        rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return "xl/worksheets/sheet1.xml"
    for rel in rels.iterfind("rel:Relationship", _NS):
        if rel.get("Id") == rel_id:
            target = rel.get("Target") or ""
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return "xl/worksheets/sheet1.xml"


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
    return [
        "".join(t.text or "" for t in item.iter(f"{{{_NS['m']}}}t"))
        for item in root.iterfind("m:si", _NS)
    ]


_DATE_FORMATS = frozenset([14, 15, 16, 17, 22, *range(27, 37), *range(50, 59)])
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _date_styles(book: zipfile.ZipFile) -> set[int]:
    """The cell styles (by index) that show a number as a date."""
    root = ElementTree.fromstring(book.read("xl/styles.xml"))
    custom = {
        int(f.get("numFmtId") or 0): _QUOTED.sub("", f.get("formatCode") or "").lower()
        for f in root.iterfind("m:numFmts/m:numFmt", _NS)
    }
    dates = set()
    for index, xf in enumerate(root.iterfind("m:cellXfs/m:xf", _NS)):
        number_format = int(xf.get("numFmtId") or 0)
        code = custom.get(number_format, "")
        if number_format in _DATE_FORMATS or ("y" in code or "d" in code):
            dates.add(index)
    return dates


def _excel_date(value: str) -> str:
    """An Excel date serial as an ISO date ("45474" -> "2024-07-01")."""
    try:
        day = date(1899, 12, 30) + timedelta(days=int(float(value)))
    except (ValueError, OverflowError):
        return value
    return day.isoformat()


def _cell_text(cell: ElementTree.Element, shared: list[str], dates: set[int]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{{{_NS['m']}}}t"))
    value = cell.findtext("m:v", default="", namespaces=_NS)
    if kind == "s":
        try:
            return shared[int(value)]
        except (ValueError, IndexError):
            return ""
    if kind == "b":
        return "TRUE" if value == "1" else "FALSE"
    if kind == "n" and value:
        if int(cell.get("s") or 0) in dates:
            return _excel_date(value)
        return _number_text(value)
    return value


def _table(raw: list[list[str]]) -> Table:
    numbered = [
        (number, [cell.strip() for cell in row])
        for number, row in enumerate(raw, start=1)
        if any(cell.strip() for cell in row)
    ]
    if not numbered:
        raise UnreadableFile("The file is empty: it has no header row.")
    if len(numbered) > MAX_ROWS + 1:
        raise UnreadableFile(f"The file has more than {MAX_ROWS:,} rows.")
    (_, headers), body = numbered[0], numbered[1:]
    width = len(headers)
    return Table(
        headers=headers,
        rows=[(cells + [""] * width)[:width] for _, cells in body],
        row_numbers=[number for number, _ in body],
    )


# Header matching --------------------------------------------------------------------------------


def normalise_header(text: str) -> str:
    """A header reduced for comparison: case, punctuation and spacing set aside.

    >>> normalise_header("Frequency (monthly, quarterly)")
    'frequency monthly quarterly'
    """
    return " ".join(re.findall(r"[a-z0-9£%]+", text.lower().replace("&", " and ")))


@dataclass(frozen=True)
class Column:
    """A field an import reads, and the header wordings that name it."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False

    def wordings(self) -> list[str]:
        return [normalise_header(w) for w in (self.label, *self.synonyms)]


@dataclass
class HeaderMatch:
    """Which header (by position) each field was found under, and what was not matched."""

    positions: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    missing: list[Column] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def match_headers(headers: Sequence[str], columns: Sequence[Column]) -> HeaderMatch:
    """Match each header to at most one field: exact wordings first, then the longest wording
    found as whole words inside a header ("Council Plan KPI (Y/N)" holds "council plan").

    >>> match = match_headers(["Better (bigger or smaller)"], [Column("polarity", "Better")])
    >>> match.positions
    {'polarity': 0}
    """
    normalised = [normalise_header(h) for h in headers]
    match = HeaderMatch()
    candidates: list[tuple[int, int, int, str]] = []
    for position, header in enumerate(normalised):
        if not header:
            continue
        for column in columns:
            for wording in column.wordings():
                if header == wording:
                    candidates.append((0, -len(wording), position, column.key))
                elif wording and f" {wording} " in f" {header} ":
                    candidates.append((1, -len(wording), position, column.key))
    for _, _, position, key in sorted(candidates):
        if key in match.positions or position in match.positions.values():
            continue
        match.positions[key] = position
        match.headers[key] = headers[position]
    match.missing = [c for c in columns if c.required and c.key not in match.positions]
    match.unmatched = [
        h for i, h in enumerate(headers) if h.strip() and i not in match.positions.values()
    ]
    return match


def missing_columns(columns: Sequence[Column], what: str) -> ValidationFailed:
    """The 422 for a file without the columns `what` ("a KPI") needs, one error per column."""
    return ValidationFailed(
        f"The file is missing columns {what} needs: "
        + ", ".join(f"'{c.label}'" for c in columns)
        + ".",
        errors=[
            FieldError(f"columns.{c.key}", f"The file has no '{c.label}' column.") for c in columns
        ],
    )


# Writing ----------------------------------------------------------------------------------------

Cell = str | int | Decimal | date | None
"""A value to write: text, a number (money as `Decimal`, never float), a date, or nothing."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_GUARDED = re.compile(r"'+[=+\-@\t\r]")


def csv_text(value: Cell) -> str:
    """A cell as CSV text. Text a spreadsheet would run as a formula (starting = + - @, tab or
    carriage return; OWASP "CSV injection") gets a leading apostrophe; real numbers do not.

    >>> csv_text("=HYPERLINK(1)"), csv_text("-12.50"), csv_text(Decimal("-5.00"))
    ("'=HYPERLINK(1)", '-12.50', '-5.00')
    """
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    text = str(value)
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    # Apostrophes already in front are guarded too, so reading back is exact ("'=x" stays).
    if text.lstrip("'").startswith(_FORMULA_START):
        return "'" + text
    return text


def _unguarded(cell: str) -> str:
    """A CSV cell as it was before `csv_text` guarded it (our own exports read back exactly)."""
    return cell[1:] if _GUARDED.match(cell) else cell


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Cell]], *, bom: bool = True) -> bytes:
    """UTF-8 with a BOM (unless `bom=False`), so that Excel reads the pound sign and curly quotes
    correctly; cells that would run as formulas are guarded (`csv_text`)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_text(header) for header in headers])
    for row in rows:
        writer.writerow([csv_text(cell) for cell in row])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(value: str) -> str:
    """Text safe inside an XML element (control characters XML forbids are dropped)."""
    return escape(_ILLEGAL_XML.sub("", value))


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_STYLE, _MONEY_STYLE = 2, 3
XLSX_FORMATS = {"money": _MONEY_STYLE}
"""Number formats a column may ask for: "money" shows 1234.5 as 1,234.50."""


def _xlsx_cell(ref: str, value: Cell, style: int = 0) -> str:
    if isinstance(value, date):
        # A date cell: the day's serial number, shown as an ISO date.
        days = (date(value.year, value.month, value.day) - _EXCEL_EPOCH).days
        return f'<c r="{ref}" s="{_DATE_STYLE}"><v>{days}</v></c>'
    styled = f' s="{style}"' if style else ""
    if isinstance(value, bool) or value is None:
        value = "" if value is None else str(value)
    if isinstance(value, int | Decimal):
        return f'<c r="{ref}"{styled}><v>{value:f}</v></c>'
    preserve = ' xml:space="preserve"' if value != value.strip() else ""
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t{preserve}>{xml_text(value)}</t></is></c>'


_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""  # noqa: E501
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""  # noqa: E501
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""  # noqa: E501
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Arial"/></font><font><b/><sz val="11"/><name val="Arial"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""  # noqa: E501


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    sheet: str = "Sheet1",
    *,
    formats: Sequence[str] = (),
) -> bytes:
    """A one-sheet workbook: a bold header row, text as inline strings, numbers as numbers,
    dates as date cells. `formats[i]` may name a number format for column i (`XLSX_FORMATS`)."""
    styles = [XLSX_FORMATS.get(f, 0) for f in formats]
    lines = []
    for row_index, row in enumerate([list(headers), *rows], start=1):
        cells = "".join(
            _xlsx_cell(
                f"{_column_letters(i)}{row_index}",
                value,
                1 if row_index == 1 else (styles[i] if i < len(styles) else 0),
            )
            for i, value in enumerate(row)
        )
        lines.append(f'<row r="{row_index}">{cells}</row>')
    # The header row stays in view while scrolling.
    view = (
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    )
    sheet_xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{_NS["m"]}">{view}<sheetData>{"".join(lines)}</sheetData></worksheet>'
    )
    name = escape(re.sub(r"[\[\]:*?/\\]", " ", sheet)[:31] or "Sheet1", {'"': "&quot;"})
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{_NS["m"]}" xmlns:r="{_NS["r"]}">'
        f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    return zip_parts(
        {
            "[Content_Types].xml": _CONTENT_TYPES,
            "_rels/.rels": _ROOT_RELS,
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
            "xl/styles.xml": _STYLES,
            "xl/worksheets/sheet1.xml": sheet_xml,
        }
    )


def zip_parts(parts: dict[str, str]) -> bytes:
    """An Office Open XML package of `parts` (name: XML), byte for byte the same for the same
    parts (fixed timestamps), so an export can be compared with another."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, xml)
    return out.getvalue()


# Import reports ---------------------------------------------------------------------------------


@dataclass
class CellProblem:
    """What could not be read in one cell (`blocking` stops the import; otherwise a warning)."""

    column: str
    message: str
    blocking: bool = True


@dataclass
class RowReport:
    """One row of an upload: what the import will do with it and what it read from it."""

    row: int
    original: dict[str, str]
    action: str = "create"
    key: str = ""
    fields: dict[str, object] = field(default_factory=dict)
    problems: list[CellProblem] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    links_not_made: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return any(p.blocking for p in self.problems)

    def problem(self, column: str, message: str, *, blocking: bool = True) -> None:
        self.problems.append(CellProblem(column, message, blocking))

    def as_json(self) -> dict[str, object]:
        return {
            "row": self.row,
            "action": "error" if self.blocked else self.action,
            "key": self.key,
            "fields": {k: _json_value(v) for k, v in self.fields.items()},
            "original": self.original,
            "problems": [
                {"column": p.column, "message": p.message, "blocking": p.blocking}
                for p in self.problems
            ],
            "links": self.links,
            "links_not_made": self.links_not_made,
        }


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


@dataclass
class ImportReport:
    """The preview (or the record) of an import, row by row."""

    kind: str
    filename: str
    columns: dict[str, str]
    unmatched_columns: list[str]
    rows: list[RowReport] = field(default_factory=list)
    committed: bool = False

    @property
    def blocked_rows(self) -> list[RowReport]:
        return [r for r in self.rows if r.blocked]

    def counts(self) -> dict[str, int]:
        counts = {"rows": len(self.rows), "create": 0, "update": 0, "unchanged": 0, "error": 0}
        for row in self.rows:
            counts["error" if row.blocked else row.action] += 1
        counts["warnings"] = sum(1 for r in self.rows for p in r.problems if not p.blocking)
        return counts

    def as_json(self, rows: str = "all") -> dict[str, object]:
        """The report; `rows` "problems" keeps only rows with a problem, "changes" also those
        created or updated (the counts always cover every row)."""
        shown = [
            r
            for r in self.rows
            if rows == "all" or r.problems or (rows == "changes" and r.action != "unchanged")
        ]
        return {
            "kind": self.kind,
            "filename": self.filename,
            "committed": self.committed,
            "counts": self.counts(),
            "columns": self.columns,
            "unmatched_columns": self.unmatched_columns,
            "rows": [r.as_json() for r in shown],
        }

    def field_errors(self, limit: int = 200) -> list[dict[str, str]]:
        """The blocking problems as problem+json `errors`: "rows.7.<column>", a plain message."""
        errors = [
            {"field": f"rows.{r.row}.{p.column}", "message": f"Row {r.row}: {p.message}"}
            for r in self.rows
            for p in r.problems
            if p.blocking
        ]
        return errors[:limit]


def row_originals(headers: Sequence[str], cells: Sequence[str]) -> dict[str, str]:
    """A row's cells by their header, as written (headerless columns are named by letter)."""
    return {
        (header or f"Column {_column_letters(i)}"): cell
        for i, (header, cell) in enumerate(zip(headers, cells, strict=True))
    }


ImportFile = Annotated[UploadFile, File(description="The table, CSV or XLSX.")]
"""An import endpoint's uploaded table."""
ImportCommit = Annotated[
    bool, Query(description="Write the rows; without it the answer is only a preview.")
]
"""An import endpoint's `commit` flag (default False: a preview)."""
ImportRows = Annotated[
    Literal["all", "changes", "problems"],
    Query(
        description="Which rows to list: all, those that change or have problems, or only "
        "those with problems (the counts always cover every row)."
    ),
]
"""Which rows an import's answer lists (`ImportReport.as_json`); default "all"."""


def import_response(
    report: ImportReport, *, commit: bool, rows: str, write: Callable[[], None]
) -> JSONResponse:
    """The answer to an import: the preview; or, with `commit`, everything written by `write`, or
    nothing and a 422 problem+json naming each blocking cell, with the row-by-row report beside."""
    if commit and report.blocked_rows:
        numbers = ", ".join(str(r.row) for r in report.blocked_rows[:20])
        more = " and more" if len(report.blocked_rows) > 20 else ""
        body = {
            "type": "about:blank",
            "title": "Unprocessable Content",
            "status": 422,
            "detail": f"Nothing was imported: rows {numbers}{more} have problems to fix.",
            "errors": report.field_errors(),
            "report": report.as_json(rows),
        }
        return JSONResponse(body, status_code=422, media_type=PROBLEM_JSON)
    if not commit:
        declare_no_change("preview")
    elif all(r.action == "unchanged" for r in report.rows):
        declare_no_change("unchanged")  # an upload with nothing new rightly writes no audit row
    if commit:
        write()
        report.committed = True
    return JSONResponse(report.as_json(rows))


_YES = frozenset(["y", "yes", "true", "1", "x"])
_NO = frozenset(["n", "no", "false", "0", ""])


def parse_yes_no(text: str) -> bool | None:
    """A Y/N cell: True, False (blank is no), or None when it says neither.

    >>> parse_yes_no("Y"), parse_yes_no(" no "), parse_yes_no("maybe")
    (True, False, None)
    """
    answer = text.strip().lower().rstrip(".")
    if answer in _YES:
        return True
    return False if answer in _NO else None


def read_upload(upload: UploadFile) -> Table:
    """An uploaded file as a table, or a 422 (field "file") that says why it cannot be read."""
    try:
        return read_table(upload.file.read(), upload.filename or "")
    except UnreadableFile as error:
        raise ValidationFailed(str(error), errors=[FieldError("file", str(error))]) from None


_PENCE = Decimal("0.01")


def csv_cell(value: object) -> Cell:
    """Money as plain pounds and pence; anything else that is not text, a number or a date as
    its text. `write_csv` guards text a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, Decimal):
        return value.quantize(_PENCE)
    if value is None or isinstance(value, str | int | date):
        return value
    return str(value)


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Response:
    """A CSV download (no byte order mark) that opens safely in a spreadsheet."""
    body = write_csv(header, ([csv_cell(value) for value in row] for row in rows), bom=False)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
