"""No stack trace, SQL or secret ever reaches a client in an error."""

import httpx
from fastapi.testclient import TestClient

from common.db import Database
from common.settings import Settings
from common.testing.plugin import make_caller
from stack.testing.plugin import build_system


class _Exploding(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise RuntimeError("select password_hash from identity.users -- internal detail")


def test_an_unexpected_failure_is_a_plain_500_problem(
    settings: Settings, database: Database, demo_org: object
) -> None:
    system = build_system(
        settings,
        database,
        caller=make_caller(settings.demo_org_id),
        transports={"kpi": _Exploding()},
    )
    with TestClient(system.gateway, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/kpi/measures")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "select" not in response.text
    assert "Traceback" not in response.text
    assert "password_hash" not in response.text
    assert response.headers["content-security-policy"]  # the headers are there on errors too
