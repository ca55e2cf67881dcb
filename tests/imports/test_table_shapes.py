"""Shapes of published tables: header rows, sections, totals reconciled, years and months."""

from decimal import Decimal
from pathlib import Path

import pytest

from common.periods import FinancialYear
from common.shapes import (
    age_band,
    classify_rows,
    find_header,
    is_total_label,
    month_of,
    year_columns,
    year_of,
)
from common.spreadsheets import read_sheet

TABLES = Path(__file__).parent / "tables"


@pytest.mark.parametrize(
    ("heading", "year"),
    [
        ("2024/25", 2024),
        ("14/15", 2014),
        ("2025-26", 2025),
        ("Budget 2026/27 £m", 2026),
        ("FY2025/26", 2025),
        ("Target 25/27", None),
        ("18-64", None),
        ("Measure", None),
    ],
)
def test_a_heading_names_its_financial_year(heading: str, year: int | None) -> None:
    assert year_of(heading) == (FinancialYear(year) if year else None)


@pytest.mark.parametrize("heading", ["Apr-25", "April 2025", "2025-04", "apr 25"])
def test_a_heading_names_its_month(heading: str) -> None:
    assert month_of(heading) == (2025, 4)


@pytest.mark.parametrize(
    ("label", "total"),
    [
        ("Total", True),
        ("Sub-total", True),
        ("Grand total", True),
        ("Net total", True),
        ("Subtotal older people", True),
        ("Total Transport", True),
        ("Totally Local", False),
    ],
)
def test_total_labels(label: str, total: bool) -> None:
    assert is_total_label(label) is total


def test_an_age_band_is_read_from_a_title() -> None:
    assert age_band("people aged 65+ at home") == "65+"
    assert age_band("admissions aged 18-64") == "18-64"
    assert age_band("Target 25/27") is None


def test_two_header_rows_merge_and_a_title_above_is_skipped() -> None:
    rows = [
        ["Savings plan"],
        ["Area", "Budget", "", "Savings"],
        ["", "2025/26", "2026/27", "£k"],
        ["Home care", "1", "2", "3"],
    ]
    header = find_header(rows)
    assert header.rows == (2, 3)
    assert header.headings == ["Area", "Budget 2025/26", "Budget 2026/27", "Savings £k"]
    assert year_columns(header.headings) == {1: FinancialYear(2025), 2: FinancialYear(2026)}


def test_the_budget_book_has_sections_totals_and_a_grand_total_that_does_not_reconcile() -> None:
    sheet = read_sheet((TABLES / "budget-book-four-years.xlsx").read_bytes(), sheet="Budget")
    header = find_header(sheet.rows)
    body = [(n, r) for n, r in enumerate(sheet.rows, start=1) if n > 4 and any(r)]
    shape = classify_rows(header.headings, body, [1, 2, 3, 4])
    assert shape.sections == [5, 9]
    assert shape.totals == [8, 12, 13]
    assert [(n, section) for n, _, section in shape.lines] == [
        (6, "Older people"),
        (7, "Older people"),
        (10, "Working-age adults"),
        (11, "Working-age adults"),
    ]
    (flag,) = shape.reconciliations
    assert flag.row == 13
    assert flag.columns == ["Budget 2026/27 £m", "Budget 2027/28 £m"]
    assert flag.difference("Budget 2027/28 £m") == Decimal("700000.0")
    assert "stated total £157.3m; the lines add up to £156.6m" in flag.message()


def test_a_row_equal_to_the_sum_of_the_lines_above_is_a_total_without_a_label() -> None:
    rows = [(2, ["A", "1"]), (3, ["B", "2"]), (4, ["", "3"])]
    shape = classify_rows(["Area", "£"], rows, [1])
    assert shape.totals == [4]
    assert shape.reconciliations == []


def test_every_row_of_a_one_column_table_is_a_line_not_a_section_heading() -> None:
    rows = [(2, ["Reablement"]), (3, ["Home care review"])]
    shape = classify_rows(["Project name"], rows, [])
    assert [number for number, _, _ in shape.lines] == [2, 3]
    assert shape.sections == []


def test_the_savings_total_that_does_not_reconcile_is_reported_in_pounds() -> None:
    sheet = read_sheet((TABLES / "savings-achieved-by-area.ods").read_bytes(), "s.ods")
    header = find_header(sheet.rows)
    body = [(n, r) for n, r in enumerate(sheet.rows, start=1) if n > 2 and any(r)]
    (flag,) = classify_rows(header.headings, body, [1, 2]).reconciliations
    assert flag.columns == ["Savings delivered"]
    assert flag.stated["Savings delivered"] == Decimal("5100000")
    assert flag.lines["Savings delivered"] == Decimal("4850000")
    assert "stated total £5.1m; the lines add up to £4.85m" in flag.message()


def test_a_named_line_whose_figure_equals_the_lines_above_is_still_a_line() -> None:
    rows = [(2, ["Reviews", "100"]), (3, ["Transport", "200"]), (4, ["Home care", "300"])]
    shape = classify_rows(["Saving", "Target £"], rows, [1])
    assert [number for number, _, _ in shape.lines] == [2, 3, 4]
    assert shape.totals == []


def test_a_row_of_figures_alone_that_adds_up_the_lines_above_is_a_total() -> None:
    rows = [(2, ["Reviews", "100"]), (3, ["Transport", "200"]), (4, ["", "300"])]
    shape = classify_rows(["Saving", "Target £"], rows, [1])
    assert shape.totals == [4]
    assert shape.reconciliations == []


def test_totals_by_type_then_a_grand_total_are_totals_not_lines() -> None:
    """The savings export's layout: lines of two types, a "Total <type>" row for each, then
    "Total" for everything."""
    rows = [
        (2, ["SAV-1", "Reviews", "Cashable saving", "100"]),
        (3, ["SAV-2", "Transport", "Cost avoidance", "200"]),
        (4, ["SAV-3", "Home care", "Cashable saving", "300"]),
        (5, ["Total cashable saving", "2 lines", "Cashable saving", "400"]),
        (6, ["Total cost avoidance", "1 lines", "Cost avoidance", "200"]),
        (7, ["Total non-cashable", "0 lines", "Non-cashable", "0"]),
        (8, ["Total", "3 lines", "", "600"]),
    ]
    shape = classify_rows(["Ref", "Title", "Type", "Target £"], rows, [3])
    assert [number for number, _, _ in shape.lines] == [2, 3, 4]
    assert shape.totals == [5, 6, 7, 8]
    assert shape.reconciliations == []


def test_a_total_row_that_does_not_name_its_group_is_a_line() -> None:
    rows = [
        (2, ["SAV-1", "Reviews", "Operations", "100"]),
        (3, ["SAV-2", "Transport", "Finance", "200"]),
        (4, ["Total transport review", "Operations", "100"]),
    ]
    shape = classify_rows(["Ref", "Title", "Owner", "Target £"], rows, [3])
    assert [number for number, _, _ in shape.lines] == [2, 3, 4]
