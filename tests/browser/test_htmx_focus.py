"""Where focus goes, and what is said, after every htmx action, by keyboard alone (WCAG 2.4.3,
4.1.3): one rule in web/static/app.js for every swap, and one polite live region (#app-status)
in the base layout that htmx never replaces. Also text at 200% on the trackers (1.4.4)."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from stack.testing.processes import RunningSystem
from tests.browser.conftest import axe_violations, savings_entry, settled, sign_in
from tests.browser.test_journeys import focus_is_visible, focused, tab_to

STATUS = "#app-status"


def said(page: Page) -> str:
    """What the one live region says now (it is filled a moment after each action)."""
    return page.locator(STATUS).inner_text()


def screenshot(page: Page, name: str) -> None:
    """Screenshots at 320 and 1280 px for a person to look at, when A11Y_SCREENSHOTS names a
    folder (never committed)."""
    folder = os.environ.get("A11Y_SCREENSHOTS")
    if not folder:
        return
    size = page.viewport_size
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    if size:
        page.set_viewport_size(size)


def test_the_live_region_is_one_and_outside_every_swapped_fragment(
    page: Page, live: RunningSystem
) -> None:
    sign_in(page, live, "programme.office@demo.example")
    for path in ("/kpis", "/projects", "/savings", "/budget"):
        page.goto(live.url() + path)
        assert page.locator("[aria-live]").count() == 1, path
        assert page.locator(f"main {STATUS}, [hx-target] {STATUS}").count() == 0


def test_milestone_and_rag_edits_by_keyboard_move_focus_and_say_what_was_saved(
    page: Page, live: RunningSystem
) -> None:
    sign_in(page, live, "programme.office@demo.example")
    page.goto(live.url() + "/projects")
    page.locator("main table a[href^='/projects/']").first.click()
    page.wait_for_load_state("networkidle")
    project_url = page.url
    row = page.locator("#milestones tbody tr").filter(has_text="Not yet").first
    title = row.locator("th").inner_text()
    change = row.get_by_role("link", name=re.compile("^Change"))
    href = change.get_attribute("href")

    # A milestone's dates are changed on its own form page (web/forms.py), not inline.
    tab_to(page, f"el.getAttribute('href') === '{href}'")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Change milestone")
    tab_to(page, "el.name === 'forecast_date'")
    assert focus_is_visible(page)
    page.keyboard.press("Control+A")
    page.keyboard.type("0015-06-30")  # a year nobody means
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator("#forecast_date-error")).to_contain_text(
        "Enter a date between 2000 and 2100"
    )
    expect(page.locator("#forecast_date")).to_have_value("0015-06-30")  # kept, to be corrected
    settled(page)
    tab_to(page, "el.name === 'forecast_date'")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.press("Enter")  # blank: back to the baseline, saved
    expect(page).to_have_url(re.compile(re.escape(project_url.split("#")[0]) + "#milestones$"))
    saved = page.locator("#milestones tbody tr").filter(has_text=title).first
    expect(saved).to_contain_text("As baseline")

    change_rag = page.get_by_role("link", name="Change overall RAG status")
    tab_to(page, "el.getAttribute('href') && el.getAttribute('href').endsWith('/rag/edit')")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Overall RAG status")).to_be_focused()
    settled(page)
    page.get_by_label("Overall RAG status").select_option("amber")
    page.get_by_label("Reason").fill("Two posts are vacant.")
    page.get_by_label("Reason").focus()
    tab_to(page, "el.textContent.trim() === 'Save status'")
    page.keyboard.press("Enter")
    expect(change_rag).to_be_focused()
    expect(page.locator(STATUS)).to_have_text("Overall RAG status saved")
    assert axe_violations(page) == []
    screenshot(page, "project")
    assert page.csp_violations == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("path", "results"),
    [
        ("/kpis", "#kpi-results"),
        ("/projects", "#projects-results"),
        ("/savings", "#savings-results"),
    ],
)
def test_sorting_and_filtering_keep_focus_on_the_control_and_say_the_count(
    page: Page, live: RunningSystem, path: str, results: str
) -> None:
    sign_in(page, live, "programme.office@demo.example")
    page.goto(live.url() + path)
    page.wait_for_load_state("networkidle")
    sort = page.locator(f"{results} thead a").nth(1)
    sort_id = sort.get_attribute("id")
    assert sort_id
    before = said(page)
    tab_to(page, f"el.id === '{sort_id}'")
    with page.expect_response(lambda r: "sort=" in r.url):
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page.locator(f"#{sort_id}")).to_be_focused()  # the same control, in the new table
    expect(page.locator(f"#{sort_id}").locator("xpath=..")).to_have_attribute(
        "aria-sort", re.compile("ascending|descending")
    )
    expect(page.locator(STATUS)).not_to_have_text(before)
    expect(page.locator(STATUS)).to_have_text(re.compile(r"\d+ (measures?|projects?|lines?)\b"))
    page.keyboard.press("Tab")  # the next Tab goes on through the table, not to the footer
    assert not focused(page, "!!el.closest('footer')")

    select = page.locator("form[hx-get] select").first
    select_id = select.get_attribute("id")
    tab_to(page, f"el.id === '{select_id}'", limit=200)
    with page.expect_response(lambda r: r.url.startswith(live.url() + path)):
        page.keyboard.press("ArrowDown")  # a filter changes on its own (hx-trigger="change")
    page.wait_for_load_state("networkidle")
    expect(page.locator(f"#{select_id}")).to_be_focused()
    expect(page.locator(STATUS)).to_have_text(re.compile(r"\d"))
    assert axe_violations(page) == []
    screenshot(page, path.strip("/"))


def test_savings_entry_saved_by_keyboard_focuses_its_banner_and_says_so(
    page: Page, live: RunningSystem
) -> None:
    form = savings_entry(page, live)
    achieved = form.locator("input[name='achieved_to_date']")
    achieved_id = achieved.get_attribute("id")
    tab_to(page, f"el.id === '{achieved_id}'")
    page.keyboard.press("Control+A")
    page.keyboard.type("1,000")
    # This month may have no return yet, so its form starts empty: the forecast is needed too.
    forecast_id = form.locator("input[name='forecast_for_year']").get_attribute("id")
    tab_to(page, f"el.id === '{forecast_id}'")
    page.keyboard.press("Control+A")
    page.keyboard.type("2,000")
    page.keyboard.press("Enter")
    banner = page.locator("form.app-entry").first.locator(".govuk-notification-banner")
    expect(banner).to_be_focused()
    expect(page.locator(STATUS)).to_have_text(re.compile("^Saved the .* return for "))
    assert page.locator("[role='alert']").count() == 0  # said once, by the live region
    assert axe_violations(page) == []


def test_an_import_preview_arrives_in_place_with_focus_on_its_heading(
    page: Page, live: RunningSystem, tmp_path: Path
) -> None:
    table = tmp_path / "kpis.csv"
    table.write_text(
        "Measure,Definition,Unit,Better,Frequency,Target 25/26\n"
        "Focus test measure,Counted monthly,Number,Bigger,Monthly,9\n"
    )
    sign_in(page, live, "programme.office@demo.example")
    page.goto(live.url() + "/imports")
    page.get_by_label("KPIs: the service plan KPI table").check()
    page.get_by_label("Upload a file").set_input_files(str(table))
    page.get_by_role("button", name="Preview").focus()
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Preview the import", timeout=30_000)
    expect(heading).to_be_focused()
    assert page.url.endswith("/imports")
    settled(page)
    page.get_by_role("button", name=re.compile("^Import ")).focus()
    page.keyboard.press("Enter")
    expect(heading).to_have_text("Import complete", timeout=30_000)
    expect(heading).to_be_focused()


OVERLAPS = """(selector) => {
  const boxes = [...document.querySelectorAll(selector)]
    .filter((el) => el.offsetParent !== null)
    .map((el) => [el, el.getBoundingClientRect()]);
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const [el, box] of boxes) {
    if (box.right > width + 1 || box.left < -1) found.push(`${el.id || el.tagName} is off screen`);
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, p] = boxes[i];
      const [b, q] = boxes[j];
      if (a.contains(b) || b.contains(a)) continue;
      const across = p.left < q.right - 1 && q.left < p.right - 1;
      if (across && p.top < q.bottom - 1 && q.top < p.bottom - 1) {
        found.push(`${a.id || a.textContent.trim()} overlaps ${b.id || b.textContent.trim()}`);
      }
    }
  }
  return found;
}"""


@pytest.mark.parametrize("path", ["/kpis", "/projects", "/savings"])
@pytest.mark.parametrize("width", [1280, 640])
def test_tracker_filters_at_200_percent_text_do_not_overlap(
    page: Page, live: RunningSystem, path: str, width: int
) -> None:
    sign_in(page, live, "programme.office@demo.example")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live.url() + path)
    page.wait_for_load_state("networkidle")
    # Text resized to 200% (as a browser's text-size setting does): GOV.UK Frontend sizes in rem.
    label = page.locator("form[hx-get] label").first
    before = float(label.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)"))
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    after = float(label.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)"))
    assert after >= 2 * before - 1  # the text really is twice the size
    controls = "form[hx-get] :is(select, input:not([type=hidden]), button, label)"
    assert page.evaluate(OVERLAPS, controls) == []
    if width == 1280:
        screenshot(page, f"{path.strip('/')}-200pc")
