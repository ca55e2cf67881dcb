"""Spreadsheets in: an uploaded CSV, XLSX, ODS or Word (.docx) file as rows of text, safely.

Workbooks are read by python-calamine (Rust; the fastest reader measured, and one that never
expands XML entities), Word tables by python-docx. Neither library guards against a hostile file
on its own: calamine holds a sheet as a dense grid, so one cell at `ZZZZZZ1` or `XFD1048576`
asks for billions of cells and aborts the process, and a 0.5 MB zip that unpacks to 200 MB of
rows is read in full. So before either library sees a file, `_check_package` measures it against
`Limits`: the upload's size, the sum of the zip members' sizes and their ratio to the upload, then
streams every XML part once (the zip module stops at each member's declared size and checks its
CRC, so a member that lies about its size is refused as damaged), refusing any DOCTYPE (entity
expansion) and counting rows, cells and the furthest cell reference a sheet names, all against a
deadline. Only a file that passes reaches the library, and its grid is then bounded.

Every cell is read as text, as a person sees it; what a cell means is the importer's business
(`common.quantities` reads amounts, `common.shapes` finds header rows, totals and year columns).
"""

import csv
import io
import re
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePosixPath

import docx
import docx.text.paragraph
from fastapi import UploadFile
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from common.errors import FieldError, ValidationFailed
from common.shapes import find_header
from common.writing import unguarded


class UnreadableFile(ValueError):
    """The upload is not a table we can read, or is too large to read (the message says why, in
    plain words)."""


@dataclass(frozen=True)
class Limits:
    """How much of a file we are willing to read; past any of these it is refused, not half read."""

    file_bytes: int = 10_000_000
    """The upload itself: a 50,000-row table as CSV is about 5 MB."""
    unpacked_bytes: int = 64_000_000
    """The sum of a zip's members once unpacked (a 50,000-row, 10-column sheet is about 20 MB)."""
    ratio: int = 100
    """Unpacked size over packed size, checked once unpacked passes 10 MB: real workbooks pack
    five to thirty times, zip bombs a thousand."""
    rows: int = 50_000
    """Rows of one sheet: more than any service plan table has."""
    columns: int = 1_000
    """The furthest column a cell may name (column ALL)."""
    cells: int = 1_000_000
    """The grid a sheet spans (rows by columns up to its furthest cell): 50,000 rows of 20,
    which calamine holds in about 30 MB."""
    seconds: float = 30.0
    """Time to check and read one upload: a backstop only. The size, row, column and cell limits
    refuse a hostile file in milliseconds (`tests.bench.hostile`); a full 50,000-row sheet takes
    about 5 s to check on a quiet 2-core host, and must not be turned away on a busy one."""


LIMITS = Limits()
MAX_ROWS = LIMITS.rows
_RATIO_FLOOR = 10_000_000


@dataclass(frozen=True)
class Sheet:
    """One sheet (or Word table) as text, every row kept: `rows[i]` is spreadsheet row i + 1."""

    name: str
    rows: list[list[str]]


@dataclass(frozen=True)
class Table:
    """A sheet as text under its header. `row_numbers[i]` is where `rows[i]` sits in the
    spreadsheet as people see it: the header is row 1 (blank rows are skipped but still counted)."""

    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    """Every sheet of the file that could be chosen instead (`sheet=`)."""
    header_row: int = 1
    """The spreadsheet row of the header (its first row, when there are two)."""
    title: str = ""
    """The lines above the header, as one ("Savings achieved by area, 2023/24")."""
    mapping: dict[str, str] = field(default_factory=dict)
    """The person's answer to "we read your columns as…": heading → field (`common.mapping`)."""


SheetChoice = str | int | None
"""A sheet by its name, by its position (0 is the first), or None for the first one."""


# Reading ----------------------------------------------------------------------------------------


def read_table(
    data: bytes, filename: str = "", *, sheet: SheetChoice = None, limits: Limits = LIMITS
) -> Table:
    """A sheet of a workbook (XLSX, ODS), a table of a Word document, or a CSV file (UTF-8 with or
    without BOM, or Windows-1252), its first non-blank row taken as the header.

    >>> read_table("Measure,Unit\\nCarers,Number\\n".encode()).rows
    [['Carers', 'Number']]
    """
    names, chosen = _read(data, filename, sheet, limits)
    return table_of(chosen, names)


def read_sheet(
    data: bytes, filename: str = "", *, sheet: SheetChoice = None, limits: Limits = LIMITS
) -> Sheet:
    """One sheet with every row as written (titles, header rows and all), for shape detection."""
    return _read(data, filename, sheet, limits)[1]


def sheet_names(data: bytes, filename: str = "", *, limits: Limits = LIMITS) -> list[str]:
    """The sheets a person can choose from: a workbook's worksheets, a Word document's tables
    (each named by the heading above it, else its first cell), or one for a CSV file.

    >>> sheet_names(b"Measure\\nCarers\\n", "kpis.csv")
    ['kpis']
    """
    kind = _kind(data, filename, limits)
    if kind == "csv":
        return [PurePosixPath(filename).stem or "Table"]
    deadline = time.monotonic() + limits.seconds
    _check_package(data, kind, limits, deadline)
    if kind == "docx":
        return [name for name, _ in _docx_tables(data)]
    return _workbook_sheets(_workbook(data))


def _read(
    data: bytes, filename: str, sheet: SheetChoice, limits: Limits
) -> tuple[list[str], Sheet]:
    kind = _kind(data, filename, limits)
    if kind == "csv":
        name = PurePosixPath(filename).stem or "Table"
        _choose([name], sheet)
        rows = read_csv_rows(data)
        if len(rows) > limits.rows + 1:
            raise UnreadableFile(f"The file has more than {limits.rows:,} rows.")
        return [name], Sheet(name, rows)
    deadline = time.monotonic() + limits.seconds
    _check_package(data, kind, limits, deadline)
    if kind == "docx":
        tables = _docx_tables(data)
        names = [name for name, _ in tables]
        index = _choose(names, sheet)
        return names, Sheet(names[index], tables[index][1])
    book = _workbook(data)
    names = _workbook_sheets(book)
    index = _choose(names, sheet)
    try:
        values = book.get_sheet_by_name(names[index]).to_python(skip_empty_area=False)
    except Exception:  # calamine's errors (XmlError, ZipError…) are all "cannot be read"
        raise UnreadableFile(f"The {_NAMES[kind]} is damaged and cannot be read.") from None
    rows = []
    for number, row in enumerate(values):
        if number % 5_000 == 0:
            _in_time(deadline, limits)
        rows.append([_text(value) for value in row])
    return names, Sheet(names[index], rows)


def _choose(names: Sequence[str], sheet: SheetChoice) -> int:
    if not names:
        raise UnreadableFile("The file has no sheets or tables to read.")
    listed = ", ".join(f"'{n}'" for n in names)
    if sheet is None:
        return 0
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return sheet
        raise UnreadableFile(f"The file has {len(names)} sheets, not {sheet + 1}: {listed}.")
    wanted = " ".join(sheet.split()).casefold()
    for index, name in enumerate(names):
        if " ".join(name.split()).casefold() == wanted:
            return index
    raise UnreadableFile(f"The file has no sheet called '{sheet}'. Its sheets are {listed}.")


_NAMES = {"xlsx": "Excel workbook", "ods": "OpenDocument spreadsheet", "docx": "Word document"}
_SUFFIXES = {
    ".xlsx": "an " + _NAMES["xlsx"],
    ".xlsm": "an " + _NAMES["xlsx"],
    ".ods": "an " + _NAMES["ods"],
    ".docx": "a " + _NAMES["docx"],
}
_ODS = b"application/vnd.oasis.opendocument.spreadsheet"


def _kind(data: bytes, filename: str, limits: Limits) -> str:
    """ "xlsx", "ods", "docx" or "csv", by what the file is (its name only explains a refusal)."""
    if len(data) > limits.file_bytes:
        raise UnreadableFile(
            f"The file is {len(data) / 1e6:.1f} MB; files of up to "
            f"{limits.file_bytes / 1e6:.0f} MB can be imported. Split it, or remove other sheets."
        )
    suffix = PurePosixPath(filename.lower()).suffix
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
                if "mimetype" in names and package.read("mimetype").strip() == _ODS:
                    return "ods"
        except (zipfile.BadZipFile, OSError, ValueError):
            raise UnreadableFile("The file is a damaged zip archive and cannot be read.") from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        raise UnreadableFile(
            "The file is a zip archive but not an Excel, OpenDocument or Word file."
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            "This is an old Office (.xls or .doc) file: save it as .xlsx, .ods or .csv and "
            "upload it again."
        )
    if suffix in {".xlsx", ".xlsm", ".ods", ".docx"}:
        raise UnreadableFile(f"The file is named {suffix} but is not {_SUFFIXES[suffix]}.")
    return "csv"


# Checks before a library reads the file ---------------------------------------------------------

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_XLSX_ROW_NUMBER = re.compile(rb'<row\s[^>]*?r\s*=\s*["\'](\d+)')
# Cell references of two letters or more, or of five digits or more: the only ones that could
# pass a limit (rows under 10,000 of columns A to Z are within any), so narrow sheets cost little.
# Excel writes ` r="B12"`; other spacing or quoting takes the slower, tolerant pattern.
_XLSX_FAR_CELL = re.compile(rb' r="([A-Z]{2,})(\d+)"| r="([A-Z])(\d{5,})"')
_XLSX_FAR_CELL_TOLERANT = re.compile(
    rb'\sr\s*=\s*["\']([A-Z]{2,})(\d+)|\sr\s*=\s*["\']([A-Z])(\d{5,})'
)
_UNUSUAL_SPACING = (b"\tr=", b"\nr=", b"\rr=", b"r =", b"r= ", b"r='")
# LibreOffice pads a sheet to its edge with repeated empty rows and cells, which calamine skips;
# a repeat is only a cost when what is repeated holds something.
_ODS_REPEATED_ROW = re.compile(rb'<table:table-row\b[^>]*?number-rows-repeated="(\d+)"')
_ODS_REPEATED_CELL = re.compile(
    rb'<table:(?:covered-)?table-cell\b[^>]*?number-columns-repeated="(\d+)"[^>]*>'
)
_CHUNK = 1 << 20
_TAIL = 256  # bytes kept from one chunk to the next, so no tag is split unseen


def _check_package(data: bytes, kind: str, limits: Limits, deadline: float) -> None:
    """Refuse a zip package whose size, unpacked size, XML or cell references pass `limits`."""
    what = _NAMES[kind]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            unpacked = sum(member.file_size for member in members)
            if unpacked > limits.unpacked_bytes:
                raise UnreadableFile(
                    f"The {what} unpacks to {unpacked / 1e6:,.0f} MB; at most "
                    f"{limits.unpacked_bytes / 1e6:,.0f} MB can be read."
                )
            if unpacked > _RATIO_FLOOR and unpacked > limits.ratio * len(data):
                raise UnreadableFile(
                    f"The {what} unpacks to {unpacked // max(len(data), 1):,} times its size, "
                    "which spreadsheets never do: it was not read."
                )
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    _check_part(package, member, kind, limits, deadline)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        if isinstance(error, UnreadableFile):
            raise
        raise UnreadableFile(f"The {what} is damaged and cannot be read.") from None


def _is_sheet(name: str, kind: str) -> bool:
    if kind == "xlsx":
        return name.startswith("xl/worksheets/")
    return name == ("content.xml" if kind == "ods" else "word/document.xml")


def _check_part(
    package: zipfile.ZipFile, member: zipfile.ZipInfo, kind: str, limits: Limits, deadline: float
) -> None:
    sheet = _is_sheet(member.filename, kind)
    counter = _SheetCounter(kind, limits) if sheet else None
    tail = b""
    with package.open(member) as part:
        while chunk := part.read(_CHUNK):
            _in_time(deadline, limits)
            window = tail + chunk
            if _DOCTYPE.search(window):
                raise UnreadableFile(
                    f"The {_NAMES[kind]} declares XML entities (a DOCTYPE), which office "
                    "files never need and which can make a reader expand it without end: it was "
                    "not read."
                )
            if counter:
                counter.scan(window, len(tail))
            tail = window[-_TAIL:]
    if counter:
        counter.finish()


class _SheetCounter:
    """Rows, cells and the furthest reference of one sheet's XML, counted as it streams past."""

    def __init__(self, kind: str, limits: Limits) -> None:
        self.kind, self.limits = kind, limits
        self.rows = self.cells = self.far_row = self.far_column = 0
        self.row_tag, self.cell_tags = {
            "xlsx": (b"<row", (b"<c ", b"<c>", b"<c/")),
            "ods": (b"<table:table-row", (b"<table:table-cell", b"<table:covered-table-cell")),
            "docx": (b"<w:tr", (b"<w:tc>", b"<w:tc ")),
        }[kind]

    def scan(self, window: bytes, overlap: int) -> None:
        # Tags are counted in the new bytes only; a tag split over the boundary is in the tail,
        # so count from where a whole tag could start.
        fresh = window[max(overlap - 20, 0) :] if overlap else window
        skip = window[max(overlap - 20, 0) : overlap] if overlap else b""
        self.rows += fresh.count(self.row_tag) - skip.count(self.row_tag)
        self.cells += sum(fresh.count(t) - skip.count(t) for t in self.cell_tags)
        start = max(overlap - 40, 0)
        if self.kind == "xlsx":
            for match in _XLSX_ROW_NUMBER.finditer(window, start):
                self.far_row = max(self.far_row, int(match[1]))
            unusual = any(spacing in window for spacing in _UNUSUAL_SPACING)
            pattern = _XLSX_FAR_CELL_TOLERANT if unusual else _XLSX_FAR_CELL
            for match in pattern.finditer(window, start):
                letters, number = (match[1], match[2]) if match[1] else (match[3], match[4])
                self.far_column = max(self.far_column, _column_number(letters))
                self.far_row = max(self.far_row, int(number))
        elif self.kind == "ods":
            for match in _ODS_REPEATED_ROW.finditer(window, start):
                end = window.find(b"</table:table-row>", match.end())
                row = window[match.end() : end if end >= 0 else len(window)]
                if b"value-type" in row or b"<text:p" in row:
                    self.rows += int(match[1]) - 1
            for match in _ODS_REPEATED_CELL.finditer(window, start):
                tag = match[0]
                if b"value-type" in tag or not tag.endswith(b"/>"):
                    self.cells += int(match[1]) - 1
                    self.far_column = max(self.far_column, int(match[1]))
        self._check()

    def _check(self) -> None:
        limits = self.limits
        if self.rows > limits.rows + 1 or self.far_row > 2 * limits.rows:
            raise UnreadableFile(f"The sheet has more than {limits.rows:,} rows.")
        if self.far_column > limits.columns:
            raise UnreadableFile(
                f"A cell of the sheet is in column {self.far_column:,}; at most "
                f"{limits.columns:,} columns can be read."
            )
        if self.cells > limits.cells or self.far_row * max(self.far_column, 1) > limits.cells:
            raise UnreadableFile(
                f"The sheet spans more than {limits.cells:,} cells; split it and upload the parts."
            )

    def finish(self) -> None:
        self._check()


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters[:8]:  # eight letters already pass any limit
        number = number * 26 + letter - 64
    return number


def _in_time(deadline: float, limits: Limits) -> None:
    if time.monotonic() > deadline:
        raise UnreadableFile(
            f"The file took more than {limits.seconds:g} seconds to read; split it and upload "
            "the parts."
        )


# The libraries ----------------------------------------------------------------------------------


def _workbook(data: bytes) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # calamine's own errors all mean the same to the person
        raise UnreadableFile("The workbook is damaged and cannot be read.") from None


def _workbook_sheets(book: CalamineWorkbook) -> list[str]:
    """Worksheets in the workbook's order, visible ones first (a hidden sheet is rarely the one
    meant, but can still be chosen); chart sheets have no cells and are left out."""
    sheets = [s for s in book.sheets_metadata if s.typ == SheetTypeEnum.WorkSheet]
    visible = [s.name for s in sheets if s.visible == SheetVisibleEnum.Visible]
    return visible + [s.name for s in sheets if s.visible != SheetVisibleEnum.Visible]


def _text(value: object) -> str:
    """A calamine cell as the text a person sees in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _number_text(number: float) -> str:
    """A number as a spreadsheet stores it (5.0, 5.25, 0.30000000000000004) as a person typed it
    (Excel shows at most 15 significant digits)."""
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return format(Decimal(f"{number:.15g}").normalize(), "f")


def _docx_tables(data: bytes) -> list[tuple[str, list[list[str]]]]:
    """Each table of a Word document with a name: the heading (or bold caption) above it, else
    its first cell; repeated names are numbered."""
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx's errors all mean the file is not a readable document
        raise UnreadableFile("The Word document is damaged and cannot be read.") from None
    tables: list[tuple[str, list[list[str]]]] = []
    heading = ""
    for block in document.iter_inner_content():
        if isinstance(block, docx.text.paragraph.Paragraph):
            style = (block.style.name if block.style is not None else "") or ""
            text = " ".join(block.text.split())
            if text and (style.startswith(("Heading", "Title", "Caption")) or _all_bold(block)):
                heading = text
            continue
        rows = [[" ".join(cell.text.split()) for cell in row.cells] for row in block.rows]
        first = next((cell for row in rows for cell in row if cell), "")
        tables.append((heading or first[:60] or f"Table {len(tables) + 1}", rows))
        heading = ""
    named: list[tuple[str, list[list[str]]]] = []
    seen: dict[str, int] = {}
    for name, rows in tables:
        seen[name] = seen.get(name, 0) + 1
        named.append((name if seen[name] == 1 else f"{name} ({seen[name]})", rows))
    return named


def _all_bold(paragraph: docx.text.paragraph.Paragraph) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(run.bold for run in runs) and len(paragraph.text) < 120


# CSV --------------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """Text of a CSV file: UTF-8 (a BOM is dropped), else Windows-1252 as Excel saves it."""
    if b"\x00" in data[:4096]:
        raise UnreadableFile("The file is not a CSV file or a spreadsheet.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_csv_rows(data: bytes) -> list[list[str]]:
    """A CSV file's rows as written, separated by commas, or else by the semicolons, tabs or bars
    of its first line."""
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        delimiter = max(";\t|", key=first_line.count) if first_line.strip() else ","
        if first_line.count(delimiter) == 0:
            delimiter = ","
    try:
        return [
            [unguarded(cell) for cell in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as error:
        raise UnreadableFile(f"The file is not a readable CSV file ({error}).") from None


# Tables -----------------------------------------------------------------------------------------


def non_blank_rows(sheet: Sheet) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row number, cells trimmed) of every row with something in it."""
    for number, row in enumerate(sheet.rows, start=1):
        cells = [cell.strip() for cell in row]
        if any(cells):
            yield number, cells


def table_of(sheet: Sheet, sheets: Sequence[str] = (), *, header_row: int | None = None) -> Table:
    """A sheet under its header: spreadsheet row `header_row`, or else the first row of two or
    more headings with no figures (a title or a note above it is left out), merged with a second
    header row under it ("Budget" over "2025/26" and "2026/27"); short rows are padded to the
    header's width."""
    numbered = [
        (number, cells)
        for number, cells in non_blank_rows(sheet)
        if header_row is None or number >= header_row
    ]
    if not numbered:
        raise UnreadableFile("The file is empty: it has no header row.")
    (header_number, headers), body = numbered[0], numbered[1:]
    above: list[tuple[int, list[str]]] = []
    if header_row is None:
        try:
            found = find_header([cells for _, cells in numbered])
        except ValueError:
            found = None  # one heading alone, or only figures: the first row is the header
        if found is not None:
            header_number = numbered[found.rows[0] - 1][0]
            headers, body = found.headings, numbered[found.rows[-1] :]
            above = numbered[: found.rows[0] - 1]
    # A workbook's grid is as wide as its widest row: the table is as wide as its header.
    width = len(headers)
    while width and not headers[width - 1]:
        width -= 1
    return Table(
        headers=headers[:width],
        rows=[(cells + [""] * width)[:width] for _, cells in body],
        row_numbers=[number for number, _ in body],
        sheet=sheet.name,
        sheets=list(sheets) or [sheet.name],
        header_row=header_number,
        title=" ".join(c for _, cells in above for c in cells if c),
    )


def read_upload(upload: UploadFile, *, sheet: SheetChoice = None) -> Table:
    """An uploaded file as a table, or a 422 (field "file") that says why it cannot be read.
    Reads at most one byte past the size limit, so a huge upload is not held in memory."""
    data = upload.file.read(LIMITS.file_bytes + 1)
    try:
        return read_table(data, upload.filename or "", sheet=sheet)
    except UnreadableFile as error:
        raise ValidationFailed(str(error), errors=[FieldError("file", str(error))]) from None
