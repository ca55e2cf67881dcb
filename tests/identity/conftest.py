"""The system with real sign-in (sessions and API keys), people to sign in as, and a clock."""

import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from common.db import Database
from common.identity import Role
from common.settings import Settings
from gateway.accounts import NewKey, mint_api_key
from gateway.models import User
from stack.testing.plugin import System, build_system

PASSWORD = "correct horse battery staple"
# Test people get argon2id hashes with tiny costs: the cost is part of the hash, so checking them
# is quick, while hashes the application itself makes keep the library's full cost.
_CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@dataclass
class Clock:
    """A clock the test moves by hand."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime.now(UTC))


def add_user(
    database: Database,
    org_id: uuid.UUID,
    *roles: Role,
    email: str | None = None,
    team: str | None = None,
    password: str = PASSWORD,
) -> User:
    with database.session(org_id) as session:
        user = User(
            email=email or f"{uuid.uuid4().hex[:10]}@example.org",
            display_name="Test person",
            team=team,
            roles=[r.value for r in roles or (Role.ADMIN,)],
            password_hash=_CHEAP.hash(password),
        )
        session.add(user)
        session.commit()
        return user


@pytest.fixture
def secure_system(
    settings: Settings, database: Database, demo_org: uuid.UUID, clock: Clock
) -> System:
    """The whole system with the gateway's real sign-in, on a clock the test controls."""
    system = build_system(settings, database, caller=None, real_sign_in=True)
    system.gateway.state.clock = clock
    return system


@pytest.fixture
def browser(secure_system: System) -> Iterator[TestClient]:
    """A browser with nobody signed in; it does not follow redirects, so tests see them."""
    with TestClient(
        secure_system.gateway, base_url="http://gateway", follow_redirects=False
    ) as client:
        yield client


@pytest.fixture
def person(database: Database, demo_org: uuid.UUID) -> User:
    """An administrator of the demo council."""
    return add_user(database, demo_org, Role.ADMIN, email="admin@demo.example")


def post_sign_in(client: TestClient, form: dict[str, str]) -> Response:
    """Fill in the sign-in page as a browser does: the form carries the page's sign-in token."""
    page = client.get("/sign-in")
    marker = 'name="sign_in_token" value="'
    assert marker in page.text, page.text
    token = page.text.split(marker, 1)[1].split('"', 1)[0]
    response: Response = client.post("/sign-in", data={"sign_in_token": token, **form})
    return response


def sign_in(client: TestClient, email: str, password: str = PASSWORD, csrf: str = "") -> str:
    """Sign in through the web page; return the session's CSRF token. Someone already signed in
    sends their current token, as the sign-in form does for them."""
    form = {"email": email, "password": password, "next": "/", "csrf_token": csrf}
    response = post_sign_in(client, form)
    assert response.status_code == 303, response.text
    me = client.get("/")
    marker = 'name="csrf_token" value="'
    assert marker in me.text, me.text
    token: str = me.text.split(marker, 1)[1].split('"', 1)[0]
    return token


def another_browser(beside: System | TestClient) -> TestClient:
    """A second browser (or an integrator's program) with no cookies, on the gateway of the
    system or of the browser `beside`. Not entered as a context manager: leaving it would shut
    the shared gateway down."""
    gateway = beside.gateway if isinstance(beside, System) else beside.app
    return TestClient(gateway, base_url="http://gateway", follow_redirects=False)


def signed_in_browser(
    beside: System | TestClient, email: str, password: str = PASSWORD
) -> TestClient:
    """A second browser on the same gateway, signed in as `email` through the sign-in page."""
    client = another_browser(beside)
    sign_in(client, email, password)
    return client


def change_password(browser: TestClient, csrf: str, current: str, new: str) -> Response:
    """Fill in the change-password page: the current password, and the new one twice."""
    form = {"current_password": current, "new_password": new, "confirm_password": new}
    response: Response = browser.post("/account/password", data={"csrf_token": csrf, **form})
    return response


def post_signed_in(
    browser: TestClient,
    email: str,
    path: str,
    *,
    json: object = None,
    form: Mapping[str, object] | None = None,
) -> Response:
    """Sign `email` in, then post an API body (`json`, the CSRF token in its header) or a page's
    form (`form`, the token in its field) as that person's browser does."""
    csrf = sign_in(browser, email)
    if form is not None:
        response: Response = browser.post(path, data={"csrf_token": csrf, **form})
    else:
        response = browser.post(path, json=json, headers={"X-CSRF-Token": csrf})
    return response


def make_api_key(
    session: Session,
    name: str,
    *,
    access: str = "read",
    services: Sequence[str] = ("kpi",),
    role: str = "viewer",
    team: str | None = None,
) -> NewKey:
    """An API key made straight in the council's tables, never expiring: by default a viewer's
    read-only key to the kpi service."""
    return mint_api_key(
        session,
        name=name,
        access=access,
        services=list(services),
        role=role,
        team=team,
        expires_at=None,
        created_by="test",
    )


def new_person(**fields: object) -> dict[str, object]:
    """What an admin types to add someone: a viewer with a good password, but for `fields`."""
    typed: dict[str, object] = {
        "email": "new.person@demo.example",
        "display_name": "New person",
        "roles": ["viewer"],
        "password": "a long enough password",
    }
    return typed | fields
