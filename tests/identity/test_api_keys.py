"""API keys: made by admins, shown once, stored as a digest, scoped, expiring, revocable."""

import hashlib
import uuid
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from common.db import Database
from gateway.models import ApiKey, User
from tests.identity.conftest import Clock, another_browser, post_signed_in, sign_in


def make_key(browser: TestClient, csrf: str, **fields: object) -> dict[str, object]:
    body = {"name": "Data warehouse", "access": "read", "services": ["kpi"]} | fields
    response = browser.post("/api/v1/api-keys", json=body, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 201, response.text
    created: dict[str, object] = response.json()
    return created


def test_a_key_is_shown_once_and_stored_only_as_its_digest(
    browser: TestClient, person: User, database: Database
) -> None:
    csrf = sign_in(browser, person.email)
    created = make_key(browser, csrf)
    key = str(created["key"])
    assert len(key) >= 4 + 43  # prefix + 256 bits in base64url
    listed = browser.get("/api/v1/api-keys").json()["items"]
    assert "key" not in listed[0]
    with database.session(person.org_id) as session:
        row = session.scalar(select(ApiKey))
        assert row is not None
        assert row.digest == hashlib.sha256(key.encode()).hexdigest()
        assert key not in {row.digest, row.prefix, row.name}


def test_a_read_key_reads_its_service_only_and_records_its_use(
    browser: TestClient, person: User
) -> None:
    key = str(make_key(browser, sign_in(browser, person.email))["key"])
    client = another_browser(browser)
    assert (
        client.get("/api/v1/kpi/measures", headers={"Authorization": f"Bearer {key}"}).status_code
        == 200
    )
    assert client.get("/api/v1/kpi/measures", headers={"X-API-Key": key}).status_code == 200
    assert client.get("/api/v1/finance/budget-lines", headers={"X-API-Key": key}).status_code == 403
    write = client.post("/api/v1/kpi/measures", json={}, headers={"X-API-Key": key})
    assert write.status_code == 403
    assert browser.get("/api/v1/api-keys").json()["items"][0]["last_used_at"] is not None


def test_a_read_write_key_writes_without_csrf(browser: TestClient, person: User) -> None:
    csrf = sign_in(browser, person.email)
    key = str(make_key(browser, csrf, access="read_write", role="programme_office")["key"])
    response = another_browser(browser).post(
        "/api/v1/kpi/measures",
        json={"code": "KEY1", "title": "Carers supported"},
        headers={"X-API-Key": key},
    )
    assert response.status_code == 201, response.text


def test_a_key_cannot_administer(browser: TestClient, person: User) -> None:
    csrf = sign_in(browser, person.email)
    key = str(make_key(browser, csrf, access="read_write", role="programme_office")["key"])
    client = another_browser(browser)
    assert client.get("/api/v1/users", headers={"X-API-Key": key}).status_code == 403
    assert client.post("/api/v1/api-keys", json={}, headers={"X-API-Key": key}).status_code == 403


def test_a_revoked_key_is_401(browser: TestClient, person: User) -> None:
    csrf = sign_in(browser, person.email)
    created = make_key(browser, csrf)
    revoked = browser.post(
        f"/api/v1/api-keys/{created['id']}/revoke", headers={"X-CSRF-Token": csrf}
    )
    assert revoked.json()["revoked_at"] is not None
    response = another_browser(browser).get(
        "/api/v1/kpi/measures", headers={"X-API-Key": str(created["key"])}
    )
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def test_an_expired_key_is_401(browser: TestClient, person: User, clock: Clock) -> None:
    csrf = sign_in(browser, person.email)
    tomorrow = (clock.now.date() + timedelta(days=1)).isoformat()
    key = str(make_key(browser, csrf, expires_on=tomorrow)["key"])
    client = another_browser(browser)
    assert client.get("/api/v1/kpi/measures", headers={"X-API-Key": key}).status_code == 200
    clock.advance(days=2)
    assert client.get("/api/v1/kpi/measures", headers={"X-API-Key": key}).status_code == 401


def test_an_unknown_key_is_401_even_on_a_public_path(browser: TestClient) -> None:
    response = browser.get("/sign-in", headers={"Authorization": "Bearer asc_made-up"})
    assert response.status_code == 401


def test_a_key_in_the_url_is_not_accepted(browser: TestClient, person: User) -> None:
    key = str(make_key(browser, sign_in(browser, person.email))["key"])
    response = another_browser(browser).get(f"/api/v1/kpi/measures?api_key={key}&key={key}")
    assert response.status_code == 401


def test_an_expiry_in_the_past_is_refused(browser: TestClient, person: User) -> None:
    old = {
        "name": "Old",
        "access": "read",
        "services": ["kpi"],
        "expires_on": str(date(2000, 1, 1)),
    }
    response = post_signed_in(browser, person.email, "/api/v1/api-keys", json=old)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "expires_on"


def test_keys_of_another_council_are_invisible_and_cannot_be_revoked(
    browser: TestClient, person: User, database: Database, other_org: uuid.UUID
) -> None:
    with database.session(other_org) as session:
        theirs = ApiKey(
            name="Theirs",
            digest="0" * 64,
            prefix="asc_xx",
            access="read",
            services=["kpi"],
            role="viewer",
            created_by="someone",
        )
        session.add(theirs)
        session.commit()
    csrf = sign_in(browser, person.email)
    assert browser.get("/api/v1/api-keys").json()["items"] == []
    response = browser.post(f"/api/v1/api-keys/{theirs.id}/revoke", headers={"X-CSRF-Token": csrf})
    assert response.status_code == 404


def test_a_key_acts_as_exactly_the_one_role_it_was_made_with(
    browser: TestClient, person: User
) -> None:
    # Scoped to kpi and projects, it once acted as data provider *and* programme office.
    csrf = sign_in(browser, person.email)
    made = make_key(
        browser,
        csrf,
        access="read_write",
        services=["kpi", "projects"],
        role="data_provider",
        team="Reablement",
    )
    assert (made["role"], made["team"]) == ("data_provider", "Reablement")
    client = another_browser(browser)
    headers = {"X-API-Key": str(made["key"])}
    me = client.get("/api/v1/me", headers=headers).json()
    assert (me["roles"], me["team"]) == (["data_provider"], "Reablement")
    project = client.post("/api/v1/projects/projects", json={"title": "X"}, headers=headers)
    assert project.status_code == 403
    assert project.json()["detail"] == "Your role does not allow this operation."
    listed = browser.get("/api/v1/api-keys").json()["items"]
    assert [(k["role"], k["team"]) for k in listed] == [("data_provider", "Reablement")]
    page = browser.get("/admin/api-keys").text
    assert "Data provider (Reablement)" in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"access": "read_write"}, "role", "Choose the role the key acts as"),
        ({"access": "read_write", "role": "admin"}, "role", None),
        ({"access": "read_write", "role": "viewer"}, "role", "A viewer key is read-only"),
        ({"access": "read", "role": "finance"}, "role", "A read-only key acts as a viewer"),
        ({"access": "read_write", "role": "service_lead"}, "team", "Enter the team"),
    ],
)
def test_a_key_needs_one_role_that_fits_its_access(
    browser: TestClient, person: User, fields: dict[str, str], field: str, message: str | None
) -> None:
    csrf = sign_in(browser, person.email)
    body = {"name": "Integration", "services": ["kpi"]} | fields
    response = browser.post("/api/v1/api-keys", json=body, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == field
    assert message is None or error["message"].startswith(message)


def test_the_key_page_asks_for_the_role_and_shows_a_missing_one_by_the_field(
    browser: TestClient, person: User
) -> None:
    csrf = sign_in(browser, person.email)
    form = {"csrf_token": csrf, "name": "Feed", "access": "read_write", "services": ["kpi"]}
    response = browser.post("/admin/api-keys", data=form)
    assert response.status_code == 422
    assert 'id="role-error"' in response.text or "Choose the role the key acts as" in response.text
    assert 'name="role" type="radio" value="programme_office"' in response.text
    assert 'value="Feed"' in response.text
    made = browser.post("/admin/api-keys", data={**form, "role": "finance"})
    assert made.status_code == 200
    assert "Finance" in browser.get("/admin/api-keys").text
