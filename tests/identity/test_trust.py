"""Services trust only the gateway's short-lived signature."""

import logging
import secrets
import time
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from common.db import Database
from common.identity import IDENTITY_HEADER, sign_identity
from common.settings import Settings
from common.testing.plugin import TEST_SIGNING_KEY, make_caller
from stack.testing.plugin import System


def test_every_service_refuses_a_call_without_the_gateways_signature(system: System) -> None:
    for name, app in system.services.items():
        with TestClient(app) as direct:
            paths = direct.get("/openapi.json").json()["paths"]
            plain = [p for p, item in paths.items() if "get" in item and "{" not in p]
            assert plain, name
            for path in plain:
                assert direct.get(path).status_code == 401, (name, path)


def test_a_token_signed_with_another_key_or_expired_is_refused(system: System) -> None:
    caller = make_caller(system.gateway.state.settings.demo_org_id)
    forged = sign_identity(caller, secrets.token_urlsafe(48), audience="kpi", ttl_seconds=30)
    expired = sign_identity(
        caller, TEST_SIGNING_KEY, audience="kpi", ttl_seconds=30, now=time.time() - 60
    )
    with TestClient(system.services["kpi"]) as direct:
        for token in (forged, expired):
            assert direct.get("/measures", headers={IDENTITY_HEADER: token}).status_code == 401


def test_a_token_for_one_service_is_refused_by_the_others_and_by_the_web_app(
    system: System,
) -> None:
    caller = make_caller(system.gateway.state.settings.demo_org_id)
    for_kpi = {
        IDENTITY_HEADER: sign_identity(caller, TEST_SIGNING_KEY, audience="kpi", ttl_seconds=30)
    }
    with TestClient(system.services["kpi"]) as kpi:
        assert kpi.get("/measures", headers=for_kpi).status_code == 200
    with TestClient(system.services["finance"]) as finance:
        assert finance.get("/savings-lines", headers=for_kpi).status_code == 401
    with TestClient(system.web, follow_redirects=False) as web:
        assert "Sign out" not in web.get("/account/sessions", headers=for_kpi).text


def test_a_token_made_to_live_for_a_billion_seconds_is_refused(system: System) -> None:
    caller = make_caller(system.gateway.state.settings.demo_org_id)
    token = sign_identity(caller, TEST_SIGNING_KEY, audience="kpi", ttl_seconds=10**9)
    with TestClient(system.services["kpi"]) as direct:
        assert direct.get("/measures", headers={IDENTITY_HEADER: token}).status_code == 401


@pytest.mark.parametrize("key", ["a" * 32, "test-signing-key-" + "x" * 32])
def test_every_app_refuses_to_start_with_a_weak_signing_key(
    settings: Settings, database: Database, key: str
) -> None:
    from gateway.app import create_app as create_gateway
    from services.finance.app import create_app as create_finance
    from services.kpi.app import create_app as create_kpi
    from services.projects.app import create_app as create_projects
    from web.app import create_app as create_web

    weak = settings.model_copy(update={"identity_signing_key": SecretStr(key)})
    for factory in (create_kpi, create_projects, create_finance):
        with pytest.raises(RuntimeError, match="IDENTITY_SIGNING_KEY is too easy to guess"):
            factory(settings=weak, database=database)
    with pytest.raises(RuntimeError, match="IDENTITY_SIGNING_KEY is too easy to guess"):
        create_gateway(settings=weak, database=database)
    with pytest.raises(RuntimeError, match="IDENTITY_SIGNING_KEY is too easy to guess"):
        create_web(settings=weak)


def test_identity_sent_by_a_client_to_the_gateway_is_ignored(browser: TestClient) -> None:
    caller = make_caller(browser.app.state.settings.demo_org_id)  # type: ignore[attr-defined]
    token = sign_identity(caller, TEST_SIGNING_KEY, audience="kpi", ttl_seconds=30)
    response = browser.get("/api/v1/kpi/measures", headers={IDENTITY_HEADER: token})
    assert response.status_code == 401


@pytest.mark.parametrize("path", ["/", "/kpis", "/projects", "/savings", "/account/sessions"])
def test_the_web_app_reached_without_a_token_sends_the_browser_to_sign_in(
    secure_system: System, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    with TestClient(secure_system.web, follow_redirects=False) as web:
        page = web.get(path)
        fragment = web.get(path, headers={"HX-Request": "true"})
    assert page.status_code == 303
    assert page.headers["location"] == "/sign-in?next=" + quote(path, safe="")
    assert fragment.headers["hx-redirect"] == page.headers["location"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
