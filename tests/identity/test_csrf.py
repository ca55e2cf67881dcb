"""Every change made with a session cookie must carry the session's CSRF token."""

from fastapi.testclient import TestClient

from gateway.models import User
from stack.testing.plugin import System
from tests.identity.conftest import another_browser, sign_in

MEASURE = {"code": "CSRF1", "title": "Carers supported"}


def test_an_api_change_without_the_token_is_403(browser: TestClient, person: User) -> None:
    sign_in(browser, person.email)
    response = browser.post("/api/v1/kpi/measures", json=MEASURE)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert browser.get("/api/v1/kpi/measures").json()["total"] == 0  # nothing was changed


def test_an_api_change_with_a_wrong_token_is_403(browser: TestClient, person: User) -> None:
    sign_in(browser, person.email)
    response = browser.post(
        "/api/v1/kpi/measures", json=MEASURE, headers={"X-CSRF-Token": "not-the-token"}
    )
    assert response.status_code == 403


def test_an_api_change_with_the_token_in_the_header_works(
    browser: TestClient, person: User
) -> None:
    csrf = sign_in(browser, person.email)
    response = browser.post("/api/v1/kpi/measures", json=MEASURE, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 201, response.text


def test_a_form_post_without_the_field_is_403_and_with_it_works(
    browser: TestClient, person: User
) -> None:
    csrf = sign_in(browser, person.email)
    assert browser.post("/sign-out", data={}).status_code == 403
    assert browser.post("/sign-out", data={"csrf_token": "guess"}).status_code == 403
    assert browser.get("/api/v1/me").status_code == 200  # still signed in
    assert browser.post("/sign-out", data={"csrf_token": csrf}).status_code == 303


def test_a_token_of_another_session_does_not_do(
    browser: TestClient, person: User, secure_system: System
) -> None:
    other_token = sign_in(another_browser(secure_system), person.email)
    sign_in(browser, person.email)
    response = browser.post(
        "/api/v1/kpi/measures", json=MEASURE, headers={"X-CSRF-Token": other_token}
    )
    assert response.status_code == 403


def test_pages_carry_the_token_for_htmx_and_for_forms(browser: TestClient, person: User) -> None:
    csrf = sign_in(browser, person.email)
    page = browser.get("/").text
    assert f'hx-headers=\'{{"X-CSRF-Token": "{csrf}"}}\'' in page
    assert f'<input type="hidden" name="csrf_token" value="{csrf}">' in page
    assert 'action="/sign-out"' in page


def test_the_web_app_passes_the_token_on_when_it_writes_through_the_api(
    browser: TestClient, person: User
) -> None:
    csrf = sign_in(browser, person.email)
    version = browser.get("/api/v1/organisation").json()["version"]
    response = browser.post(
        "/admin/organisation",
        data={"name": "Renamed Council", "csrf_token": csrf, "version": version},
    )
    assert response.status_code == 303, response.text
    assert browser.get("/api/v1/organisation").json()["name"] == "Renamed Council"
