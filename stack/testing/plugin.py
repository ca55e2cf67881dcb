"""Pytest fixtures that build the whole system in-process (gateway → services → database, and
the web app through the gateway) on the database fixtures of `common.testing.plugin`.

Every app built here records its writes for the suite-wide audit check of that plugin.
"""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from common.db import Database
from common.http import ServiceClients
from common.identity import Caller
from common.settings import DEMO_ORG_ID, Settings
from common.testing.plugin import RecordWrites, audit_check, make_caller
from gateway.app import create_app as create_gateway
from gateway.models import Organisation
from services.finance.app import create_app as create_finance
from services.kpi.app import create_app as create_kpi
from services.projects.app import create_app as create_projects
from web.app import create_app as create_web


def make_organisation(
    database: Database, *, name: str, org_id: uuid.UUID | None = None
) -> uuid.UUID:
    org_id = org_id or uuid.uuid4()
    with database.session(None) as session:
        session.add(Organisation(id=org_id, slug=f"org-{org_id.hex[:8]}", name=name))
        session.commit()
    return org_id


@pytest.fixture
def demo_org(database: Database) -> uuid.UUID:
    """The demo council, as the development identity uses it."""
    return make_organisation(database, name="Demo Council", org_id=DEMO_ORG_ID)


@pytest.fixture
def other_org(database: Database) -> uuid.UUID:
    """A second council sharing the deployment."""
    return make_organisation(database, name="Other Council")


@dataclass
class System:
    """Every app, wired to each other in-process, over one test database."""

    gateway: FastAPI
    web: FastAPI
    services: dict[str, FastAPI]

    def client(self) -> TestClient:
        return TestClient(self.gateway, base_url="http://gateway")


def build_system(
    settings: Settings,
    database: Database,
    *,
    caller: Caller | None,
    transports: dict[str, httpx.AsyncBaseTransport] | None = None,
    real_sign_in: bool = False,
) -> System:
    """Assemble the system. `transports` overrides an upstream (e.g. one that is down);
    `real_sign_in` uses the gateway's own sign-in (sessions, API keys) instead of `caller`."""
    factories: dict[str, Callable[..., FastAPI]] = {
        "kpi": create_kpi,
        "projects": create_projects,
        "finance": create_finance,
    }
    services = {
        name: factory(settings=settings, database=database) for name, factory in factories.items()
    }
    check = audit_check(database)
    for name, app in services.items():
        if check:
            app.add_middleware(RecordWrites, check=check, schema=name, own_api_only=False)
    for app in services.values():
        app.state.clients = ServiceClients(
            settings,
            {
                name: TestClient(other, base_url=f"http://{name}")
                for name, other in services.items()
            },
        )

    async def authenticate(_request: Any) -> Caller | None:
        return caller

    web_transport = _LateASGITransport()
    web = create_web(settings=settings, gateway_transport=web_transport)
    upstream: dict[str, httpx.AsyncBaseTransport] = {
        name: httpx.ASGITransport(app=app) for name, app in services.items()
    }
    upstream["web"] = httpx.ASGITransport(app=web)
    upstream.update(transports or {})
    gateway = create_gateway(
        settings=settings,
        database=database,
        transports=upstream,
        authenticator=None if real_sign_in else authenticate,
    )
    if check:
        gateway.add_middleware(RecordWrites, check=check, schema="identity", own_api_only=True)
    web_transport.app = gateway
    return System(gateway=gateway, web=web, services=services)


class _LateASGITransport(httpx.AsyncBaseTransport):
    """An ASGI transport whose app is set after construction (web and gateway call each other)."""

    app: FastAPI | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert self.app is not None
        return await httpx.ASGITransport(app=self.app).handle_async_request(request)


@pytest.fixture
def system(settings: Settings, database: Database, demo_org: uuid.UUID) -> System:
    """The whole system acting as an administrator of the demo council."""
    return build_system(settings, database, caller=make_caller(demo_org))


@pytest.fixture
def api(system: System) -> Iterator[TestClient]:
    """An HTTP client on the gateway, signed in as an administrator of the demo council."""
    with system.client() as client:
        yield client


@pytest.fixture
def api_as(settings: Settings, database: Database) -> Iterator[Callable[[Caller], TestClient]]:
    """`api_as(caller)`: a gateway client acting as `caller` (any organisation, any roles)."""
    clients: list[TestClient] = []

    def make(caller: Caller) -> TestClient:
        client = build_system(settings, database, caller=caller).client()
        clients.append(client)
        return client.__enter__()

    yield make
    for client in clients:
        client.__exit__(None, None, None)
