"""Signing in and out: the cookie, timeouts, lockout, and what a signed-out browser gets."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from common.db import Database
from common.identity import PAGE_PASS_HEADER, Role
from common.settings import Settings
from common.testing.statements import count_statements
from gateway.accounts import digest, session_caller, unscoped
from gateway.models import User
from stack.testing.plugin import System, build_system
from tests.identity.conftest import (
    PASSWORD,
    Clock,
    add_user,
    another_browser,
    change_password,
    post_sign_in,
    sign_in,
    signed_in_browser,
)


def test_a_signed_out_page_request_goes_to_the_sign_in_page(browser: TestClient) -> None:
    response = browser.get("/kpis?year=2025")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=%2Fkpis%3Fyear%3D2025"


def test_a_signed_out_api_request_is_401_problem(browser: TestClient) -> None:
    response = browser.get("/api/v1/kpi/measures")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def test_the_sign_in_page_is_a_govuk_form(browser: TestClient) -> None:
    page = browser.get("/sign-in")
    assert page.status_code == 200
    assert 'for="email"' in page.text
    assert 'type="password"' in page.text


def test_signing_in_sets_an_httponly_lax_session_cookie(browser: TestClient, person: User) -> None:
    response = post_sign_in(
        browser, {"email": "ADMIN@demo.example", "password": "correct horse battery staple"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("asc_session=")
    value = cookie.split(";", 1)[0].split("=", 1)[1]
    assert len(value) >= 22  # 128 bits in base64url at least
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/" in cookie
    assert browser.get("/").status_code == 200


def test_under_https_the_cookie_is_host_prefixed_and_secure(
    browser: TestClient, person: User, secure_system: object
) -> None:
    settings = secure_system.gateway.state.settings  # type: ignore[attr-defined]
    secure_system.gateway.state.settings = settings.model_copy(  # type: ignore[attr-defined]
        update={"https_only": True}
    )
    response = browser.post(
        "/api/v1/sessions",
        json={"email": "admin@demo.example", "password": "correct horse battery staple"},
    )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-asc_session=")
    assert "Secure" in cookie


def test_a_wrong_password_shows_the_error_and_keeps_the_email(
    browser: TestClient, person: User
) -> None:
    response = post_sign_in(browser, {"email": "admin@demo.example", "password": "wrong"})
    assert response.status_code == 401
    assert "govuk-error-summary" in response.text
    assert "Enter a correct email address and password" in response.text
    assert 'value="admin@demo.example"' in response.text
    assert "asc_session" not in response.headers.get("set-cookie", "")


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(browser: TestClient) -> None:
    response = post_sign_in(browser, {"email": "nobody@demo.example", "password": "x"})
    assert response.status_code == 401
    assert "Enter a correct email address and password" in response.text


def test_after_ten_failures_in_five_minutes_the_account_is_locked(
    browser: TestClient, person: User, clock: Clock
) -> None:
    for _ in range(10):
        assert (
            browser.post(
                "/api/v1/sessions", json={"email": "admin@demo.example", "password": "guess"}
            ).status_code
            == 401
        )
    right = {"email": "admin@demo.example", "password": "correct horse battery staple"}
    locked = browser.post("/api/v1/sessions", json=right)
    assert locked.status_code == 429
    assert "Wait 5 minutes" in locked.json()["detail"]
    page = post_sign_in(browser, right)
    assert "too many attempts" in page.text
    clock.advance(minutes=5, seconds=1)
    assert browser.post("/api/v1/sessions", json=right).status_code == 201


def test_signing_out_ends_the_session_and_reusing_the_cookie_goes_to_sign_in(
    browser: TestClient, person: User
) -> None:
    csrf = sign_in(browser, person.email)
    cookie = browser.cookies.get("asc_session")
    response = browser.post("/sign-out", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in"
    browser.cookies.set("asc_session", str(cookie))  # an attacker replays the old cookie
    assert browser.get("/").status_code == 303
    assert browser.get("/api/v1/me").status_code == 401


def test_sign_out_does_not_answer_get(browser: TestClient, person: User) -> None:
    sign_in(browser, person.email)
    assert browser.get("/sign-out").status_code in (404, 405)
    assert browser.get("/").status_code == 200


def test_an_idle_session_ends(browser: TestClient, person: User, clock: Clock) -> None:
    sign_in(browser, person.email)
    clock.advance(minutes=29)
    assert browser.get("/api/v1/me").status_code == 200
    clock.advance(minutes=29)  # active: the idle clock restarted at the last request
    assert browser.get("/api/v1/me").status_code == 200
    clock.advance(minutes=30)
    assert browser.get("/api/v1/me").status_code == 401
    assert browser.get("/").status_code == 303


def test_an_active_session_still_ends_at_its_absolute_limit(
    browser: TestClient, person: User, clock: Clock
) -> None:
    sign_in(browser, person.email)
    for _ in range(12 * 3 - 1):
        clock.advance(minutes=20)
        assert browser.get("/api/v1/me").status_code == 200
    clock.advance(minutes=20)
    assert browser.get("/api/v1/me").status_code == 401


def test_a_disabled_user_cannot_sign_in(
    browser: TestClient, database: Database, demo_org: object
) -> None:
    user = add_user(database, demo_org, Role.VIEWER, email="gone@demo.example")  # type: ignore[arg-type]
    with database.session(user.org_id) as session:
        session.get(User, user.id).disabled = True  # type: ignore[union-attr]
        session.commit()
    response = post_sign_in(
        browser, {"email": "gone@demo.example", "password": "correct horse battery staple"}
    )
    assert response.status_code == 401


def test_a_session_cookie_is_never_carried_over_to_another_browser(
    browser: TestClient, person: User, secure_system: System
) -> None:
    # The gateway and web app share their HTTP clients among everyone: a cookie passing through
    # must not be kept and replayed for the next person.
    sign_in(browser, person.email)
    stranger = another_browser(secure_system)
    assert stranger.get("/").status_code == 303
    assert stranger.get("/api/v1/me").status_code == 401
    assert post_sign_in(stranger, {"email": "x@y.z", "password": "nope"}).status_code == 401


def test_signing_in_again_gives_a_new_session_id_and_ends_the_old_one(
    browser: TestClient, person: User
) -> None:
    csrf = sign_in(browser, person.email)
    first = str(browser.cookies.get("asc_session"))
    sign_in(browser, person.email, csrf=csrf)
    second = str(browser.cookies.get("asc_session"))
    assert first != second
    browser.cookies.set("asc_session", first)
    assert browser.get("/api/v1/me").status_code == 401


def test_a_person_changes_their_password_with_the_current_one(
    browser: TestClient, person: User, secure_system: System
) -> None:
    elsewhere = signed_in_browser(secure_system, person.email)
    csrf = sign_in(browser, person.email)
    wrong = change_password(browser, csrf, "not it", "a brand new passphrase")
    assert wrong.status_code == 422
    assert "Your current password is not right" in wrong.text
    done = change_password(browser, csrf, PASSWORD, "a brand new passphrase")
    assert done.status_code == 303
    assert browser.get("/api/v1/me").status_code == 200  # this session goes on
    assert elsewhere.get("/api/v1/me").status_code == 401  # every other one ended
    signed_in_browser(secure_system, person.email, "a brand new passphrase")


def test_only_a_person_signed_in_with_a_session_can_change_a_password(api: TestClient) -> None:
    response = api.post(
        "/api/v1/me/password", json={"current_password": "x", "new_password": "y" * 12}
    )
    assert response.status_code == 403


def test_abandoned_sessions_and_old_guesses_are_cleared_away(
    browser: TestClient, person: User, clock: Clock, database: Database
) -> None:
    from sqlalchemy import func, select

    from gateway.accounts import unscoped
    from gateway.models import LoginAttempt, UserSession

    browser.post("/api/v1/sessions", json={"email": person.email, "password": "wrong"})
    sign_in(browser, person.email)
    browser.cookies.clear()  # the browser is closed without signing out
    clock.advance(hours=13)
    sign_in(browser, person.email)
    with unscoped(database.session(None)) as session:
        assert session.scalar(select(func.count()).select_from(UserSession)) == 1
        assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 1


def test_many_sign_ins_from_one_address_are_slowed_down_whatever_the_account(
    browser: TestClient, secure_system: object
) -> None:
    from gateway.hardening import RateLimiter

    limiter = RateLimiter(secure_system.gateway.state.database, "sign_in", 3)  # type: ignore[attr-defined]
    secure_system.gateway.state.rate_limiters["sign_in"] = limiter  # type: ignore[attr-defined]
    answers = [
        browser.post(
            "/api/v1/sessions", json={"email": f"user{n}@demo.example", "password": "guess"}
        )
        for n in range(4)
    ]
    assert [a.status_code for a in answers] == [401, 401, 401, 429]
    assert int(answers[-1].headers["retry-after"]) >= 1


def test_the_sessions_page_explains_when_the_caller_has_no_session(api: TestClient) -> None:
    # As under DEV_IDENTITY or with an API key: the gateway's own /me/sessions answers 403.
    assert api.get("/api/v1/me/sessions").status_code == 403
    page = api.get("/account/sessions")
    assert page.status_code == 200
    assert "You are not signed in with a password" in page.text
    assert "Sign out everywhere else" not in page.text
    tried = api.post("/account/sessions", data={"password": "anything"})
    assert tried.status_code == 200
    assert "You are not signed in with a password" in tried.text


def test_a_person_sees_their_sessions_and_ends_the_others_with_their_password(
    browser: TestClient, person: User, secure_system: System
) -> None:
    elsewhere = signed_in_browser(secure_system, person.email)
    csrf = sign_in(browser, person.email)
    page = browser.get("/account/sessions")
    assert page.status_code == 200
    assert page.text.count("govuk-table__row") == 3  # the header and two sessions
    assert "This browser" in page.text
    assert str(browser.cookies.get("asc_session")) not in page.text
    refused = browser.post("/account/sessions", data={"csrf_token": csrf, "password": "no"})
    assert refused.status_code == 422
    assert elsewhere.get("/api/v1/me").status_code == 200
    done = browser.post(
        "/account/sessions",
        data={"csrf_token": csrf, "password": "correct horse battery staple"},
    )
    assert done.status_code == 303
    assert elsewhere.get("/api/v1/me").status_code == 401
    assert browser.get("/api/v1/me").status_code == 200


def test_a_sign_in_form_posted_from_another_site_is_refused(
    browser: TestClient, person: User
) -> None:
    # Login CSRF: another site's form would sign the browser in to the attacker's account.
    right = {"email": person.email, "password": "correct horse battery staple", "next": "/"}
    forged = browser.post("/sign-in", data=right)
    assert forged.status_code == 400
    assert "This sign-in form has expired" in forged.text
    assert "asc_session" not in forged.headers.get("set-cookie", "")
    browser.cookies.clear()
    guessed = browser.post("/sign-in", data={**right, "sign_in_token": "0" * 64})
    assert guessed.status_code == 400
    assert post_sign_in(browser, right).status_code == 303


def test_the_sign_in_cookie_is_host_prefixed_and_strict_under_https(
    settings: Settings, database: Database, demo_org: uuid.UUID
) -> None:
    secure = settings.model_copy(update={"https_only": True})
    system = build_system(secure, database, caller=None, real_sign_in=True)
    with TestClient(system.gateway, base_url="https://gateway") as client:
        cookie = client.get("/sign-in").headers["set-cookie"]
    assert cookie.startswith("__Host-asc_sign_in=")
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie


def _session_lookups(engine: Engine, fetch: Callable[[], object]) -> int:
    with count_statements(engine) as sent:
        fetch()
    return sum("FROM identity.sessions" in statement for statement in sent.sent)


@pytest.fixture
def page_pass(
    secure_system: System, database: Database, settings: Settings
) -> Callable[[str], str]:
    """The pass the gateway gives the web app for a page of the person signed in by a session
    secret."""

    def mint(secret: str) -> str:
        with unscoped(database.session(None)) as session:
            caller = session_caller(session, secret, settings=settings, now=datetime.now(UTC))
        assert caller is not None
        token: str = secure_system.gateway.state.page_passes.mint(caller, session=digest(secret))
        return token

    return mint


def test_a_page_looks_the_session_up_once_however_many_api_calls_it_makes(
    browser: TestClient, person: User, engine: Engine
) -> None:
    sign_in(browser, person.email)
    # /kpis makes several API calls for the person, each sending their cookie back through the
    # gateway; the page's own request found the session, and its pass stands in for the rest.
    assert _session_lookups(engine, lambda: browser.get("/kpis").raise_for_status()) == 1
    assert _session_lookups(engine, lambda: browser.get("/api/v1/me").raise_for_status()) == 1


def test_signing_out_ends_the_session_for_a_page_already_under_way(
    browser: TestClient, person: User, page_pass: Callable[[str], str]
) -> None:
    csrf = sign_in(browser, person.email)
    secret = str(browser.cookies.get("asc_session"))
    token = page_pass(secret)
    assert browser.get("/api/v1/me", headers={PAGE_PASS_HEADER: token}).status_code == 200
    assert browser.post("/sign-out", data={"csrf_token": csrf}).status_code == 303
    browser.cookies.set("asc_session", secret)  # the page's inner calls still send the cookie
    assert browser.get("/api/v1/me", headers={PAGE_PASS_HEADER: token}).status_code == 401


def test_ending_a_person_s_other_sessions_ends_them_for_pages_under_way(
    browser: TestClient, person: User, secure_system: System, page_pass: Callable[[str], str]
) -> None:
    elsewhere = signed_in_browser(secure_system, person.email)
    token = page_pass(str(elsewhere.cookies.get("asc_session")))
    csrf = sign_in(browser, person.email)
    ended = browser.post("/account/sessions", data={"csrf_token": csrf, "password": PASSWORD})
    assert ended.status_code == 303
    assert elsewhere.get("/api/v1/me", headers={PAGE_PASS_HEADER: token}).status_code == 401


def test_a_page_pass_stands_in_only_for_the_session_it_was_made_for(
    browser: TestClient,
    person: User,
    secure_system: System,
    database: Database,
    page_pass: Callable[[str], str],
) -> None:
    colleague = add_user(database, person.org_id, Role.VIEWER, email="viewer@demo.example")
    sign_in(browser, person.email)
    token = page_pass(str(browser.cookies.get("asc_session")))
    other = signed_in_browser(secure_system, colleague.email)
    seen = other.get("/api/v1/me", headers={PAGE_PASS_HEADER: token})
    assert seen.json()["user_id"] == str(colleague.id)  # their own session, not the pass's
    other.cookies.set("asc_session", "made-up")
    assert other.get("/api/v1/me", headers={PAGE_PASS_HEADER: token}).status_code == 401
