"""The demo council comes with one sign-in per role, and only with the demo data."""

from fastapi.testclient import TestClient
from sqlalchemy import select

from common.db import Database
from common.identity import Role
from common.settings import Settings
from gateway.accounts import unscoped
from gateway.demo import DEMO_PASSWORD, DEMO_USERS, describe
from gateway.models import User
from stack.demo import load_demo
from stack.testing.plugin import build_system


def test_loading_the_demo_data_adds_one_person_per_role_who_can_sign_in(
    settings: Settings, database: Database
) -> None:
    assert load_demo(database)
    with unscoped(database.session(None)) as session:
        people = list(session.scalars(select(User)))
    assert sorted(r for u in people for r in u.roles) == sorted(r.value for r in Role)
    assert {u.org_id for u in people} == {settings.demo_org_id}
    system = build_system(settings, database, caller=None, real_sign_in=True)
    with TestClient(system.gateway, base_url="http://gateway", follow_redirects=False) as client:
        answer = client.post(
            "/api/v1/sessions", json={"email": "viewer@demo.example", "password": DEMO_PASSWORD}
        )
        assert answer.status_code == 201
        assert client.get("/api/v1/me").json()["roles"] == ["viewer"]


def test_without_demo_data_there_are_no_demo_people(database: Database) -> None:
    with unscoped(database.session(None)) as session:
        assert session.scalars(select(User)).all() == []


def test_the_console_lists_every_demo_sign_in() -> None:
    text = describe()
    assert DEMO_PASSWORD in text
    assert all(email in text for email, *_ in DEMO_USERS)
