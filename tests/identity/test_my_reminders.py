"""A person turns their own reminders off; an admin reads who was reminded and when."""

from datetime import UTC, date, datetime

from fastapi.testclient import TestClient

from common.db import Database
from common.identity import Role
from gateway.models import ReminderSent, User
from tests.identity.conftest import add_user, sign_in, signed_in_browser


def test_a_person_turns_their_own_reminders_off_and_on(
    browser: TestClient, database: Database, demo_org: object
) -> None:
    person = add_user(database, demo_org, Role.DATA_PROVIDER, team="Reablement Team")  # type: ignore[arg-type]
    csrf = {"X-CSRF-Token": sign_in(browser, person.email)}
    assert browser.get("/api/v1/me/reminders").json() == {"enabled": True}
    off = browser.put("/api/v1/me/reminders", json={"enabled": False}, headers=csrf)
    assert off.status_code == 200, off.text
    assert browser.get("/api/v1/me/reminders").json() == {"enabled": False}
    with database.session(person.org_id) as session:
        assert session.get_one(User, person.id).reminders_off is True


def test_an_admin_lists_the_reminders_sent_and_others_may_not(
    browser: TestClient, database: Database, person: User
) -> None:
    with database.session(person.org_id) as session:
        session.add(
            ReminderSent(
                org_id=person.org_id,
                user_id=person.id,
                email=person.email,
                item="kpi:figure:x:2026-11",
                title="Enter the figure for R1",
                day=date(2026, 12, 1),
                sent_at=datetime(2026, 12, 1, 7, tzinfo=UTC),
                delivered=True,
            )
        )
        session.commit()
    sign_in(browser, person.email)
    listed = browser.get("/api/v1/reminders-sent").json()
    assert [(r["email"], r["title"], r["day"]) for r in listed["items"]] == [
        (person.email, "Enter the figure for R1", "2026-12-01")
    ]
    page = browser.get("/admin/reminders")
    assert page.status_code == 200, page.text
    assert "Enter the figure for R1" in page.text
    provider = add_user(database, person.org_id, Role.DATA_PROVIDER, team="Reablement Team")
    other = signed_in_browser(browser, provider.email)
    assert other.get("/api/v1/reminders-sent").status_code == 403


def test_a_person_turns_their_reminders_off_on_their_page_and_is_told(
    browser: TestClient, database: Database, demo_org: object
) -> None:
    person = add_user(database, demo_org, Role.DATA_PROVIDER, team="Reablement Team")  # type: ignore[arg-type]
    csrf = sign_in(browser, person.email)
    page = browser.get("/")
    assert 'href="/account/reminders">Your reminders</a>' in page.text
    shown = browser.get("/account/reminders").text
    assert 'value="on" checked' in shown
    saved = browser.post("/account/reminders", data={"reminders": "off", "csrf_token": csrf})
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == "/account/reminders?done=off"
    after = browser.get(saved.headers["location"]).text
    assert "You will not get reminder emails." in after
    assert 'value="off" checked' in after
    with database.session(person.org_id) as session:
        assert session.get_one(User, person.id).reminders_off is True


def test_saving_without_a_choice_shows_the_error_beside_the_radios(
    browser: TestClient, database: Database, demo_org: object
) -> None:
    person = add_user(database, demo_org, Role.VIEWER)  # type: ignore[arg-type]
    csrf = sign_in(browser, person.email)
    refused = browser.post("/account/reminders", data={"csrf_token": csrf})
    assert refused.status_code == 422
    assert 'href="#reminders"' in refused.text
    assert 'id="reminders-error"' in refused.text
    assert "Select whether you want reminder emails" in refused.text
    with database.session(person.org_id) as session:
        assert session.get_one(User, person.id).reminders_off is False
