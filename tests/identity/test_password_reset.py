"""Password reset links (ASVS 5.0 6.4.3): an admin makes a one-time link, shown once; the person
sets a new password at it within 24 hours; every session of theirs ends, and nobody is signed in."""

import hashlib
import logging
import re

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from common.db import Database
from common.identity import Role
from gateway.accounts import unscoped
from gateway.models import PasswordReset, User
from stack.testing.plugin import System
from tests.identity.conftest import (
    PASSWORD,
    Clock,
    add_user,
    another_browser,
    post_sign_in,
    sign_in,
)

NEW_PASSWORD = "purple kettle orbit lamp"


def _make_link(browser: TestClient, csrf: str, user: User) -> tuple[str, str]:
    """Press the button on the person's admin page; the page shown once, and the link's token."""
    page = browser.post(
        f"/admin/users/{user.id}/password-reset",
        data={"csrf_token": csrf},
        headers={"Origin": "https://tracker.example"},
    )
    assert page.status_code == 200, page.text
    assert page.headers["cache-control"] == "no-store"
    found = re.search(r"https://tracker\.example/reset-password\?token=([\w-]+)", page.text)
    assert found, page.text
    return page.text, found.group(1)


def _set(client: TestClient, token: str, password: str = NEW_PASSWORD) -> httpx.Response:
    form = {"token": token, "new_password": password, "confirm_password": password}
    response: httpx.Response = client.post("/reset-password", data=form)
    return response


@pytest.fixture
def colleague(database: Database, person: User) -> User:
    return add_user(database, person.org_id, Role.VIEWER, email="sam.colleague@demo.example")


def test_a_person_sets_a_new_password_with_the_link_an_admin_made_and_is_signed_in_nowhere(
    browser: TestClient, person: User, colleague: User, secure_system: System
) -> None:
    theirs = another_browser(secure_system)
    sign_in(theirs, colleague.email)
    csrf = sign_in(browser, person.email)
    assert "Make a link to set a password" in browser.get(f"/admin/users/{colleague.id}").text
    shown, token = _make_link(browser, csrf, colleague)
    assert "24 hours" in shown
    assert "It will not be shown again" in shown

    stranger = another_browser(secure_system)
    page = stranger.get(f"/reset-password?token={token}")
    assert page.status_code == 200
    assert colleague.email in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    done = _set(stranger, token)
    assert done.status_code == 200
    assert "Your password has been set" in done.text
    assert stranger.get("/api/v1/me").status_code == 401  # nobody was signed in
    assert theirs.get("/api/v1/me").status_code == 401  # and their sessions ended
    refused = post_sign_in(stranger, {"email": colleague.email, "password": PASSWORD})
    assert refused.status_code == 401
    sign_in(stranger, colleague.email, NEW_PASSWORD)


def test_a_link_works_only_once(
    browser: TestClient, person: User, colleague: User, secure_system: System
) -> None:
    _, token = _make_link(browser, sign_in(browser, person.email), colleague)
    stranger = another_browser(secure_system)
    assert _set(stranger, token).status_code == 200
    again = _set(stranger, token, "another fine passphrase")
    assert again.status_code == 410
    assert "expired or has already been used" in again.text
    assert stranger.get(f"/reset-password?token={token}").status_code == 410
    sign_in(stranger, colleague.email, NEW_PASSWORD)


def test_a_link_stops_working_after_24_hours(
    browser: TestClient, person: User, colleague: User, secure_system: System, clock: Clock
) -> None:
    _, token = _make_link(browser, sign_in(browser, person.email), colleague)
    clock.advance(hours=23, minutes=59)
    stranger = another_browser(secure_system)
    assert stranger.get(f"/reset-password?token={token}").status_code == 200
    clock.advance(minutes=1)
    assert stranger.get(f"/reset-password?token={token}").status_code == 410
    assert _set(stranger, token).status_code == 410


def test_a_new_link_stops_the_earlier_one_working(
    browser: TestClient, person: User, colleague: User, secure_system: System
) -> None:
    csrf = sign_in(browser, person.email)
    _, first = _make_link(browser, csrf, colleague)
    _, second = _make_link(browser, csrf, colleague)
    stranger = another_browser(secure_system)
    assert _set(stranger, first).status_code == 410
    assert _set(stranger, second).status_code == 200


def test_an_unknown_token_gets_the_same_answer_as_a_used_one(secure_system: System) -> None:
    stranger = another_browser(secure_system)
    assert stranger.get("/reset-password?token=made-up").status_code == 410
    assert stranger.get("/reset-password").status_code == 410


def test_the_new_password_follows_the_same_rules_and_a_refusal_keeps_the_link(
    browser: TestClient, person: User, colleague: User, secure_system: System
) -> None:
    _, token = _make_link(browser, sign_in(browser, person.email), colleague)
    stranger = another_browser(secure_system)
    common = _set(stranger, token, "Password123456")
    assert common.status_code == 422
    assert 'id="new_password-error"' in common.text
    assert "This password is too common" in common.text
    personal = _set(stranger, token, "colleague of the year")
    assert "must not contain the email address" in personal.text
    short = _set(stranger, token, "too short")
    assert "at least 12 characters" in short.text
    assert _set(stranger, token).status_code == 200


def test_only_the_digest_of_the_token_is_stored(
    browser: TestClient, person: User, colleague: User, database: Database
) -> None:
    _, token = _make_link(browser, sign_in(browser, person.email), colleague)
    assert len(token) >= 43  # 256 random bits, base64url
    with unscoped(database.session(None)) as session:
        reset = session.scalars(select(PasswordReset)).one()
        assert reset.token_digest == hashlib.sha256(token.encode()).hexdigest()
        assert token not in str(vars(reset))


def test_only_admins_make_links_and_not_for_a_disabled_person(
    browser: TestClient, person: User, colleague: User, database: Database, secure_system: System
) -> None:
    viewer = another_browser(secure_system)
    viewer_csrf = sign_in(viewer, colleague.email)
    refused = viewer.post(
        f"/api/v1/users/{person.id}/password-reset", headers={"X-CSRF-Token": viewer_csrf}
    )
    assert refused.status_code == 403
    gone = add_user(database, person.org_id, Role.VIEWER)
    with database.session(person.org_id) as session:
        session.get(User, gone.id).disabled = True  # type: ignore[union-attr]
        session.commit()
    csrf = sign_in(browser, person.email)
    answer = browser.post(f"/api/v1/users/{gone.id}/password-reset", headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 422


def test_making_and_using_a_link_are_logged_without_the_token(
    browser: TestClient,
    person: User,
    colleague: User,
    secure_system: System,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="asc.security")
    _, token = _make_link(browser, sign_in(browser, person.email), colleague)
    stranger = another_browser(secure_system)
    _set(stranger, token)
    _set(stranger, token)
    events = [r for r in caplog.records if r.name == "asc.security"]
    names = [getattr(r, "event", "") for r in events]
    assert "password_reset_issued" in names
    assert "password_reset_used" in names
    assert names[-1] == "password_reset_refused"
    for record in events:
        assert token not in str(record.__dict__)
        assert NEW_PASSWORD not in str(record.__dict__)
