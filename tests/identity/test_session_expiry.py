"""A session that ends while someone works: htmx is sent to sign in as a whole page, and a form
posted too late is kept (encrypted, for its author only) and put back after signing in again."""

import json
import time
import uuid

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from common.db import Database
from common.identity import Role
from common.kept_forms import KeptForm, keepable, seal, unseal
from gateway.models import User
from tests.identity.conftest import Clock, add_user, post_sign_in, sign_in

FORM_PAGE = "/projects?rag=red"
TYPED = {"rag": "red", "rag_reason": "Two posts are vacant", "version": "3"}
SIGN_IN_AGAIN = "/sign-in?next=%2Fprojects%3Frag%3Dred&ended=true"
"""The sign-in page a request is sent to once the session has ended; `next` leads back to the
form's page."""


@pytest.fixture
def csrf(browser: TestClient, person: User) -> str:
    """The person signed in on the browser: the CSRF token of their session."""
    return sign_in(browser, person.email)


def _kept_on(page_html: str) -> dict[str, object] | None:
    marker = '<script type="application/json" id="app-kept-form">'
    if marker not in page_html:
        return None
    kept: dict[str, object] = json.loads(page_html.split(marker, 1)[1].split("</script>", 1)[0])
    return kept


def _post_after_the_end(
    browser: TestClient, clock: Clock, csrf: str, headers: dict[str, str]
) -> Response:
    """Let the session pass its idle limit, then send the status form as typed."""
    clock.advance(minutes=31)
    response: Response = browser.post(
        "/projects/p-1/rag", data=TYPED | {"csrf_token": csrf}, headers=headers
    )
    return response


def _expire_and_post(browser: TestClient, clock: Clock, csrf: str) -> None:
    response = _post_after_the_end(browser, clock, csrf, {"referer": "http://gateway" + FORM_PAGE})
    assert response.status_code == 303
    assert response.headers["location"] == SIGN_IN_AGAIN


def test_an_htmx_request_after_the_session_ended_is_told_to_load_the_sign_in_page(
    browser: TestClient, clock: Clock, csrf: str
) -> None:
    htmx = {"hx-request": "true", "hx-current-url": "http://gateway" + FORM_PAGE}
    answer = _post_after_the_end(browser, clock, csrf, htmx)
    assert answer.status_code == 401
    assert answer.headers["hx-redirect"] == SIGN_IN_AGAIN
    assert answer.text == ""  # nothing to swap into the fragment
    opening = browser.get("/projects/p-1/rag/edit", headers={"hx-request": "true"})
    assert opening.status_code == 401
    assert opening.headers["hx-redirect"] == "/sign-in?next=%2Fprojects%2Fp-1%2Frag%2Fedit"


def test_a_form_posted_after_the_session_ended_is_back_on_its_page_after_signing_in(
    browser: TestClient, person: User, clock: Clock, csrf: str
) -> None:
    _expire_and_post(browser, clock, csrf)
    page = browser.get(SIGN_IN_AGAIN)
    assert "You have been signed out" in page.text
    assert "What you typed has been kept, but not saved" in page.text
    form = {"email": person.email, "password": "correct horse battery staple", "next": FORM_PAGE}
    signed_in = post_sign_in(browser, form)
    assert signed_in.headers["location"] == FORM_PAGE
    back = browser.get(FORM_PAGE)
    assert _kept_on(back.text) == {
        "action": "/projects/p-1/rag",
        "fields": [["rag", "red"], ["rag_reason", "Two posts are vacant"], ["version", "3"]],
    }
    assert browser.get(FORM_PAGE).status_code == 200
    assert _kept_on(browser.get(FORM_PAGE).text) is None  # put back once only


def test_someone_else_signing_in_on_that_browser_never_sees_what_was_typed(
    browser: TestClient, clock: Clock, csrf: str, database: Database, demo_org: uuid.UUID
) -> None:
    colleague = add_user(database, demo_org, Role.ADMIN, email="colleague@demo.example")
    _expire_and_post(browser, clock, csrf)
    sign_in(browser, colleague.email)
    assert _kept_on(browser.get(FORM_PAGE).text) is None
    assert "asc_kept_form" not in browser.cookies


def test_a_form_posted_with_no_session_at_all_is_not_kept(browser: TestClient) -> None:
    response = browser.post("/projects/p-1/rag", data=TYPED)
    assert response.status_code == 303
    assert "asc_kept_form" not in browser.cookies


def test_stay_signed_in_keeps_an_idle_session_going(
    browser: TestClient, clock: Clock, csrf: str
) -> None:
    clock.advance(minutes=28)
    assert browser.post("/session/keep-alive", headers={"x-csrf-token": csrf}).status_code == 204
    clock.advance(minutes=28)
    assert browser.get("/api/v1/me").status_code == 200
    clock.advance(minutes=31)
    assert browser.post("/session/keep-alive", headers={"x-csrf-token": csrf}).status_code == 303


def test_a_kept_form_holds_no_password_or_csrf_token_and_cannot_be_read_or_altered() -> None:
    form = KeptForm(
        action="/account/password",
        page="/account/password",
        user_id="u-1",
        fields=[("csrf_token", "t"), ("new_password", "hunter22hunter22"), ("note", "kept")],
    )
    sealed = seal(form, "key")
    assert sealed is not None
    assert "hunter" not in sealed  # encrypted, not just signed
    assert "note" not in sealed
    assert unseal(sealed, "key") == KeptForm(
        action="/account/password",
        page="/account/password",
        user_id="u-1",
        fields=[("note", "kept")],
    )
    assert unseal(sealed, "another key") is None
    assert unseal(sealed[:-2] + ("AA" if not sealed.endswith("AA") else "BB"), "key") is None
    assert unseal(sealed, "key", now=time.time() + 31 * 60) is None
    assert not keepable("current_password")


def test_a_form_too_large_for_a_cookie_is_not_kept() -> None:
    form = KeptForm(action="/a", page="/a", user_id="u", fields=[("note", "x" * 4000)])
    assert seal(form, "key") is None
