"""The gateway routes to the services, carries identity and request ids, and survives outages."""

import logging
import uuid
from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient

from common.db import Database, make_engine
from common.identity import IDENTITY_HEADER
from common.settings import Settings
from common.testing.plugin import make_caller
from gateway.app import create_app as create_gateway
from stack.testing.plugin import System, build_system
from tests.helpers import Down


def test_health_and_readiness_of_every_app(system: System) -> None:
    for app in [system.gateway, system.web, *system.services.values()]:
        with TestClient(app) as client:
            assert client.get("/healthz").json() == {"status": "ok"}
            assert client.get("/readyz").status_code == 200


def test_request_reaches_a_service_and_postgres_through_the_gateway(api: TestClient) -> None:
    created = api.post("/api/v1/kpi/measures", json={"code": "ASC01", "title": "Carers supported"})
    assert created.status_code == 201, created.text
    listed = api.get("/api/v1/kpi/measures", params={"limit": 10})
    assert listed.status_code == 200
    assert [m["code"] for m in listed.json()["items"]] == ["ASC01"]


def test_request_id_is_propagated_and_returned(api: TestClient) -> None:
    response = api.get("/api/v1/kpi/measures", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"


def test_a_forged_request_id_is_replaced(api: TestClient) -> None:
    response = api.get("/api/v1/kpi/measures", headers={"X-Request-ID": "bad\nid"})
    assert response.headers["X-Request-ID"] != "bad\nid"


def test_a_service_refuses_a_request_that_did_not_come_through_the_gateway(system: System) -> None:
    with TestClient(system.services["kpi"]) as direct:
        response = direct.get("/measures")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def test_a_client_cannot_set_the_identity_header(system: System) -> None:
    with TestClient(system.services["kpi"]) as direct:
        response = direct.get("/measures", headers={IDENTITY_HEADER: "forged.token"})
    assert response.status_code == 401


def test_unknown_api_is_a_problem_404(api: TestClient) -> None:
    response = api.get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


class _Slow(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)


@pytest.fixture
def reaching(
    settings: Settings, database: Database, demo_org: uuid.UUID
) -> Callable[[str, httpx.AsyncBaseTransport], System]:
    """The whole system, signed in to the demo council, reaching one service through the
    transport given."""

    def build(service: str, transport: httpx.AsyncBaseTransport) -> System:
        caller = make_caller(demo_org)
        return build_system(settings, database, caller=caller, transports={service: transport})

    return build


def test_a_service_that_is_down_gives_502_and_the_others_keep_working(
    reaching: Callable[[str, httpx.AsyncBaseTransport], System],
) -> None:
    with reaching("finance", Down()).client() as api:
        down = api.get("/api/v1/finance/budget-lines")
        assert down.status_code == 502
        assert down.headers["content-type"] == "application/problem+json"
        assert "finance" in down.json()["detail"]
        assert api.get("/api/v1/kpi/measures").status_code == 200
        page = api.get("/")
        assert page.status_code == 200
        assert "finance service is not answering" in page.text


def test_a_slow_service_gives_504(
    reaching: Callable[[str, httpx.AsyncBaseTransport], System],
) -> None:
    with reaching("projects", _Slow()).client() as api:
        response = api.get("/api/v1/projects/priorities")
    assert response.status_code == 504


def test_merged_openapi_lists_every_service_under_its_prefix(api: TestClient) -> None:
    document = api.get("/api/v1/openapi.json").json()
    paths = document["paths"]
    assert "/api/v1/kpi/measures" in paths
    assert "/api/v1/projects/priorities" in paths
    assert "/api/v1/finance/budget-lines" in paths
    assert "/api/v1/me" in paths
    assert "KpiMeasureRead" in document["components"]["schemas"]
    assert "Problem" in document["components"]["schemas"]


def test_api_docs_page_points_at_the_merged_document(api: TestClient) -> None:
    assert "/api/v1/openapi.json" in api.get("/api/docs").text


def test_while_postgres_is_unreachable_the_gateway_answers_503_with_retry_after(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # Nothing listens on port 1: every connection is refused, as while PostgreSQL restarts.
    unreachable = Database(make_engine("postgresql+psycopg://asc@127.0.0.1:1/asc"))
    gateway = create_gateway(settings=settings, database=unreachable)
    with TestClient(gateway, base_url="http://gateway") as client:
        answers = [
            client.get("/api/v1/kpi/measures", headers={"X-API-Key": "asc_a-key"}),
            client.post("/api/v1/sessions", json={"email": "a@b.example", "password": "x"}),
        ]
        client.cookies.set("asc_session", "a-session")
        answers += [client.get("/api/v1/kpi/measures"), client.get("/kpis")]
    for answer in answers:
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert int(answer.headers["retry-after"]) >= 1
        assert answer.json()["detail"] == "The database is not available. Try again shortly."
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
