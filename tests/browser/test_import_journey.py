"""Importing a large table in a real browser: the upload's progress is shown as a bar and in words,
then "Checking N rows…" while the preview runs; the preview arrives in place with focus on its
heading, and the import goes through from the preview's form (the file carried in chunks)."""

import re
import secrets
from pathlib import Path

from playwright.sync_api import Page, expect

from common.writing import write_csv
from stack.testing.processes import RunningSystem
from tests.browser.conftest import axe_violations, settled, sign_in

ROWS = 3_000
WATCH_STATUS = """() => {
  window.importStatuses = [];
  window.importProgress = [];
  const status = document.querySelector("[data-app-upload-status]");
  new MutationObserver(() => window.importStatuses.push(status.textContent))
    .observe(status, { childList: true, characterData: true, subtree: true });
  const bar = document.querySelector("#upload-progress");
  new MutationObserver(() => window.importProgress.push(bar.value))
    .observe(bar, { attributes: true, childList: true, subtree: true });
}"""


def test_a_large_table_uploads_with_progress_previews_and_imports(
    page: Page, live: RunningSystem, tmp_path: Path
) -> None:
    table = tmp_path / "large-kpis.csv"
    table.write_bytes(
        write_csv(
            ["Measure", "Definition", "Unit", "Better", "Frequency", "Target 25/26"],
            [
                [
                    f"Imported measure {n}",
                    secrets.token_hex(1000),
                    "Number",
                    "Bigger",
                    "Monthly",
                    "9",
                ]
                for n in range(1, ROWS + 1)
            ],
        )
    )
    assert table.stat().st_size > 5 * 1024 * 1024  # over the body limit of other requests
    sign_in(page, live, "programme.office@demo.example")
    page.goto(live.url() + "/imports")
    page.get_by_label("KPIs: the service plan KPI table").check()
    page.get_by_label("Upload a file").set_input_files(str(table))
    page.evaluate(WATCH_STATUS)
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Preview the import", timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    expect(page).to_have_title(re.compile("^Preview the import"))
    assert page.url.endswith("/imports")  # swapped in place by htmx, not a page load
    statuses = page.evaluate("window.importStatuses")
    # In words: the upload starting, each quarter uploaded (on loopback there may be none), then
    # the server reading the rows.
    assert statuses[0] == "Uploading the file", statuses
    assert all(re.fullmatch(r"Uploaded \d+%", s) for s in statuses[1:-1]), statuses
    assert statuses[-1] == "Checking 3,000 rows…", statuses
    assert page.evaluate("window.importProgress")[-1] == 100
    expect(page.locator("#counts")).to_contain_text("3000")
    assert axe_violations(page) == []

    page.get_by_role("button", name=f"Import {ROWS} measures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import complete", timeout=60_000)
    expect(page.locator(".govuk-panel__body")).to_contain_text(f"{ROWS} created")
    expect(page).to_have_title(re.compile("^Import complete"))
    assert page.csp_violations == []  # type: ignore[attr-defined]


BOOK = Path(__file__).resolve().parents[1] / "imports" / "tables" / "budget-book-four-years.xlsx"
FLAG = "stated total £152.4m; the lines add up to £151.8m; difference £600k"


def test_a_table_whose_headings_do_not_match_is_mapped_previewed_imported_and_its_total_flagged(
    page: Page, live: RunningSystem
) -> None:
    sign_in(page, live, "finance@demo.example")
    page.goto(live.url() + "/imports")
    page.get_by_label("Budget lines: the budget monitoring sheet with monthly forecasts").check()
    page.get_by_label("Upload a file").set_input_files(str(BOOK))
    page.get_by_role("button", name="Preview").click()

    # Refused for a missing column, in place, with the mapping step to fix it.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The file has no 'Budget line' column.", timeout=60_000)
    expect(summary).to_be_focused()
    expect(page.get_by_role("heading", name="We read your columns as…")).to_be_visible()
    expect(page.get_by_label("Budget 2026/27 £m")).to_have_value("each-year")
    assert axe_violations(page) == []

    # Two columns changed from the keyboard: "Service area" up one to "Budget line", and the
    # first year's column to its last choice, "not imported".
    settled(page)
    page.get_by_label("Service area").focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Tab")
    page.keyboard.press("End")
    expect(page.get_by_label("Service area")).to_have_value("name")
    expect(page.get_by_label("Budget 2024/25 £m")).to_have_value("not-imported")
    page.get_by_role("button", name="Check the preview with these columns").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Preview the import", timeout=60_000)
    expect(page.get_by_role("heading", name="Totals that do not add up")).to_be_visible()
    expect(page.locator("#reconciliations + p + ul")).to_contain_text(FLAG)
    expect(page.get_by_label("Service area")).to_have_value("name")
    expect(page.get_by_label("Budget 2024/25 £m")).to_have_value("not-imported")
    assert axe_violations(page) == []

    settled(page)
    page.get_by_role("button", name="Import 4 budget lines").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import complete", timeout=60_000)
    assert axe_violations(page) == []

    page.goto(live.url() + "/budget")
    banner = page.get_by_role("region", name="Imported totals to check")
    expect(banner).to_contain_text("budget-book-four-years.xlsx")
    expect(banner).to_contain_text(FLAG)
    assert axe_violations(page) == []

    # Explained with a note, from the keyboard: the banner goes.
    page.get_by_label("Why the figures differ").focus()
    page.keyboard.type("The grand total includes a £0.6m contingency line.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("region", name="Imported totals to check")).to_have_count(0)

    # The next file with these headings is read with the mapping the import saved.
    page.goto(live.url() + "/imports")
    page.get_by_label("Budget lines: the budget monitoring sheet with monthly forecasts").check()
    page.get_by_label("Upload a file").set_input_files(str(BOOK))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#saved-mapping")).to_contain_text(
        "We used the mapping you saved on", timeout=60_000
    )
    expect(page.get_by_label("Service area")).to_have_value("name")
    assert axe_violations(page) == []
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_a_wrong_file_an_empty_file_and_a_bad_cell_each_show_their_message(
    page: Page, live: RunningSystem, tmp_path: Path
) -> None:
    wrong, empty, bad = tmp_path / "plan.pdf", tmp_path / "empty.csv", tmp_path / "bad.csv"
    wrong.write_bytes(b"%PDF-1.7\x00\x01binary")
    empty.write_bytes(b"")
    bad.write_bytes(write_csv(["Budget line", "Budget 2025/26"], [["Home care", "twelve"]]))
    sign_in(page, live, "finance@demo.example")
    for file, message in (
        (wrong, "is not a CSV file or a spreadsheet"),
        (empty, "Select a CSV or Excel (.xlsx) file"),
        (bad, "is not an amount of money"),
    ):
        page.goto(live.url() + "/imports")
        page.get_by_label(
            "Budget lines: the budget monitoring sheet with monthly forecasts"
        ).check()
        page.get_by_label("Upload a file").set_input_files(str(file))
        page.get_by_role("button", name="Preview").click()
        expect(page.locator("#main-content")).to_contain_text(message, timeout=60_000)
        assert axe_violations(page) == []
