"""Services trust only the gateway's short-lived signature."""

import time

from fastapi.testclient import TestClient

from common.identity import IDENTITY_HEADER, sign_identity
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
    forged = sign_identity(caller, "another-key-" + "y" * 32, ttl_seconds=30)
    expired = sign_identity(caller, TEST_SIGNING_KEY, ttl_seconds=30, now=time.time() - 60)
    with TestClient(system.services["kpi"]) as direct:
        for token in (forged, expired):
            assert direct.get("/measures", headers={IDENTITY_HEADER: token}).status_code == 401


def test_identity_sent_by_a_client_to_the_gateway_is_ignored(browser: TestClient) -> None:
    caller = make_caller(browser.app.state.settings.demo_org_id)  # type: ignore[attr-defined]
    token = sign_identity(caller, TEST_SIGNING_KEY, ttl_seconds=30)
    response = browser.get("/api/v1/kpi/measures", headers={IDENTITY_HEADER: token})
    assert response.status_code == 401
