"""Reading and writing spreadsheets: CSV encodings, XLSX parts, and the wording of headers."""

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.headers import Column, match_headers
from common.spreadsheets import UnreadableFile, read_sheet, read_table
from common.writing import Cell, write_csv, write_xlsx
from tests.imports.hostile import CONTENT_TYPES, ROOT_RELS
from tests.imports.tables.make_tables import xlsx

KPI_COLUMNS = [
    Column("title", "Measure", ("KPI", "Measure title"), required=True),
    Column("polarity", "Better", ("Polarity", "Better bigger or smaller")),
    Column("frequency", "Frequency", ("How often",)),
    Column("target_type", "Target type", ()),
    Column("council_plan", "Council Plan", ("Council Plan KPI",)),
    Column("data_provider", "Data provider", ()),
]


def test_a_csv_with_a_byte_order_mark_reads_its_first_header_cleanly() -> None:
    table = read_table("\ufeffMeasure,Unit\r\nCarers,Number\r\n".encode())
    assert table.headers == ["Measure", "Unit"]
    assert table.rows == [["Carers", "Number"]]
    assert table.row_numbers == [2]


def test_a_windows_1252_csv_keeps_its_pound_signs_and_curly_quotes() -> None:
    table = read_table("Budget,Note\n£200k,carer\u2019s\n".encode("cp1252"))
    assert table.rows == [["£200k", "carer\u2019s"]]


def test_blank_rows_are_skipped_but_rows_keep_their_spreadsheet_numbers() -> None:
    table = read_table(b"Measure\n\nA\n,\nB\n")
    assert table.rows == [["A"], ["B"]]
    assert table.row_numbers == [3, 5]


def test_short_rows_are_padded_to_the_header_width() -> None:
    assert read_table(b"A,B,C\n1\n").rows == [["1", "", ""]]


def test_a_semicolon_separated_file_is_read_by_its_separator() -> None:
    assert read_table(b"Measure;Unit\nCarers;%\n").rows == [["Carers", "%"]]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "chart.png", "not a CSV file or a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old.xls", "old Office"),
        (b"Measure,Unit\n", "table.xlsx", "not an Excel workbook"),
        (b"PK\x03\x04garbage", "table.xlsx", "damaged"),
        (b"", "empty.csv", "empty"),
    ],
)
def test_a_file_that_is_not_a_table_is_refused_with_the_reason(
    data: bytes, name: str, message: str
) -> None:
    with pytest.raises(UnreadableFile, match=message):
        read_table(data, name)


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UnreadableFile, match="not an Excel, OpenDocument or Word file"):
        read_table(out.getvalue(), "upload.xlsx")


def test_xlsx_round_trip_keeps_text_numbers_and_empty_cells() -> None:
    rows: list[list[Cell]] = [
        ["Carers supported", Decimal("5.25"), 752, None, "£376k reduction"],
        ["  leading space", "", Decimal("0.1"), "a < b & c", "Y"],
    ]
    data = write_xlsx(["Measure", "Target", "Count", "Blank", "Note"], rows, sheet="KPIs")
    table = read_table(data, "kpis.xlsx")
    assert table.headers == ["Measure", "Target", "Count", "Blank", "Note"]
    assert table.rows == [
        ["Carers supported", "5.25", "752", "", "£376k reduction"],
        ["leading space", "", "0.1", "a < b & c", "Y"],
    ]


def test_xlsx_with_shared_strings_and_sparse_cells_is_read_by_cell_reference() -> None:
    out = io.BytesIO()
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Plan" sheetId="1" r:id="rId7"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId7" Target="worksheets/plan.xml" Type="{rel}/worksheet"/>'
            "</Relationships>",
        )
        book.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="{main}"><si><t>Measure</t></si><si><r><t>Tar</t></r><r><t>get</t></r>'
            "</si><si><t>Carers</t></si></sst>",
        )
        book.writestr(
            "xl/worksheets/plan.xml",
            f'<worksheet xmlns="{main}"><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>'
            '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="C3"><v>5.0000000000000009</v></c></row>'
            "</sheetData></worksheet>",
        )
    table = read_table(out.getvalue())
    assert table.headers == ["Measure", "", "Target"]
    # A number is read as Excel shows it, to 15 significant digits: a sum that floating point
    # leaves at 5.000000000000001 is the 5 the person sees (and pays).
    assert table.rows == [["Carers", "", "5"]]
    assert table.row_numbers == [3]


def test_xlsx_date_cells_are_read_as_iso_dates_and_other_numbers_as_numbers() -> None:
    data = xlsx({"P": [["Start"], [date(2024, 7, 1), date(2025, 1, 1), 45474]]})
    assert read_table(data).rows == [["2024-07-01"]]
    assert read_sheet(data).rows[1] == ["2024-07-01", "2025-01-01", "45474"]


def test_csv_written_opens_in_excel_as_utf8_and_reads_back() -> None:
    data = write_csv(["Budget"], [["£1.3m over two years"], [None]])
    assert data.startswith("\ufeff".encode())
    assert read_table(data).rows == [["£1.3m over two years"]]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Better (bigger or smaller)", "polarity"),
        ("Frequency (monthly, quarterly)", "frequency"),
        ("Target type (flat or cumulative)", "target_type"),
        ("Council Plan KPI (Y/N)", "council_plan"),
        ("DATA  PROVIDER", "data_provider"),
        ("measure", "title"),
    ],
)
def test_council_header_wording_matches_the_field(header: str, field: str) -> None:
    assert match_headers([header], KPI_COLUMNS).positions == {field: 0}


def test_missing_required_and_unknown_headers_are_reported() -> None:
    match = match_headers(["Unit", "Frequency"], KPI_COLUMNS)
    assert [c.key for c in match.missing] == ["title"]
    assert match.unmatched == ["Unit"]


def test_each_header_is_matched_to_one_field_only() -> None:
    columns = [
        Column("council_plan", "Council plan objective", ("Council plan",)),
        Column("statement", "Objective", ("Objectives",)),
    ]
    match = match_headers(["Objectives", "Council Plan objective? (Y/N)"], columns)
    assert match.positions == {"statement": 0, "council_plan": 1}


_cell = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).map(
    str.strip
)


@given(st.lists(st.lists(_cell, min_size=3, max_size=3), min_size=1, max_size=6))
def test_any_text_survives_an_xlsx_and_a_csv_round_trip(rows: list[list[str]]) -> None:
    headers = ["A", "B", "C"]
    kept = [r for r in rows if any(r)]
    for data in (write_xlsx(headers, rows), write_csv(headers, rows)):
        table = read_table(data)
        assert table.headers == headers
        assert table.rows == kept


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "=1", "'=1"],
)
def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_guarded(text: str) -> None:
    data = write_csv(["Note"], [[text]])
    line = data.decode("utf-8-sig").split("\r\n", 1)[1]
    cell = next(csv.reader([line]))[0]
    assert cell.startswith("'")
    assert cell[1:] == text  # and nothing else changed


@pytest.mark.parametrize("number", ["-5", "-1234.50", "+7", "0.25", Decimal("-50000.00"), 12])
def test_csv_numbers_are_written_plain_even_when_negative(number: Cell) -> None:
    data = write_csv(["Amount"], [[number]])
    assert data.decode("utf-8-sig") == f"Amount\r\n{number}\r\n"


def test_guarded_csv_cells_read_back_as_they_were_written() -> None:
    texts = ["=1+1", "'=1", "''@x", "'plain", "-", "-3"]
    assert read_table(write_csv(["A"], [[t] for t in texts])).rows == [[t] for t in texts]


def test_xlsx_writes_dates_as_date_cells_and_money_as_numbers() -> None:
    data = write_xlsx(
        ["Due", "Target (£)", "Note"],
        [[date(2025, 4, 7), Decimal("376000.50"), "=1+1"]],
        formats=["", "money"],
    )
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="A2" s="2"><v>45754</v></c>' in sheet
    assert '<c r="B2" s="3"><v>376000.50</v></c>' in sheet
    # XLSX text is never a formula: it is stored as it was typed.
    assert read_table(data).rows == [["2025-04-07", "376000.5", "=1+1"]]
