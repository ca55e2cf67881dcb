"""A person turns their own reminders off; an admin reads who was reminded and when."""

from datetime import UTC, date, datetime

from fastapi.testclient import TestClient

from common.db import Database
from common.identity import Role
from gateway.models import ReminderSent, User
from tests.identity.conftest import add_user, sign_in


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
    other = TestClient(browser.app, base_url="http://gateway", follow_redirects=False)
    sign_in(other, provider.email)
    assert other.get("/api/v1/reminders-sent").status_code == 403
