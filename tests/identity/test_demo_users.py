"""The demo council comes with one sign-in per role, and only with the demo data."""

from fastapi.testclient import TestClient
from sqlalchemy import select

from common.db import Database
from common.identity import NO_COUNCIL, Role
from common.settings import Settings
from gateway.accounts import unscoped
from gateway.demo import DEMO_PASSWORD, DEMO_USERS, PLATFORM_ADMIN, SECOND_COUNCIL_USERS, describe
from gateway.models import User
from stack.demo import SECOND_DEMO_ORG_ID, load_demo
from stack.testing.plugin import build_system


def test_loading_the_demo_data_adds_one_person_per_role_who_can_sign_in(
    settings: Settings, database: Database
) -> None:
    assert load_demo(database)
    with unscoped(database.session(None)) as session:
        people = list(session.scalars(select(User)))
    demo = [u for u in people if u.org_id == settings.demo_org_id]
    assert sorted(r for u in demo for r in u.roles) == sorted(r.value for r in Role)
    second = {u.email for u in people if u.org_id == SECOND_DEMO_ORG_ID}
    assert second == {email for email, *_ in SECOND_COUNCIL_USERS}
    (platform,) = [u for u in people if u.org_id == NO_COUNCIL]
    assert (platform.email, platform.roles) == (PLATFORM_ADMIN[0], [])
    system = build_system(settings, database, caller=None, real_sign_in=True)
    with TestClient(system.gateway, base_url="http://gateway", follow_redirects=False) as client:
        answer = client.post(
            "/api/v1/sessions", json={"email": "viewer@demo.example", "password": DEMO_PASSWORD}
        )
        assert answer.status_code == 201
        assert client.get("/api/v1/me").json()["roles"] == ["viewer"]


def test_the_second_demo_council_sees_its_own_plan_and_not_the_first_ones(
    settings: Settings, database: Database
) -> None:
    assert load_demo(database)
    system = build_system(settings, database, caller=None, real_sign_in=True)
    seen: dict[str, set[str]] = {}
    with TestClient(system.gateway, base_url="http://gateway") as client:
        for email in ("viewer@demo.example", "viewer@second-demo.example"):
            client.cookies.clear()
            answer = client.post(
                "/api/v1/sessions", json={"email": email, "password": DEMO_PASSWORD}
            )
            assert answer.status_code == 201
            me = client.get("/api/v1/me").json()
            listed = client.get("/api/v1/kpi/measures")
            assert listed.status_code == 200, listed.text
            assert listed.json()["items"], email  # each council has its own demo plan
            seen[me["organisation"]["name"]] = {m["id"] for m in listed.json()["items"]}
    assert set(seen) == {"Demo Council", "Second Demo Council"}
    first, second = seen.values()
    assert first.isdisjoint(second)


def test_without_demo_data_there_are_no_demo_people(database: Database) -> None:
    with unscoped(database.session(None)) as session:
        assert session.scalars(select(User)).all() == []


def test_the_console_lists_every_demo_sign_in() -> None:
    text = describe()
    assert DEMO_PASSWORD in text
    emails = [email for email, *_ in (*DEMO_USERS, *SECOND_COUNCIL_USERS)] + [PLATFORM_ADMIN[0]]
    assert all(email in text for email in emails)
