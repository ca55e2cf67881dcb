"""The import pages: choose a file, preview it, import it; errors beside the fields."""

import html
import re
from pathlib import Path

from fastapi.testclient import TestClient

from common.writing import write_csv
from tests.helpers import shown
from tests.imports.files import KPIS
from web.views.imports import KINDS, pack


def _hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"no hidden {name}"
    return match[1]


def _explain(api: TestClient, flag_id: str, explanation: str) -> str:
    """Explains the first version of an imported total from the budget page, and returns the
    page the browser lands on."""
    page = api.post(
        "/reconciliation-flags/explain",
        data={"flag_id": flag_id, "version": "1", "explanation": explanation, "back": "/budget"},
        follow_redirects=True,
    )
    assert page.status_code == 200, page.text
    text: str = page.text
    return text


def test_the_import_page_has_a_labelled_file_upload_and_a_choice_of_table(
    api: TestClient,
) -> None:
    page = shown(
        api,
        "/imports",
        '<label class="govuk-label govuk-label--m" for="file">',
        'type="file"',
        'enctype="multipart/form-data"',
        'value="budget-lines"',
    )
    assert page.count('name="kind"') == len(KINDS)


def test_preview_then_import_the_council_kpi_table(api: TestClient) -> None:
    preview = api.post(
        "/imports/preview",
        data={"kind": "kpis"},
        files={"file": ("kpis.csv", KPIS.read_bytes(), "text/csv")},
    )
    assert preview.status_code == 200, preview.text
    assert "Preview the import" in preview.text
    assert re.search(r"To create</dt>\s*<dd[^>]*>\s*12", preview.text)
    assert "Import 12 measures" in preview.text
    assert api.get("/api/v1/kpi/measures").json()["total"] == 0

    done = api.post(
        "/imports/commit",
        data={
            "kind": _hidden(preview.text, "kind"),
            "filename": _hidden(preview.text, "filename"),
            "content": _hidden(preview.text, "content"),
        },
    )
    assert done.status_code == 200, done.text
    assert "Import complete" in done.text
    assert "12 created" in done.text
    assert api.get("/api/v1/kpi/measures").json()["total"] == 12


def test_choosing_nothing_shows_both_errors_beside_their_fields(api: TestClient) -> None:
    page = api.post("/imports/preview", data={})
    assert page.status_code == 422
    assert "There is a problem" in page.text
    assert '<a href="#kind">Select what the file holds</a>' in page.text
    assert 'id="file-error"' in page.text
    assert 'id="kind-error"' in page.text


def test_a_file_missing_a_column_shows_the_error_and_the_mapping_step(api: TestClient) -> None:
    data = write_csv(["Item", "Unit"], [["Carers", "Number"]])
    page = api.post(
        "/imports/preview", data={"kind": "kpis"}, files={"file": ("k.csv", data, "text/csv")}
    )
    assert page.status_code == 422
    assert '<a href="#field-1">The file has no &#39;Measure&#39; column.</a>' in page.text
    assert "We read your columns as…" in page.text
    assert '<option value="title">Measure (needed)</option>' in page.text


def test_rows_with_problems_are_listed_and_cannot_be_imported(api: TestClient) -> None:
    data = write_csv(
        ["Measure", "Unit", "Better", "Frequency", "Target 25/26"],
        [["Carers", "Number", "Bigger", "Monthly", "lots"]],
    )
    page = api.post(
        "/imports/preview", data={"kind": "kpis"}, files={"file": ("k.csv", data, "text/csv")}
    )
    assert page.status_code == 200
    assert "Cannot import" in page.text
    assert "could not read &#39;lots&#39; as a number" in page.text
    assert 'action="/imports/commit"' not in page.text


def test_an_import_refused_at_commit_shows_the_rows_and_writes_nothing(api: TestClient) -> None:
    data = write_csv(
        ["Measure", "Unit", "Better", "Frequency", "Target 25/26"],
        [["Carers", "Number", "Bigger", "Monthly", "10"], ["Falls", "%", "Up", "Monthly", "x"]],
    )
    page = api.post(
        "/imports/commit",
        data={"kind": "kpis", "filename": "k.csv", "content": pack(data)},
    )
    assert page.status_code == 422
    assert '<a href="#rows">Nothing was imported: 1 row has problems to fix</a>' in page.text
    assert 'id="row-3"' in page.text
    assert api.get("/api/v1/kpi/measures").json()["total"] == 0


def test_preview_then_import_kpi_actuals(api: TestClient) -> None:
    kpis = api.post("/imports/commit", data={"kind": "kpis", "content": pack(KPIS.read_bytes())})
    assert kpis.status_code == 200, kpis.text
    code = api.get("/api/v1/kpi/measures", params={"limit": 1}).json()["items"][0]["code"]
    data = write_csv(["Code", "Month", "Actual"], [[code, "April 2025", "10"]])
    preview = api.post(
        "/imports/preview", data={"kind": "actuals"}, files={"file": ("a.csv", data, "text/csv")}
    )
    assert preview.status_code == 200, preview.text
    assert "Import 1 actual" in preview.text
    assert 'data-app-rows="1"' in preview.text  # "Importing 1 row…" while it runs, with JS
    done = api.post(
        "/imports/commit",
        data={
            "kind": "actuals",
            "filename": "a.csv",
            "content": re.findall(r'name="content" value="([^"]*)"', preview.text),
        },
    )
    assert done.status_code == 200, done.text
    assert "1 created" in done.text
    assert api.get("/api/v1/kpi/actuals").json()["total"] == 1


def test_a_long_preview_lists_rows_with_problems_first_and_says_how_many_are_listed(
    api: TestClient,
) -> None:
    rows = [[f"Measure {n}", "Number", "Bigger", "Monthly", "10"] for n in range(1, 1_201)]
    rows[-1][4] = "lots"
    data = write_csv(["Measure", "Unit", "Better", "Frequency", "Target 25/26"], rows)
    page = api.post(
        "/imports/preview", data={"kind": "kpis"}, files={"file": ("k.csv", data, "text/csv")}
    )
    assert page.status_code == 200
    assert "The first 1,000 of 1,200 rows that change or have problems are listed" in page.text
    listed = re.findall(r'<tr class="govuk-table__row" id="row-(\d+)">', page.text)
    assert len(listed) == 1_000
    assert listed[:2] == ["1201", "2"]  # the row with a problem first, then the file's order


def test_the_mapping_step_corrects_columns_the_headings_did_not_name_then_imports(
    api: TestClient,
) -> None:
    book = (Path(__file__).parent / "tables" / "budget-book-four-years.xlsx").read_bytes()
    refused = api.post(
        "/imports/preview",
        data={"kind": "budget-lines"},
        files={"file": ("budget-book.xlsx", book, "application/octet-stream")},
    )
    assert refused.status_code == 422
    assert "We read your columns as…" in refused.text
    assert '<label class="govuk-label" for="field-1">Service area</label>' in refused.text
    headings = re.findall(r'name="heading" value="([^"]*)"', refused.text)
    assert headings[0] == "Service area"
    # Each select as the page offers it, the first changed: what a person's browser sends.
    fields = re.findall(r'<option value="([^"]*)" selected>', refused.text)
    assert fields == ["service_area"] + ["each-year"] * (len(headings) - 1)
    fields[0] = "name"

    preview = api.post(
        "/imports/preview",
        data={
            "kind": "budget-lines",
            "filename": _hidden(refused.text, "filename"),
            "content": _hidden(refused.text, "content"),
            "heading": headings,
            "field": fields,
        },
    )
    assert preview.status_code == 200, preview.text
    assert "Totals that do not add up" in preview.text
    assert "stated total £152.4m; the lines add up to £151.8m" in preview.text
    assert "Import 4 budget lines" in preview.text

    done = api.post(
        "/imports/commit",
        data={
            "kind": "budget-lines",
            "filename": _hidden(preview.text, "filename"),
            "content": _hidden(preview.text, "content"),
            "mapping": html.unescape(_hidden(preview.text, "mapping")),
        },
    )
    assert done.status_code == 200, done.text
    lines = api.get("/api/v1/finance/budget-lines").json()["items"]
    assert sorted(line["name"] for line in lines)[0] == "Home care"

    # The next file with these headings is read as the person mapped this one, and says so.
    again = api.post(
        "/imports/preview",
        data={"kind": "budget-lines"},
        files={"file": ("budget-book-2.xlsx", book, "application/octet-stream")},
    )
    assert again.status_code == 200, again.text
    assert re.search(r"We used the mapping you saved on \d{1,2} [A-Z][a-z]+ 20\d\d", again.text)
    assert re.findall(r'<option value="([^"]*)" selected>', again.text) == fields
    assert "stated total £152.4m; the lines add up to £151.8m" in again.text


def test_an_imported_total_that_does_not_add_up_shows_on_the_budget_until_explained(
    api: TestClient,
) -> None:
    book = (Path(__file__).parent / "tables" / "budget-book-four-years.xlsx").read_bytes()
    imported = api.post(
        "/api/v1/finance/imports/budget-lines",
        params={"commit": "true"},
        files={"file": ("budget-book.xlsx", book)},
        data={"mapping": '{"Service area": "name"}'},
    )
    assert imported.status_code == 200, imported.text
    page = api.get("/budget")
    assert "Imported totals to check" in page.text
    assert "stated total £152.4m; the lines add up to £151.8m" in page.text
    flag_id = _hidden(page.text, "flag_id")

    assert "Say why the figures differ" in _explain(api, flag_id, " ")
    assert "Imported totals to check" not in _explain(api, flag_id, "A contingency line")
