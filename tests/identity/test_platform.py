"""The platform administrator: made on the command line, outside every council; adds councils
with a first administrator (who sets their own password with a one-time link), disables and
enables them, and sees their usage. Nobody else reaches any of it."""

import io
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select, text

from common.db import Database
from common.identity import NO_COUNCIL, PLATFORM_REFUSAL, Caller, Role, sign_identity
from common.settings import Settings
from common.testing.plugin import make_caller
from gateway import platform
from gateway.models import User
from stack.testing.plugin import System
from tests.helpers import assert_shows
from tests.identity.conftest import PASSWORD, add_user, another_browser, make_api_key, post_sign_in

PLATFORM_EMAIL = "platform@example.org"
PLATFORM_PASSWORD = "seven wooden lanterns drifting"
NEW_ADMIN_PASSWORD = "quiet river stones under moss"
NEW_COUNCIL = {
    "name": "Northshire Council",
    "slug": "northshire",
    "admin_email": "admin@northshire.example",
}


def platform_caller(user: str = "platform-admin") -> Caller:
    return Caller(
        org_id=NO_COUNCIL, user_id=user, display_name="Platform", client="test", platform_admin=True
    )


@pytest.fixture
def platform_admin(database: Database) -> User:
    return platform.create_admin(
        database, email=PLATFORM_EMAIL, name="Platform administrator", password=PLATFORM_PASSWORD
    )


def api_sign_in(client: TestClient, email: str, password: str) -> str:
    """Sign in through the API; the session's CSRF token (the cookie stays in `client`)."""
    response = client.post("/api/v1/sessions", json={"email": email, "password": password})
    assert response.status_code == 201, response.text
    token: str = response.json()["csrf_token"]
    return token


def add_council(
    browser: TestClient, csrf: str, **fields: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    response = browser.post(
        "/api/v1/platform/councils", json=NEW_COUNCIL | fields, headers={"X-CSRF-Token": csrf}
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created, created["council"]


def set_password_with(browser: TestClient, path: str, password: str) -> None:
    token = path.split("token=", 1)[1]
    response = another_browser(browser).post(
        "/api/v1/password-resets/use", json={"token": token, "new_password": password}
    )
    assert response.status_code == 204, response.text


def test_a_platform_administrator_belongs_to_no_council_and_holds_no_council_role(
    platform_admin: User,
) -> None:
    assert platform_admin.org_id == NO_COUNCIL
    assert platform_admin.roles == []
    with pytest.raises(ValidationError):
        Caller(org_id=NO_COUNCIL, user_id="x", roles=frozenset({Role.ADMIN}), platform_admin=True)
    with pytest.raises(ValidationError):
        Caller(org_id=NO_COUNCIL, user_id="x")  # no council, yet not a platform administrator
    with pytest.raises(ValidationError):
        Caller(org_id=uuid.uuid4(), user_id="x", platform_admin=True)


def test_the_command_line_reads_the_password_from_stdin_never_from_its_arguments(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(SystemExit):
        platform.main(["create-admin", "--email", PLATFORM_EMAIL, "--password", "x" * 20])
    monkeypatch.setattr("sys.stdin", io.StringIO(PLATFORM_PASSWORD + "\n"))
    assert platform._read_password() == PLATFORM_PASSWORD


@pytest.mark.parametrize(
    ("email", "password", "why"),
    [
        ("not an email", PLATFORM_PASSWORD, "email address"),
        (PLATFORM_EMAIL, "short", "12 characters"),
        ("admin@demo.example", PLATFORM_PASSWORD, "already in use"),
    ],
)
def test_the_command_line_refuses_a_bad_email_a_weak_password_or_a_taken_email(
    database: Database, demo_org: uuid.UUID, email: str, password: str, why: str
) -> None:
    add_user(database, demo_org, Role.ADMIN, email="admin@demo.example")
    with pytest.raises(platform.CommandFailed, match=why):
        platform.create_admin(database, email=email, name="Platform", password=password)


def test_a_platform_administrator_adds_a_council_whose_admin_sets_a_password_and_signs_in(
    browser: TestClient, platform_admin: User
) -> None:
    csrf = api_sign_in(browser, PLATFORM_EMAIL, PLATFORM_PASSWORD)
    created, council = add_council(browser, csrf)
    assert council["name"] == "Northshire Council"
    assert council["slug"] == "northshire"
    assert council["usage"] == {
        "people": 1,
        "active_people": 1,
        "api_keys": 0,
        "last_sign_in_at": None,
    }
    assert created["admin"]["email"] == "admin@northshire.example"
    # No password was typed for them: until they use the link, nobody can sign in as them.
    refused = another_browser(browser).post(
        "/api/v1/sessions", json={"email": "admin@northshire.example", "password": "x" * 12}
    )
    assert refused.status_code == 401
    set_password_with(browser, created["password_reset"]["path"], NEW_ADMIN_PASSWORD)

    admin = another_browser(browser)
    api_sign_in(admin, "admin@northshire.example", NEW_ADMIN_PASSWORD)
    me = admin.get("/api/v1/me").json()
    assert me["organisation"]["id"] == council["id"]
    assert me["roles"] == ["admin"]
    listed = {c["slug"]: c for c in browser.get("/api/v1/platform/councils").json()["items"]}
    assert listed["northshire"]["usage"]["last_sign_in_at"] is not None


def test_a_new_council_with_a_taken_code_name_or_email_is_refused_by_the_field(
    browser: TestClient, platform_admin: User, demo_org: uuid.UUID, database: Database
) -> None:
    add_user(database, demo_org, Role.ADMIN, email="admin@demo.example")
    csrf = api_sign_in(browser, PLATFORM_EMAIL, PLATFORM_PASSWORD)
    add_council(browser, csrf)
    response = browser.post(
        "/api/v1/platform/councils",
        json={"name": "northshire council", "slug": "northshire", "admin_email": PLATFORM_EMAIL},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 422, response.text
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"name", "slug", "admin_email"}
    bad = browser.post(
        "/api/v1/platform/councils",
        json={"name": "", "slug": "North Shire!", "admin_email": "nobody"},
        headers={"X-CSRF-Token": csrf},
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"name", "slug", "admin_email"}


def test_disabling_a_council_signs_its_people_out_keeps_them_out_and_stops_its_keys(
    browser: TestClient, platform_admin: User, secure_system: System, database: Database
) -> None:
    csrf = api_sign_in(browser, PLATFORM_EMAIL, PLATFORM_PASSWORD)
    created, council = add_council(browser, csrf)
    org_id = uuid.UUID(council["id"])
    set_password_with(browser, created["password_reset"]["path"], NEW_ADMIN_PASSWORD)
    admin = another_browser(browser)
    admin_csrf = api_sign_in(admin, "admin@northshire.example", NEW_ADMIN_PASSWORD)
    measure = admin.post(
        "/api/v1/kpi/measures",
        json={"code": "N-1", "title": "Northshire measure"},
        headers={"X-CSRF-Token": admin_csrf},
    )
    assert measure.status_code == 201, measure.text
    with secure_system.gateway.state.database.session(org_id) as session:
        key = make_api_key(session, "warehouse").secret
        session.commit()
    integrator = another_browser(browser)
    assert integrator.get("/api/v1/kpi/measures", headers={"X-API-Key": key}).status_code == 200

    disabled = browser.post(
        f"/api/v1/platform/councils/{org_id}/disable", headers={"X-CSRF-Token": csrf}
    )
    assert disabled.status_code == 200, disabled.text
    assert disabled.json()["disabled_at"] is not None

    assert admin.get("/api/v1/me").status_code == 401  # signed out at once
    again = another_browser(browser).post(
        "/api/v1/sessions",
        json={"email": "admin@northshire.example", "password": NEW_ADMIN_PASSWORD},
    )
    assert again.status_code == 401
    assert integrator.get("/api/v1/kpi/measures", headers={"X-API-Key": key}).status_code == 401
    with database.session(org_id) as session:  # its records stay
        assert session.execute(text("select count(*) from kpi.measures")).scalar_one() == 1

    enabled = browser.post(
        f"/api/v1/platform/councils/{org_id}/enable", headers={"X-CSRF-Token": csrf}
    )
    assert enabled.status_code == 200
    assert enabled.json()["disabled_at"] is None
    listed = integrator.get("/api/v1/kpi/measures", headers={"X-API-Key": key})
    assert listed.status_code == 200
    assert "Northshire measure" in listed.text
    api_sign_in(another_browser(browser), "admin@northshire.example", NEW_ADMIN_PASSWORD)


def test_adding_and_disabling_a_council_are_in_its_identity_audit_trail(
    browser: TestClient, platform_admin: User, database: Database
) -> None:
    csrf = api_sign_in(browser, PLATFORM_EMAIL, PLATFORM_PASSWORD)
    _created, council = add_council(browser, csrf)
    org_id = uuid.UUID(council["id"])
    browser.post(f"/api/v1/platform/councils/{org_id}/disable", headers={"X-CSRF-Token": csrf})
    with database.session(org_id) as session:
        rows = session.execute(
            text(
                "select actor, action, entity, after from identity.audit_events "
                "where org_id = :org order by id"
            ),
            {"org": org_id},
        ).all()
    done = [(action, entity) for _actor, action, entity, _after in rows]
    assert done == [
        ("create", "organisations"),
        ("create", "users"),
        ("create", "password_resets"),
        ("update", "organisations"),
    ]
    assert {actor for actor, *_ in rows} == {str(platform_admin.id)}
    assert rows[-1][3]["disabled_at"] is not None


def test_the_usage_counts_people_working_keys_and_the_last_sign_in(
    browser: TestClient, platform_admin: User, database: Database, demo_org: uuid.UUID
) -> None:
    admin = add_user(database, demo_org, Role.ADMIN, email="admin@demo.example")
    disabled = add_user(database, demo_org, Role.VIEWER)
    with database.session(demo_org) as session:
        session.get(User, disabled.id).disabled = True  # type: ignore[union-attr]
        for name in ("live", "revoked"):
            new = make_api_key(session, name)
            if name == "revoked":
                new.row.revoked_at = new.row.created_at
        session.commit()
    api_sign_in(another_browser(browser), admin.email, PASSWORD)
    api_sign_in(browser, PLATFORM_EMAIL, PLATFORM_PASSWORD)
    (demo,) = [
        c for c in browser.get("/api/v1/platform/councils").json()["items"] if c["slug"] != "x"
    ]
    assert demo["id"] == str(demo_org)
    usage = demo["usage"]
    assert (usage["people"], usage["active_people"], usage["api_keys"]) == (2, 1, 1)
    assert usage["last_sign_in_at"] is not None
    # Signing in left no new version and no audit row on the person.
    with database.session(demo_org) as session:
        assert session.scalar(select(User.version).where(User.id == admin.id)) == 1


PLATFORM_OPERATIONS = [
    ("GET", "/api/v1/platform/councils"),
    ("POST", "/api/v1/platform/councils"),
    ("GET", "/api/v1/platform/councils/{org_id}"),
    ("POST", "/api/v1/platform/councils/{org_id}/disable"),
    ("POST", "/api/v1/platform/councils/{org_id}/enable"),
]


def test_every_platform_operation_is_listed_here(api: TestClient) -> None:
    document = api.get("/api/v1/openapi.json").json()
    found = [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if path.startswith("/api/v1/platform/")
    ]
    assert sorted(found) == sorted(PLATFORM_OPERATIONS)


def test_no_council_role_and_no_api_key_reaches_the_platform_api(
    api_as: Callable[[Caller], TestClient], secure_system: System, demo_org: uuid.UUID
) -> None:
    with secure_system.gateway.state.database.session(demo_org) as session:
        key = make_api_key(
            session,
            "every service",
            access="read_write",
            services=["kpi", "projects", "finance"],
            role="programme_office",
        ).secret
        session.commit()
    clients = [api_as(make_caller(demo_org, role)) for role in Role]
    clients.append(TestClient(secure_system.gateway, headers={"X-API-Key": key}))
    for client in clients:
        for method, path in PLATFORM_OPERATIONS:
            url = path.replace("{org_id}", str(demo_org))
            response = client.request(method, url, json=NEW_COUNCIL)
            assert response.status_code == 403, f"{method} {url}: {response.text}"


def test_a_service_refuses_a_platform_administrator_even_with_a_token_signed_for_it(
    system: System, settings: Settings
) -> None:
    for name, service in system.services.items():
        token = sign_identity(
            platform_caller(),
            settings.identity_signing_key.get_secret_value(),
            audience=name,
            ttl_seconds=30,
        )
        client = TestClient(service, headers={"X-ASC-Identity": token})
        path = {"kpi": "/measures", "projects": "/projects", "finance": "/savings-lines"}[name]
        response = client.get(path)
        assert response.status_code == 403, f"{name}: {response.text}"
        assert response.json()["detail"] == PLATFORM_REFUSAL


def _csrf_of(page: str) -> str:
    marker = 'name="csrf_token" value="'
    assert marker in page, page
    return page.split(marker, 1)[1].split('"', 1)[0]


def test_the_platform_pages_add_a_council_keeping_what_was_typed_and_disable_it(
    browser: TestClient, platform_admin: User, demo_org: uuid.UUID
) -> None:
    signed_in = post_sign_in(
        browser, {"email": PLATFORM_EMAIL, "password": PLATFORM_PASSWORD, "next": "/"}
    )
    assert signed_in.status_code == 303
    home = browser.get("/")  # no council, so no dashboard: their own pages instead
    assert (home.status_code, home.headers["location"]) == (303, "/platform")
    listing = browser.get("/platform")
    assert listing.status_code == 200
    assert "Demo Council" in listing.text
    assert 'href="/platform"' in listing.text
    assert 'href="/kpis"' not in listing.text  # the council menu is not theirs
    assert browser.get("/account/password").status_code == 200  # their own account is theirs
    csrf = _csrf_of(listing.text)

    typed = {"name": "Eastmoor Council", "slug": "East Moor!", "admin_email": "not-an-email"}
    refused = browser.post("/platform/councils/new", data=typed | {"csrf_token": csrf})
    assert refused.status_code == 422
    assert_shows(
        refused.text,
        "govuk-error-summary",
        'href="#slug"',
        'href="#admin_email"',
        'value="Eastmoor Council"',
        'value="East Moor!"',
    )

    good = typed | {"slug": "eastmoor", "admin_email": "admin@eastmoor.example"}
    added = browser.post("/platform/councils/new", data=good | {"csrf_token": csrf})
    assert added.status_code == 200, added.text
    assert "/reset-password?token=" in added.text
    assert added.headers["cache-control"] == "no-store"
    council_id = added.text.split('href="/platform/councils/', 1)[1].split('"', 1)[0]

    page = browser.get(f"/platform/councils/{council_id}")
    assert "Disable Eastmoor Council" in page.text
    disabled = browser.post(f"/platform/councils/{council_id}/disable", data={"csrf_token": csrf})
    assert disabled.status_code == 303
    after = browser.get(f"/platform/councils/{council_id}").text
    assert "Disabled" in after
    assert "Enable Eastmoor Council" in after


def test_a_council_administrator_is_refused_every_platform_page(
    api: TestClient, demo_org: uuid.UUID
) -> None:
    for page in ("/platform", "/platform/councils/new", f"/platform/councils/{demo_org}"):
        assert api.get(page).status_code == 403, page
    for form in ("/platform/councils/new", f"/platform/councils/{demo_org}/disable"):
        assert api.post(form, data=NEW_COUNCIL).status_code == 403, form
