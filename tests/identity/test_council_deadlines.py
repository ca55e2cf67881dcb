"""An admin sets the council's deadlines; the rest keep their defaults."""

from fastapi.testclient import TestClient

from gateway.models import User
from tests.identity.conftest import sign_in


def test_an_admin_changes_some_deadlines_and_the_rest_keep_their_defaults(
    browser: TestClient, person: User
) -> None:
    csrf = {"X-CSRF-Token": sign_in(browser, person.email)}
    council = browser.get("/api/v1/organisation")
    before = council.json()["deadlines"]
    assert before["monthly_figures_working_days"] == 10
    assert before["savings_return_working_day"] == 5
    changed = browser.patch(
        "/api/v1/organisation",
        json={"deadlines": {"monthly_figures_working_days": 7, "reminders_enabled": False}},
        headers=csrf | {"If-Match": council.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.text
    after = changed.json()["deadlines"]
    assert after["monthly_figures_working_days"] == 7
    assert after["reminders_enabled"] is False
    assert after["savings_return_working_day"] == 5
    assert browser.get("/api/v1/organisation").json()["deadlines"] == after


def test_a_deadline_out_of_range_is_refused_naming_the_field(
    browser: TestClient, person: User
) -> None:
    csrf = {"X-CSRF-Token": sign_in(browser, person.email)}
    refused = browser.patch(
        "/api/v1/organisation",
        json={"deadlines": {"savings_return_working_day": 0}},
        headers=csrf | {"If-Match": browser.get("/api/v1/organisation").headers["ETag"]},
    )
    assert refused.status_code == 422
    assert "deadlines.savings_return_working_day" in refused.text


def test_an_admin_sets_deadlines_on_the_page_and_a_wrong_number_is_shown_beside_its_field(
    browser: TestClient, person: User
) -> None:
    csrf = sign_in(browser, person.email)
    page = browser.get("/admin/deadlines")
    assert page.status_code == 200, page.text
    assert 'value="10"' in page.text
    form = {
        "csrf_token": csrf,
        "version": browser.get("/api/v1/organisation").json()["version"],
        "monthly_figures_working_days": "7",
        "quarterly_figures_working_days": "10",
        "savings_return_working_day": "5",
        "close_working_days": "5",
        "reminder_lead_days": "3",
    }
    saved = browser.post("/admin/deadlines", data=form)
    assert saved.status_code == 303, saved.text
    deadlines = browser.get("/api/v1/organisation").json()["deadlines"]
    assert deadlines["monthly_figures_working_days"] == 7
    assert deadlines["close_working_days"] == 5
    assert deadlines["reminders_enabled"] is False  # the box was not ticked
    form["version"] = browser.get("/api/v1/organisation").json()["version"]
    refused = browser.post("/admin/deadlines", data=form | {"savings_return_working_day": "0"})
    assert refused.status_code == 422
    assert 'id="savings_return_working_day-error"' in refused.text
    assert 'value="0"' in refused.text


def test_two_admins_changing_the_council_at_once_cannot_overwrite_each_other(
    browser: TestClient, person: User
) -> None:
    csrf = {"X-CSRF-Token": sign_in(browser, person.email)}
    shown = browser.get("/api/v1/organisation").headers["ETag"]
    first = browser.patch(
        "/api/v1/organisation", json={"name": "First"}, headers=csrf | {"If-Match": shown}
    )
    assert first.status_code == 200, first.text
    assert first.headers["ETag"] != shown
    stale = browser.patch(
        "/api/v1/organisation", json={"name": "Second"}, headers=csrf | {"If-Match": shown}
    )
    assert stale.status_code == 412
    assert (
        browser.patch("/api/v1/organisation", json={"name": "Third"}, headers=csrf).status_code
        == 428
    )
    assert browser.get("/api/v1/organisation").json()["name"] == "First"
    page = browser.post(
        "/admin/organisation",
        data={"name": "Second", "csrf_token": csrf["X-CSRF-Token"], "version": shown.strip('"')},
    )
    assert page.status_code == 422
    assert 'class="govuk-error-summary"' in page.text
    assert 'value="Second"' in page.text
