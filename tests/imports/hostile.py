"""Hostile uploads, built on the fly (none is committed): each is small to send and would cost a
naive reader gigabytes or minutes. Used by the refusal tests and by `tests/bench/hostile.py`."""

import io
import zipfile
from collections.abc import Callable, Iterator

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def workbook(sheet_chunks: Iterator[str], *, prolog: str = "") -> bytes:
    """A one-sheet workbook whose sheet XML is the chunks given (streamed, so a bomb is cheap)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'.encode())
            sheet.write(f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
            for chunk in sheet_chunks:
                sheet.write(chunk.encode())
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def zip_bomb(rows: int = 5_000_000) -> bytes:
    """A few hundred kilobytes that expand to millions of rows (rows without references, which
    a reader numbers in order, repeat exactly and so compress a thousandfold)."""
    chunk = "<row><c><v>1</v></c><c><v>1</v></c></row>" * 10_000
    return workbook(iter([chunk] * (rows // 10_000)))


def huge_cell_reference() -> bytes:
    """Two kilobytes with one cell in column ZZZZZZ: a dense reader asks for 321 million columns."""
    return workbook(iter(['<row r="1"><c r="A1"><v>1</v></c><c r="ZZZZZZ1"><v>1</v></c></row>']))


def huge_row_number() -> bytes:
    """A cell in the last row Excel allows (and a corner cell), so a dense sheet is 17 billion."""
    return workbook(
        iter(
            [
                '<row r="1"><c r="A1"><v>1</v></c></row>'
                '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
            ]
        )
    )


def billion_laughs() -> bytes:
    """XML entity expansion: ten levels of ten, so one reference is a billion "lol"s."""
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    ]
    prolog = f"<!DOCTYPE worksheet [{''.join(levels)}]>"
    return workbook(
        iter(['<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>']),
        prolog=prolog,
    )


def big_csv(megabytes: int = 14) -> bytes:
    """A plain CSV of 14 MB: more than any service plan table, so not read at all."""
    line = b"Cost centre,Budget line,Service area,Budget 2025/26,Apr,May,Jun\r\n"
    row = b"CC00001,Home care packages for older people,Older people,1000000,1,2,3\r\n"
    return line + row * (megabytes * 1_000_000 // len(row) + 1)


HOSTILE: dict[str, Callable[[], bytes]] = {
    "zip bomb": zip_bomb,
    "huge cell reference": huge_cell_reference,
    "huge row number": huge_row_number,
    "billion laughs": billion_laughs,
    "14 MB CSV": big_csv,
}
"""Each hostile file by name, as the benchmark lists them."""
