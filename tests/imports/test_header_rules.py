"""Pure rules of the imports: header wording, target years in headers, Y/N cells, objectives."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.headers import Column, match_headers, normalise_header, parse_yes_no
from common.periods import FinancialYear
from services.kpi.imports.kpis import COLUMNS, target_columns
from services.projects.imports.linking import numbered
from services.projects.portfolio.rules import parse_month

_decoration = st.sampled_from(["", " ", "  ", "?", " (Y/N)", ":", "*"])


@given(st.sampled_from(list(COLUMNS)), _decoration, _decoration, st.booleans())
def test_a_field_label_is_found_whatever_its_case_spacing_and_decoration(
    column: Column, before: str, after: str, upper: bool
) -> None:
    label = column.label.upper() if upper else column.label.lower()
    header = f"{before}{label}{after}"
    assert match_headers([header], COLUMNS).positions == {column.key: 0}


@given(st.text(max_size=40))
def test_normalising_a_header_twice_changes_nothing(text: str) -> None:
    once = normalise_header(text)
    assert normalise_header(once) == once
    assert once == once.strip()
    assert "  " not in once
    assert not any("A" <= c <= "Z" for c in once)


@pytest.mark.parametrize(
    ("header", "year"),
    [
        ("Normal level/ Target 25/26", 2025),
        ("Target 2026/27", 2026),
        ("2027-28 target", 2027),
        ("Normal level / Target 27/28", 2027),
        ("2027/28", 2027),
        ("Target 26/27 (%)", 2026),
    ],
)
def test_a_target_header_names_its_financial_year(header: str, year: int) -> None:
    assert {p: y for p, (y, _) in target_columns([header]).items()} == {0: FinancialYear(year)}


@pytest.mark.parametrize(
    "header",
    [
        "Target type (flat or cumulative)",
        "Target 25/27",
        "Baseline 24/25",
        "Measure",
        "What we will deliver 2024/25",
        "Apr-25",
    ],
)
def test_headers_that_are_not_a_year_target_are_left_to_the_other_fields(header: str) -> None:
    assert target_columns([header]) == {}


@pytest.mark.parametrize(
    ("cell", "answer"),
    [("Y", True), ("yes", True), ("N", False), ("No.", False), ("", False), ("TBC", None)],
)
def test_yes_no_cells(cell: str, answer: bool | None) -> None:
    assert parse_yes_no(cell) is answer


def test_an_objective_keeps_its_number_apart_from_its_statement() -> None:
    assert numbered("12. We will review ... by 2026.") == (12, "We will review ... by 2026.")
    assert numbered("2025 plan refresh") == (None, "2025 plan refresh")


@pytest.mark.parametrize(
    ("cell", "month"),
    [
        ("July 2024", date(2024, 7, 1)),
        ("2024-07-01", date(2024, 7, 1)),
        ("01/07/2024", date(2024, 7, 1)),
        ("31.12.2025", date(2025, 12, 1)),
        ("Started in 2024", None),
        ("2024-13-01", None),
    ],
)
def test_a_date_cell_gives_its_month(cell: str, month: date | None) -> None:
    assert parse_month(cell) == month
