"""The safe reader: hostile files refused with a plain message; every sheet, ODS and Word tables."""

from collections.abc import Callable
from pathlib import Path

import pytest

from common.spreadsheets import UnreadableFile, read_sheet, read_table, sheet_names
from tests.imports.hostile import HOSTILE
from tests.imports.tables.make_tables import docx_plan, ods, xlsx

TABLES = Path(__file__).parent / "tables"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("zip bomb", "unpacks to 205 MB"),
        ("huge cell reference", "column 321,272,406"),
        ("huge row number", "more than 50,000 rows"),
        ("billion laughs", "declares XML entities"),
        ("14 MB CSV", "files of up to 10 MB"),
    ],
)
def test_a_hostile_file_is_refused_before_it_is_read(name: str, message: str) -> None:
    make: Callable[[], bytes] = HOSTILE[name]
    with pytest.raises(UnreadableFile, match=message):
        read_table(make(), "upload.csv" if "CSV" in name else "upload.xlsx")


def test_every_sheet_of_a_workbook_can_be_chosen_by_name_or_position() -> None:
    data = xlsx({"Notes": [["Read me"]], "Budget": [["Area", "Budget"], ["Home care", 5]]})
    assert sheet_names(data) == ["Notes", "Budget"]
    assert read_table(data, sheet="budget").rows == [["Home care", "5"]]
    assert read_table(data, sheet=1).sheet == "Budget"
    with pytest.raises(UnreadableFile, match=r"no sheet called 'Savings'.*'Notes', 'Budget'"):
        read_table(data, sheet="Savings")


def test_a_hidden_sheet_is_listed_after_the_visible_ones() -> None:
    data = xlsx({"Lookup": [["x"]], "Budget": [["Area"]]}, hidden=["Lookup"])
    assert sheet_names(data) == ["Budget", "Lookup"]


def test_an_ods_sheet_is_read_without_expanding_libreoffices_padding() -> None:
    data = ods({"Savings": [["Area", "Delivered"], ["Reablement", "£1.2 million"]]})
    assert read_table(data, "savings.ods").rows == [["Reablement", "£1.2 million"]]


def test_an_ods_that_repeats_a_value_past_the_limits_is_refused() -> None:
    data = ods(
        {"S": [["Area"]]},
        extra='<table:table-row><table:table-cell table:number-columns-repeated="5000" '
        'office:value-type="float" office:value="1"/></table:table-row>',
    )
    with pytest.raises(UnreadableFile, match="column 5,000"):
        read_table(data, "s.ods")


def test_each_table_of_a_word_document_is_a_sheet_named_by_its_heading() -> None:
    data = docx_plan(
        [
            ("heading", "Measuring success"),
            ("table", [["Objective", "Activity"], ["Independence", "Reablement"]]),
            ("table", [["Title", "Lead"], ["Front door", "Digital team"]]),
        ]
    )
    assert sheet_names(data, "plan.docx") == ["Measuring success", "Title"]
    assert read_table(data, "plan.docx", sheet="Title").rows == [["Front door", "Digital team"]]


def test_the_corpus_files_read_with_their_titles_kept_for_shape_detection() -> None:
    book = (TABLES / "budget-book-four-years.xlsx").read_bytes()
    assert read_sheet(book, sheet="Budget").rows[3][1] == "Budget 2024/25 £m"
    assert read_sheet(book, sheet="Budget").rows[5] == [
        "Residential care",
        "52.3",
        "54.1",
        "55.8",
        "57.2",
    ]
