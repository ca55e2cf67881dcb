"""An admin sets the council's deadlines; the rest keep their defaults."""

from fastapi.testclient import TestClient

from gateway.models import User
from tests.identity.conftest import sign_in


def test_an_admin_changes_some_deadlines_and_the_rest_keep_their_defaults(
    browser: TestClient, person: User
) -> None:
    csrf = {"X-CSRF-Token": sign_in(browser, person.email)}
    before = browser.get("/api/v1/organisation").json()["deadlines"]
    assert before["monthly_figures_working_days"] == 10
    assert before["savings_return_working_day"] == 5
    changed = browser.patch(
        "/api/v1/organisation",
        json={"deadlines": {"monthly_figures_working_days": 7, "reminders_enabled": False}},
        headers=csrf,
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
        headers=csrf,
    )
    assert refused.status_code == 422
    assert "deadlines.savings_return_working_day" in refused.text
