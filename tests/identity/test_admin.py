"""Admin pages and API: people, roles, disabling; a change of role or a disabling signs out."""

import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from common.db import Database
from common.identity import Caller, Role
from common.testing.plugin import make_caller
from gateway.models import User
from stack.testing.plugin import System
from tests.identity.conftest import (
    PASSWORD,
    add_user,
    new_person,
    post_sign_in,
    post_signed_in,
    sign_in,
    signed_in_browser,
)


def test_an_admin_adds_a_user_on_the_page_who_can_then_sign_in(
    browser: TestClient, person: User, secure_system: System
) -> None:
    csrf = sign_in(browser, person.email)
    form = browser.get("/admin/users/new")
    assert form.status_code == 200
    assert 'name="csrf_token"' in form.text
    typed = new_person(
        email="New.Person@Demo.example", team="Reablement", roles=["data_provider", "viewer"]
    )
    response = browser.post("/admin/users/new", data={"csrf_token": csrf, **typed})
    assert response.status_code == 303, response.text
    listed = browser.get("/admin/users").text
    assert "new.person@demo.example" in listed
    assert "Data provider, Viewer" in listed
    newcomer = signed_in_browser(secure_system, "new.person@demo.example", "a long enough password")
    me = newcomer.get("/api/v1/me").json()
    assert me["roles"] == ["data_provider", "viewer"]
    assert me["team"] == "Reablement"


def test_a_bad_new_user_shows_errors_next_to_the_fields(browser: TestClient, person: User) -> None:
    bad = {"email": "not-an-email", "display_name": "X", "password": "short"}
    response = post_signed_in(browser, person.email, "/admin/users/new", form=bad)
    assert response.status_code == 422
    assert "govuk-error-summary" in response.text
    assert 'id="email-error"' in response.text
    assert 'id="password-error"' in response.text
    assert 'value="not-an-email"' in response.text


def test_an_email_already_used_in_another_council_is_refused(
    browser: TestClient, person: User, database: Database, other_org: uuid.UUID
) -> None:
    add_user(database, other_org, Role.VIEWER, email="taken@elsewhere.example")
    taken = new_person(email="taken@elsewhere.example", display_name="X")
    response = post_signed_in(browser, person.email, "/api/v1/users", json=taken)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "email", "message": "That email address is already in use"}
    ]


def _change(browser: TestClient, csrf: str, user: User, **fields: object) -> None:
    current = browser.get(f"/api/v1/users/{user.id}")
    response = browser.patch(
        f"/api/v1/users/{user.id}",
        json=fields,
        headers={"X-CSRF-Token": csrf, "If-Match": current.headers["etag"]},
    )
    assert response.status_code == 200, response.text


@pytest.fixture
def colleague(database: Database, person: User, secure_system: System) -> tuple[User, TestClient]:
    """A viewer of the admin's council, signed in in a browser of their own."""
    them = add_user(database, person.org_id, Role.VIEWER)
    return them, signed_in_browser(secure_system, them.email)


def test_changing_someones_role_signs_them_out_at_once(
    browser: TestClient, person: User, colleague: tuple[User, TestClient]
) -> None:
    them, theirs = colleague
    csrf = sign_in(browser, person.email)
    _change(browser, csrf, them, team="Finance team")
    assert theirs.get("/api/v1/me").status_code == 200  # a new team alone does not sign out
    _change(browser, csrf, them, roles=["finance"])
    assert theirs.get("/api/v1/me").status_code == 401
    assert theirs.get("/").status_code == 303


def test_disabling_someone_signs_them_out_and_keeps_them_out(
    browser: TestClient, person: User, colleague: tuple[User, TestClient]
) -> None:
    them, theirs = colleague
    csrf = sign_in(browser, person.email)
    _change(browser, csrf, them, disabled=True)
    assert theirs.get("/api/v1/me").status_code == 401
    again = post_sign_in(theirs, {"email": them.email, "password": PASSWORD})
    assert again.status_code == 401


def test_an_update_without_if_match_is_428(browser: TestClient, person: User) -> None:
    csrf = sign_in(browser, person.email)
    response = browser.patch(
        f"/api/v1/users/{person.id}", json={"team": "X"}, headers={"X-CSRF-Token": csrf}
    )
    assert response.status_code == 428


def test_only_admins_see_the_admin_pages_and_api(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    client = api_as(make_caller(demo_org, Role.PROGRAMME_OFFICE))
    assert client.get("/admin/users").status_code == 403
    assert client.get("/api/v1/users").status_code == 403
    assert client.get("/api/v1/api-keys").status_code == 403


def test_users_of_another_council_are_invisible(
    api: TestClient, database: Database, other_org: uuid.UUID
) -> None:
    stranger = add_user(database, other_org, Role.VIEWER)
    assert all(u["id"] != str(stranger.id) for u in api.get("/api/v1/users").json()["items"])
    assert api.get(f"/api/v1/users/{stranger.id}").status_code == 404
    response = api.patch(
        f"/api/v1/users/{stranger.id}", json={"disabled": True}, headers={"If-Match": '"1"'}
    )
    assert response.status_code == 404


def test_the_admin_makes_and_revokes_a_key_on_the_page(browser: TestClient, person: User) -> None:
    csrf = sign_in(browser, person.email)
    assert browser.get("/admin/api-keys").status_code == 200
    made = browser.post(
        "/admin/api-keys",
        data={
            "csrf_token": csrf,
            "name": "Warehouse",
            "access": "read",
            "services": ["kpi", "finance"],
        },
    )
    assert made.status_code == 200, made.text
    assert "It will not be shown again" in made.text
    assert made.headers["cache-control"] == "no-store"
    key = made.text.split('<code class="app-api-key">', 1)[1].split("<", 1)[0]
    listed = browser.get("/admin/api-keys").text
    assert key not in listed
    assert "Warehouse" in listed
    key_id = browser.get("/api/v1/api-keys").json()["items"][0]["id"]
    revoked = browser.post(f"/admin/api-keys/{key_id}/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 303
    assert "Revoked" in browser.get("/admin/api-keys").text


def test_a_key_form_with_nothing_chosen_shows_errors(browser: TestClient, person: User) -> None:
    csrf = sign_in(browser, person.email)
    response = browser.post("/admin/api-keys", data={"csrf_token": csrf, "name": ""})
    assert response.status_code == 422
    assert "govuk-error-summary" in response.text


def test_an_admin_signs_someone_out_everywhere(
    browser: TestClient, person: User, colleague: tuple[User, TestClient]
) -> None:
    them, theirs = colleague
    csrf = sign_in(browser, person.email)
    page = browser.get(f"/admin/users/{them.id}").text
    assert f'action="/admin/users/{them.id}/sign-out"' in page
    done = browser.post(f"/admin/users/{them.id}/sign-out", data={"csrf_token": csrf})
    assert done.status_code == 303
    assert theirs.get("/api/v1/me").status_code == 401
    assert browser.get("/api/v1/me").status_code == 200


def test_the_council_setting_lets_a_one_person_team_approve_its_own_figures(
    browser: TestClient, person: User
) -> None:
    csrf = {"X-CSRF-Token": sign_in(browser, person.email)}
    kpi = "/api/v1/kpi"
    measure = browser.post(
        f"{kpi}/measures", json={"code": "SOLO", "title": "Carers"}, headers=csrf
    ).json()
    actual = browser.post(
        f"{kpi}/actuals",
        json={"measure_id": measure["id"], "period": "2025-05", "value": "3"},
        headers=csrf,
    )
    url = f"{kpi}/actuals/{actual.json()['id']}"
    submitted = browser.post(f"{url}/submit", headers={**csrf, "If-Match": actual.headers["ETag"]})
    etag = {**csrf, "If-Match": submitted.headers["ETag"]}
    assert browser.post(f"{url}/approve", headers=etag).status_code == 403
    council = browser.get("/api/v1/organisation")
    assert council.json()["allow_self_approval"] is False
    allowed = browser.patch(
        "/api/v1/organisation",
        json={"allow_self_approval": True},
        headers={**csrf, "If-Match": council.headers["ETag"]},
    )
    assert allowed.status_code == 200
    assert allowed.json()["allow_self_approval"] is True
    approved = browser.post(f"{url}/approve", headers=etag)
    assert approved.status_code == 200, approved.text
    assert browser.get(f"{url}/revisions").json()["items"][-1]["self_approved"] is True


def save_organisation(browser: TestClient, csrf: str, **fields: str) -> Response:
    """Send the organisation page's form with `fields`, and the council's version as the page's
    hidden field carries it."""
    version = str(browser.get("/api/v1/organisation").json()["version"])
    response: Response = browser.post(
        "/admin/organisation", data={**fields, "version": version, "csrf_token": csrf}
    )
    return response


def test_an_admin_lets_one_person_teams_approve_their_own_figures_and_takes_it_back(
    browser: TestClient, person: User
) -> None:
    csrf = sign_in(browser, person.email)
    page = browser.get("/admin/organisation").text
    assert "Let a one-person team approve its own figures" in page
    assert 'value="true" checked' not in page
    ticked = save_organisation(browser, csrf, name="Demo Council", allow_self_approval="true")
    assert ticked.status_code == 303, ticked.text
    assert browser.get("/api/v1/organisation").json()["allow_self_approval"] is True
    assert 'value="true" checked' in browser.get("/admin/organisation").text
    # An unticked box sends nothing: the setting goes back off.
    unticked = save_organisation(browser, csrf, name="Demo Council")
    assert unticked.status_code == 303, unticked.text
    assert browser.get("/api/v1/organisation").json()["allow_self_approval"] is False


def test_a_refused_change_keeps_the_box_as_ticked(browser: TestClient, person: User) -> None:
    csrf = sign_in(browser, person.email)
    refused = save_organisation(browser, csrf, name="", allow_self_approval="true")
    assert refused.status_code == 422
    assert 'value="true" checked' in refused.text
    assert browser.get("/api/v1/organisation").json()["allow_self_approval"] is False
