"""Creating and changing the plan in a real browser: keyboard-only journeys, a conflict shown
and resolved, a viewer offered nothing that changes anything, and axe on every new page in its
normal and its error state."""

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from stack.testing.processes import RunningSystem
from tests import helpers
from tests.browser.conftest import axe_violations, new_tab, sign_in
from tests.browser.test_journeys import focus_is_visible, tab_to


def keyboard_fill(page: Page, element_id: str, text: str) -> None:
    """Tab to a field (never a click), replace what it holds and type `text`."""
    tab_to(page, f"el.id === '{element_id}'", limit=120)
    assert focus_is_visible(page)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def no_serious_issues(page: Page) -> None:
    assert axe_violations(page) == [], page.url
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_programme_office_creates_a_project_with_two_milestones_by_keyboard_alone(
    page: Page, live: RunningSystem
) -> None:
    """A project is asked a page at a time, then "Check your answers": a Change goes back to
    its question with everything kept, and Create adds it. Keyboard only, axe on each page."""
    sign_in(page, live, "programme.office@demo.example")
    page.goto(live.url() + "/projects")
    tab_to(page, "el.textContent.trim() === 'Add a project'")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("About the project")
    expect(page.locator(".govuk-caption-l")).to_have_text("Add a project")
    tab_to(page, "el.textContent.trim() === 'Continue'", limit=120)
    page.keyboard.press("Enter")  # nothing typed yet: the name is needed
    expect(page).to_have_title(re.compile("^Error: About the project"))
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator("#name-error")).to_contain_text("Enter the project's name")
    no_serious_issues(page)
    keyboard_fill(page, "name", "Digital front door")
    keyboard_fill(page, "sro", "Director of Adult Social Care")
    page.keyboard.press("Enter")  # Enter in a text field sends the page
    expect(page.locator("h1")).to_have_text("What it delivers")
    tab_to(page, "el.textContent.trim() === 'Continue'", limit=120)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Dates and budget")
    keyboard_fill(page, "start_month", "2026-04")
    keyboard_fill(page, "budget_amount", "100,000")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Check your answers before adding the project")
    summary = page.locator("main")
    expect(summary).to_contain_text("Director of Adult Social Care")
    expect(summary).to_contain_text("£100,000")
    no_serious_issues(page)

    tab_to(page, "el.textContent.trim() === 'Change budget'", limit=200)
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Dates and budget")
    expect(page.locator("#start_month")).to_have_value("2026-04")  # what was typed is kept
    keyboard_fill(page, "budget_amount", "120,000")
    page.keyboard.press("Enter")  # back to the summary, not on to the next page
    expect(page.locator("h1")).to_have_text("Check your answers before adding the project")
    expect(summary).to_contain_text("£120,000")
    tab_to(page, "el.textContent.trim() === 'Create project'", limit=200)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Digital front door")
    expect(page.locator("main")).to_contain_text("Director of Adult Social Care")
    project_url = page.url

    start = date.today() + timedelta(days=30)
    for title, baseline in (("Business case agreed", start), ("Go live", start + timedelta(60))):
        tab_to(page, "el.textContent.trim() === 'Add a milestone'", limit=200)
        page.keyboard.press("Enter")
        expect(page.locator("h1")).to_have_text("Add a milestone")
        keyboard_fill(page, "title", title)
        keyboard_fill(page, "baseline_date", baseline.isoformat())
        page.keyboard.press("Enter")
        expect(page.locator("#milestones")).to_contain_text(title)

    later = start + timedelta(days=74)
    tab_to(page, "el.textContent.trim() === 'Change Go live'", limit=200)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Change milestone")
    keyboard_fill(page, "forecast_date", later.isoformat())
    page.keyboard.press("Enter")
    row = page.locator("#milestones tbody tr").filter(has_text="Go live")
    expect(row).to_contain_text(f"{later.day} {later:%B %Y}")
    expect(row).to_contain_text("14 days late")
    assert page.url.startswith(project_url)

    history = page.locator("#history + .app-table-scroll")
    expect(history).to_contain_text("Milestone “Go live”: changed")
    expect(history).to_contain_text("Demo programme office (Transformation Team)")
    expect(history).to_contain_text(later.isoformat())
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_a_finance_officer_enters_the_months_forecasts_by_keyboard_alone(
    page: Page, live: RunningSystem
) -> None:
    sign_in(page, live, "finance@demo.example")
    page.goto(live.url() + "/budget")
    tab_to(page, 'el.textContent.trim() === "Enter the month\'s forecasts"')
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Enter the forecasts for")
    inputs = page.locator("input[name^='forecast-']")
    count = inputs.count()
    assert count >= 2
    ids = [inputs.nth(i).get_attribute("id") or "" for i in range(count)]
    keyboard_fill(page, ids[0], "not a number")
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(f"#{ids[0]}-error")).to_contain_text("must be an amount of money")
    no_serious_issues(page)
    for n, element_id in enumerate(ids):
        keyboard_fill(page, element_id, f"{1_000_000 + n * 1000}")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{count} forecasts saved")
    for n, element_id in enumerate(ids):  # stored, each line
        expect(page.locator(f"#{element_id}")).to_have_value(f"{1_000_000 + n * 1000}.00")
    no_serious_issues(page)


def test_finance_hands_a_savings_line_to_another_team_and_its_lead_sees_it_in_the_history(
    browser: Browser, live: RunningSystem
) -> None:
    """The owner of a savings line is finance's to change (a service lead may not hand a line
    to another team, the finance service's rule); the lead who now owns it sees who did it."""
    with new_tab(browser) as officer:
        sign_in(officer, live, "finance@demo.example")
        officer.goto(live.url() + "/savings")
        rows = officer.locator("main table tbody tr").filter(has_not_text="Commissioning Team")
        rows.first.locator("a[href^='/savings/']").first.click()
        line_url = officer.url.split("?")[0]
        officer.get_by_role("link", name="Change owner").click()
        officer.get_by_label("Owner").select_option("Commissioning Team")
        officer.get_by_role("button", name="Save", exact=True).click()
        expect(officer.locator("main")).to_contain_text("Commissioning Team")

    with new_tab(browser) as lead:
        sign_in(lead, live, "service.lead@demo.example")
        lead.goto(line_url)
        history = lead.locator("#history + .app-table-scroll")
        expect(history).to_contain_text("Demo finance officer (Client Finances Team)")
        expect(history).to_contain_text("owner team")
        expect(history).to_contain_text("→ Commissioning Team")
        # now theirs, the lead may change it, but not who owns it
        lead.get_by_role("link", name="Change delivery confidence").click()
        expect(lead.locator("#owner_team")).to_have_count(0)
        no_serious_issues(lead)


def test_a_viewer_sees_no_control_that_changes_anything(page: Page, live: RunningSystem) -> None:
    sign_in(page, live, "viewer@demo.example")
    paths = ["/", "/kpis", "/projects", "/objectives", "/improvement-plan", "/savings", "/budget"]
    page.goto(live.url() + "/projects")
    paths.append(page.locator("main table a[href^='/projects/']").first.get_attribute("href") or "")
    page.goto(live.url() + "/kpis")
    paths.append(page.locator("main a[href^='/kpis/']").first.get_attribute("href") or "")
    for path in paths:
        page.goto(live.url() + path)
        forms = page.locator("main form[method='post']")
        changes = [
            text
            for text in page.locator("main a").all_inner_texts()
            if re.match(r"^(Change|Add|Enter|Approve|Import|Write)", text.strip())
        ]
        assert forms.count() == 0, path
        assert changes == [], path
        expect(page.locator("#navigation")).not_to_contain_text("Import")


@pytest.fixture
def two_tabs(browser: Browser, live: RunningSystem) -> Iterator[tuple[Page, Page]]:
    with new_tab(browser) as first, new_tab(browser) as second:
        for tab in (first, second):
            sign_in(tab, live, "programme.office@demo.example")
        yield first, second


def test_a_change_someone_else_made_first_is_shown_beside_mine_and_mine_can_be_applied(
    two_tabs: tuple[Page, Page], live: RunningSystem
) -> None:
    first, second = two_tabs
    first.goto(live.url() + "/projects")
    edit = first.locator("main table a[href^='/projects/']").first.get_attribute("href")
    for tab in (first, second):
        tab.goto(f"{live.url()}{edit}/edit")
    first.get_by_label("Project name").fill("Theirs: renamed first")
    first.get_by_role("button", name="Save", exact=True).click()
    expect(first.locator("h1")).to_have_text("Theirs: renamed first")

    second.get_by_label("Project name").fill("Mine: renamed second")
    second.get_by_role("button", name="Save", exact=True).click()
    expect(second.locator("h1")).to_have_text(
        "Someone else changed this project since you opened it"
    )
    table = second.locator("main table")
    expect(table).to_contain_text("Theirs: renamed first")
    expect(table).to_contain_text("Mine: renamed second")
    no_serious_issues(second)
    second.get_by_label("Save my version instead of theirs").check()
    second.get_by_role("button", name="Continue").click()
    expect(second.locator("h1")).to_have_text("Mine: renamed second")


def first_record(page: Page, live: RunningSystem, list_path: str, pattern: str) -> str:
    """The address of the first record a list page links to."""
    page.goto(live.url() + list_path)
    hrefs: list[str] = page.eval_on_selector_all(
        "main a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    return next(h for h in hrefs if re.search(pattern, h))


NEW_PAGES = [*helpers.NEW_PAGES, "{project}/edit", "{measure}/edit", "{line}/edit"]
"""Every form that makes a record (the list the page tests walk), and the edit forms."""


def test_every_new_form_has_no_serious_issues_in_its_normal_and_error_states(
    page: Page, live: RunningSystem
) -> None:
    sign_in(page, live, "admin@demo.example")
    project = first_record(page, live, "/projects", r"^/projects/[0-9a-f-]{36}$")
    measure = first_record(page, live, "/kpis", r"^/kpis/[0-9a-f-]{36}$")
    line = first_record(page, live, "/savings", r"^/savings/[0-9a-f-]{36}").split("?")[0]
    for template in NEW_PAGES:
        path = template.format(
            project=project.split("/")[-1] if "?" in template else project,
            measure=measure.split("/")[-1] if "?" in template else measure,
            line=line,
        )
        response = page.goto(live.url() + path)
        assert response is not None
        assert response.status == 200, path
        expect(page.locator("h1")).to_have_count(1)
        no_serious_issues(page)
        first = page.locator("main form input.govuk-input, main form textarea").first
        first.fill("")
        for number in page.locator("main form input[inputmode='decimal']").all():
            number.fill("not a number")
        page.get_by_role("button", name=re.compile("^(Save|Continue)$")).click()
        expect(page).to_have_title(re.compile("^Error: "), timeout=10_000)
        expect(page.locator(".govuk-error-summary")).to_be_focused()
        no_serious_issues(page)
    for path in ("/budget/forecasts", "/kpis/nonexistent"):
        page.goto(live.url() + path)
        no_serious_issues(page)
