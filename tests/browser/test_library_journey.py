"""Learning from other councils, in a real browser: a savings line shows the working of its
benefit and what other councils saved on its theme; the savings library filters by theme; and
the national measure library adopts measures with checkboxes. axe finds no serious issue."""

from typing import Any

from playwright.sync_api import Browser, Page, expect

from stack.testing.processes import RunningSystem
from tests.browser.conftest import axe_violations, settled, sign_in
from tests.browser.test_tasks_journey import csrf_token

ANNEX = (
    '"Savings achieved by area, 2023/24"\n'
    "Council,Area,Savings achieved,Status,Page,Adult population\n"
    "Northfield,Review of care packages,£2.1 million,on target,14,312456\n"
    'Northfield,Assistive technology,"£412,350",over-performed,14,312456\n'
    "Eastmoor,Care package reviews,£0.75m,less successful,15,\n"
)


def publish_an_annex(browser: Browser, live: RunningSystem) -> None:
    """As the platform administrator, through the API with the session's CSRF token."""
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live, "platform@demo.example")
    response = page.request.post(
        live.url() + "/api/v1/finance/library/published-tables/import?commit=true",
        multipart={
            "file": {"name": "annex.csv", "mimeType": "text/csv", "buffer": ANNEX.encode()},
            "source_document": "Savings annex 2024",
        },
        headers={"X-CSRF-Token": csrf_token(page)},
    )
    assert response.ok, response.text()
    context.close()


def a_line_with_its_working(page: Page, live: RunningSystem) -> str:
    headers = {"X-CSRF-Token": csrf_token(page)}
    api = live.url() + "/api/v1/finance"
    line: dict[str, Any] = {
        "reference": "LIB-1",
        "title": "Strengths-based reviews of home care packages",
        "category": "care_package_reviews",
        "targets": [{"financial_year": "2025/26", "in_year": "130000"}],
    }
    created = page.request.post(f"{api}/savings-lines", data=line, headers=headers)
    assert created.ok, created.text()
    line_id: str = created.json()["id"]
    benefit = {
        "method": "people_weeks",
        "inputs": {
            "people": {"planned": "120", "actual": "45"},
            "weekly_difference": {"planned": "28.40"},
            "weeks": {"planned": "38.1"},
        },
    }
    put = page.request.put(f"{api}/savings-lines/{line_id}/benefit", data=benefit, headers=headers)
    assert put.ok, put.text()
    return line_id


def test_a_line_shows_its_working_and_other_councils_savings_on_its_theme(
    page: Page, browser: Browser, live: RunningSystem
) -> None:
    publish_an_annex(browser, live)
    sign_in(page, live, "admin@demo.example")
    line_id = a_line_with_its_working(page, live)

    page.goto(live.url() + f"/savings/{line_id}")
    working = page.locator(".app-working")
    expect(working.nth(0)).to_have_text("120 people × £28.40 a week × 38.1 weeks = £129,844.80")
    expect(working.nth(1)).to_have_text("45 people × £28.40 a week × 38.1 weeks = £48,691.80")
    expect(page.get_by_role("row", name="People")).to_contain_text("45")
    expect(page.locator("#peers")).to_have_text("What other councils saved on care package reviews")
    expect(page.get_by_text("Northfield, 2023/24: Review of care packages")).to_contain_text(
        "£2,100,000.00 achieved"
    )
    assert axe_violations(page) == [], "the savings line has no serious accessibility issue"

    page.get_by_role(
        "link", name="See every council\u2019s savings on care package reviews"
    ).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=2, name="Care package reviews")).to_be_visible()
    page.get_by_label("Theme").select_option(label="Technology-enabled care")
    settled(page)
    expect(page.get_by_role("heading", level=2, name="Technology-enabled care")).to_be_visible()
    totals = page.get_by_role("row", name="Northfield")
    expect(totals.first).to_contain_text("£412,350.00")
    expect(totals.first).to_contain_text("£1.32")  # 412,350 / 312,456 adults
    expect(page.get_by_role("link", name="Download CSV")).to_have_attribute(
        "href", "/savings-library?format=csv"
    )
    assert axe_violations(page) == [], "the savings library has no serious accessibility issue"
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_measures_are_adopted_from_the_national_library_with_checkboxes(
    page: Page, live: RunningSystem
) -> None:
    sign_in(page, live, "admin@demo.example")
    page.goto(live.url() + "/measure-library")
    page.get_by_role("button", name="Adopt selected measures").click()
    page.wait_for_load_state("networkidle")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select at least one measure to adopt")
    assert axe_violations(page) == [], "the error state has no serious accessibility issue"

    boxes = page.locator("input[name='keys']")
    count = boxes.count()
    assert count >= 2
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Adopt selected measures").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "2 measures added to your plan."
    )
    expect(page.locator("input[name='keys']")).to_have_count(count - 2)
    expect(page.locator("#adopted-measures li")).to_have_count(2)
    assert axe_violations(page) == [], "the measure library has no serious accessibility issue"
