"""Spreadsheets out: CSV and one-sheet XLSX exports, and the packaging Office files share (the
zip, its content types and its relationships).

Only the standard library, and FastAPI's `Response` for downloads: an XLSX file is a zip of XML
parts and we write the few that matter.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from fastapi.responses import Response

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

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


def unguarded(cell: str) -> str:
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


def column_letters(index: int) -> str:
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
        number = f"{value:f}" if isinstance(value, Decimal) else str(value)
        return f'<c r="{ref}"{styled}><v>{number}</v></c>'
    preserve = ' xml:space="preserve"' if value != value.strip() else ""
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t{preserve}>{xml_text(value)}</t></is></c>'


_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
OFFICE_TYPE = "application/vnd.openxmlformats-officedocument"
"""How the content types of the parts of Word and Excel files begin."""
REL_OFFICE_DOCUMENT = f"{_RELATIONSHIPS}/officeDocument"
REL_STYLES = f"{_RELATIONSHIPS}/styles"
REL_CORE_PROPERTIES = f"{_PACKAGE}/relationships/metadata/core-properties"
"""Relationship types: what a part is to the part (or package) that refers to it."""


def content_types(overrides: dict[str, str]) -> str:
    """An Office package's `[Content_Types].xml`: every part is XML, the relationship parts
    marked as such, and each part of `overrides` (its name: its content type)."""
    listed = "".join(
        f'<Override PartName="{name}" ContentType="{kind}"/>\n' for name, kind in overrides.items()
    )
    return (
        f'{_XML_DECLARATION}<Types xmlns="{_PACKAGE}/content-types">\n'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\n'
        '<Default Extension="xml" ContentType="application/xml"/>\n'
        f"{listed}</Types>"
    )


def relationships(targets: Sequence[tuple[str, str]]) -> str:
    """A relationships part (`_rels/….rels`): each (type, target) in order, as rId1, rId2…"""
    listed = "".join(
        f'<Relationship Id="rId{number}" Type="{kind}" Target="{target}"/>\n'
        for number, (kind, target) in enumerate(targets, 1)
    )
    return (
        f'{_XML_DECLARATION}<Relationships xmlns="{_PACKAGE}/relationships">\n'
        f"{listed}</Relationships>"
    )


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
                f"{column_letters(i)}{row_index}",
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
        f'<worksheet xmlns="{_MAIN}">{view}<sheetData>{"".join(lines)}</sheetData></worksheet>'
    )
    name = escape(re.sub(r"[\[\]:*?/\\]", " ", sheet)[:31] or "Sheet1", {'"': "&quot;"})
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    return zip_parts(
        {
            "[Content_Types].xml": content_types(
                {
                    "/xl/workbook.xml": f"{OFFICE_TYPE}.spreadsheetml.sheet.main+xml",
                    "/xl/worksheets/sheet1.xml": f"{OFFICE_TYPE}.spreadsheetml.worksheet+xml",
                    "/xl/styles.xml": f"{OFFICE_TYPE}.spreadsheetml.styles+xml",
                }
            ),
            "_rels/.rels": relationships([(REL_OFFICE_DOCUMENT, "xl/workbook.xml")]),
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": relationships(
                [
                    (f"{_RELATIONSHIPS}/worksheet", "worksheets/sheet1.xml"),
                    (REL_STYLES, "styles.xml"),
                ]
            ),
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
