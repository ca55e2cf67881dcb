"""Single sign-on through OpenID Connect, against a local mock provider (no network)."""

import uuid
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from common.db import Database
from common.settings import Settings
from gateway.sso import roles_for
from stack.testing.plugin import build_system
from tests.identity.conftest import add_user

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the mock imports parts of authlib that warn of their age
    import oidc_provider_mock

IDP = "https://idp"
GROUPS = {"asc-admins": "admin", "asc-finance": "finance"}


class _AsyncWSGI(httpx.AsyncBaseTransport):
    """The mock provider (a WSGI app) for the gateway's async client."""

    def __init__(self, app: Any) -> None:
        self.sync = httpx.WSGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        copy = httpx.Request(request.method, request.url, headers=request.headers, content=body)
        return await run_in_threadpool(self._quietly, copy)

    def _quietly(self, request: httpx.Request) -> httpx.Response:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the mock's own use of older authlib parts
            response = self.sync.handle_request(request)
            content = response.read()
        return httpx.Response(response.status_code, headers=response.headers, content=content)


@pytest.fixture
def provider() -> Any:
    users = [
        oidc_provider_mock.User(
            sub="ada",
            claims={"email": "Ada@Demo.example", "name": "Ada", "groups": ["asc-finance"]},
        ),
        oidc_provider_mock.User(
            sub="nobody", claims={"email": "nobody@demo.example", "groups": ["other"]}
        ),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return oidc_provider_mock.app(user_claims=users)


@pytest.fixture
def sso_browser(
    settings: Settings, database: Database, demo_org: uuid.UUID, provider: Any
) -> Iterator[TestClient]:
    sso_settings = settings.model_copy(
        update={
            "oidc_issuer": IDP,
            "oidc_client_id": "asc-tracker",
            "oidc_client_secret": SecretStr("client-secret"),
            "oidc_group_roles": GROUPS,
        }
    )
    system = build_system(sso_settings, database, caller=None, real_sign_in=True)
    system.gateway.state.sso_transport = _AsyncWSGI(provider)
    system.web.state.settings = sso_settings
    with TestClient(system.gateway, base_url="http://gateway", follow_redirects=False) as client:
        yield client


def _through_provider(browser: TestClient, provider: Any, sub: str) -> httpx.Response:
    started = browser.get("/sign-in/sso", params={"next": "/kpis"})
    assert started.status_code == 303, started.text
    authorize = started.headers["location"]
    assert authorize.startswith(IDP + "/oauth2/authorize?")
    assert "code_challenge_method=S256" in authorize
    with (
        warnings.catch_warnings(),
        httpx.Client(transport=httpx.WSGITransport(app=provider)) as idp,
    ):
        warnings.simplefilter("ignore")
        consent = idp.post(authorize, data={"sub": sub})
    assert consent.status_code == 302, consent.text
    back = consent.headers["location"]
    assert back.startswith("http://gateway/sign-in/sso/callback?")
    finished: httpx.Response = browser.get(back)
    return finished


def test_single_sign_on_creates_the_person_with_roles_from_their_groups(
    sso_browser: TestClient, provider: Any
) -> None:
    finished = _through_provider(sso_browser, provider, "ada")
    assert finished.status_code == 303, finished.text
    assert finished.headers["location"] == "/kpis"
    me = sso_browser.get("/api/v1/me").json()
    assert me["roles"] == ["finance"]
    assert me["display_name"] == "Ada"


def test_single_sign_on_updates_an_existing_persons_roles(
    sso_browser: TestClient, provider: Any, database: Database, demo_org: uuid.UUID
) -> None:
    from common.identity import Role

    add_user(database, demo_org, Role.VIEWER, email="ada@demo.example")
    assert _through_provider(sso_browser, provider, "ada").status_code == 303
    assert sso_browser.get("/api/v1/me").json()["roles"] == ["finance"]


def test_a_role_change_by_single_sign_on_is_in_the_audit_trail_by_the_provider(
    sso_browser: TestClient, provider: Any, database: Database, demo_org: uuid.UUID
) -> None:
    from common.identity import Role

    ada = add_user(database, demo_org, Role.VIEWER, email="ada@demo.example")
    assert _through_provider(sso_browser, provider, "ada").status_code == 303
    with database.session(demo_org) as session:
        change = session.execute(
            text(
                "select actor, client, before, after from identity.audit_events "
                "where entity = 'users' and entity_id = :id and action = 'update'"
            ),
            {"id": str(ada.id)},
        ).one()
    assert (change.actor, change.client) == ("sso", "sso")
    assert (change.before, change.after) == ({"roles": ["viewer"]}, {"roles": ["finance"]})


def test_someone_in_no_mapped_group_is_refused(sso_browser: TestClient, provider: Any) -> None:
    finished = _through_provider(sso_browser, provider, "nobody")
    assert finished.status_code == 403
    assert sso_browser.get("/api/v1/me").status_code == 401


def test_a_callback_with_a_forged_state_is_refused(sso_browser: TestClient, provider: Any) -> None:
    sso_browser.get("/sign-in/sso")
    response = sso_browser.get("/sign-in/sso/callback", params={"code": "x", "state": "forged"})
    assert response.status_code == 401


def test_the_sign_in_page_offers_single_sign_on_when_it_is_set_up(
    sso_browser: TestClient,
) -> None:
    assert 'href="/sign-in/sso?next=' in sso_browser.get("/sign-in").text


def test_without_a_provider_there_is_no_single_sign_on(browser: TestClient) -> None:
    assert browser.get("/sign-in/sso").status_code == 404
    assert "/sign-in/sso" not in browser.get("/sign-in").text


def test_groups_map_to_known_roles_only() -> None:
    assert roles_for(["asc-admins", "asc-finance", "x"], GROUPS) == ["admin", "finance"]
    assert roles_for(["x"], {"x": "superuser"}) == []
