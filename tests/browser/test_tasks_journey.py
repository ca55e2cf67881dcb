"""Your tasks, in a real browser: a data provider sees what is due, follows the link to the
form, submits one figure, and the dashboard then lists one fewer."""

from playwright.sync_api import Browser, Page, expect

from stack.testing.processes import RunningSystem
from tests.browser.conftest import DEMO_PASSWORD, axe_violations, sign_in

TEAM = "Hospital Discharge Team"
PROVIDER = "discharge.provider@demo.example"


def csrf_token(page: Page) -> str:
    token = page.locator("input[name='csrf_token']").first.get_attribute("value")
    assert token
    return token


def set_up_two_measures_for_a_new_team(page: Page, live: RunningSystem) -> None:
    """As the demo administrator, through the API with the session's CSRF token: periods close
    five working days after figures are due (so only last month is open), two measures of a new
    team, and a data provider in it."""
    sign_in(page, live, "admin@demo.example")
    headers = {"X-CSRF-Token": csrf_token(page)}
    api = live.url() + "/api/v1"
    etag = page.request.get(f"{api}/organisation").headers["etag"]
    changed = page.request.patch(
        f"{api}/organisation",
        data={"deadlines": {"close_working_days": 5}},
        headers=headers | {"If-Match": etag},
    )
    assert changed.ok, changed.text()
    for code, title in (("HD1", "Discharges home"), ("HD2", "Discharges to care")):
        measure = {"code": code, "title": title, "frequency": "monthly", "data_provider": TEAM}
        created = page.request.post(f"{api}/kpi/measures", data=measure, headers=headers)
        assert created.ok, created.text()
    person = {
        "email": PROVIDER,
        "display_name": "Discharge data provider",
        "team": TEAM,
        "roles": ["data_provider"],
        "password": DEMO_PASSWORD,
    }
    added = page.request.post(f"{api}/users", data=person, headers=headers)
    assert added.ok, added.text()


def test_a_data_provider_follows_a_due_figure_to_its_form_and_the_list_shrinks(
    page: Page, browser: Browser, live: RunningSystem
) -> None:
    set_up_two_measures_for_a_new_team(page, live)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    provider = context.new_page()
    sign_in(provider, live, PROVIDER)
    provider.goto(live.url() + "/")
    tasks = provider.locator("#your-tasks .govuk-task-list__item")
    expect(tasks).to_have_count(2)
    expect(tasks.nth(0)).to_contain_text("HD1 Discharges home")
    assert axe_violations(provider) == [], "the task list has no serious accessibility issue"
    tasks.nth(0).get_by_role("link").click()
    provider.wait_for_load_state("networkidle")
    expect(provider.get_by_label("Data provider")).to_have_value(TEAM)
    provider.locator("input[name$='-value']").nth(0).fill("40")
    provider.get_by_role("button", name="Submit for approval").click()
    provider.wait_for_load_state("networkidle")
    expect(provider.locator(".govuk-notification-banner")).to_contain_text("submitted")
    provider.goto(live.url() + "/")
    expect(tasks).to_have_count(1)
    expect(tasks.nth(0)).to_contain_text("HD2 Discharges to care")
    context.close()
