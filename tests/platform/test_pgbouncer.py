"""The services behind a real PgBouncer in transaction mode: each transaction may land on another
server connection, so nothing may live on a connection between transactions (the role, the
organisation, prepared statements). Runs a smoke subset of the API through it."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from common.db import Database, make_engine
from common.rls import APP_ROLE
from common.settings import Settings
from common.testing.plugin import make_caller
from stack.testing.plugin import build_system
from stack.testing.processes import free_port

PGBOUNCER = shutil.which("pgbouncer") or (
    "/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None
)
pytestmark = pytest.mark.skipif(
    PGBOUNCER is None, reason="Debian's pgbouncer is not installed (`make pgbouncer` installs it)"
)


@pytest.fixture(scope="module")
def bounced_url(database_url: str) -> Iterator[str]:
    """The test database's URL through a PgBouncer in transaction mode with two server
    connections, so that consecutive transactions share and swap them."""
    url = make_url(database_url)
    workdir = Path(tempfile.mkdtemp(prefix="asc-pgbouncer-"))
    port = free_port()
    user = url.username or "postgres"
    # An embedded server listens on a Unix socket, named in the query: PgBouncer can use it too.
    query_host = url.query.get("host")
    server_host = url.host or (query_host if isinstance(query_host, str) else "127.0.0.1")
    server_port = url.port or 5432
    if server_host.startswith("/") and (sockets := list(Path(server_host).glob(".s.PGSQL.*"))):
        server_port = int(sockets[0].name.rsplit(".", 1)[1])
    (workdir / "users.txt").write_text(f'"{user}" "{url.password or ""}"\n')
    (workdir / "pgbouncer.ini").write_text(
        f"""[databases]
{url.database} = host={server_host} port={server_port} dbname={url.database} user={user}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = {"plain" if url.password else "any"}
auth_file = {workdir / "users.txt"}
pool_mode = transaction
default_pool_size = 2
max_client_conn = 100
ignore_startup_parameters = extra_float_digits,options
logfile = {workdir / "pgbouncer.log"}
pidfile = {workdir / "pgbouncer.pid"}
"""
    )
    assert PGBOUNCER is not None
    command = [PGBOUNCER, str(workdir / "pgbouncer.ini")]
    if os.geteuid() == 0:
        # PgBouncer will not run as root: it becomes the user that may reach the server's socket.
        workdir.chmod(0o777)
        owner = Path(server_host).owner() if server_host.startswith("/") else "nobody"
        command[1:1] = ["-u", owner]
    process = subprocess.Popen(command)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        through = url.set(host="127.0.0.1", port=port, query={})
        yield through.render_as_string(hide_password=False)
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def bounced(bounced_url: str) -> Iterator[Database]:
    """The services' own engine (the app role, no prepared statements) through PgBouncer."""
    database = Database(make_engine(bounced_url, role=APP_ROLE, transaction_pooling=True))
    yield database
    database.dispose()


def test_every_transaction_through_pgbouncer_works_as_the_app_role(bounced: Database) -> None:
    roles = set()
    for _ in range(20):  # more transactions than server connections: they are swapped
        with bounced.session(uuid.uuid4()) as session:
            roles.add(session.scalar(text("select current_user")))
            session.commit()
    assert roles == {APP_ROLE}


def test_a_council_setting_never_outlives_its_transaction(bounced: Database) -> None:
    with bounced.session(uuid.uuid4()) as session:
        session.commit()
    for _ in range(5):
        with bounced.sessionmaker() as session:
            assert session.scalar(text("select current_setting('app.org_id', true)")) in ("", None)


def test_the_api_smoke_subset_works_through_pgbouncer(
    settings: Settings, bounced: Database
) -> None:
    council, other = uuid.uuid4(), uuid.uuid4()  # councils of their own: nothing is left shared
    # This database commits for real: no rate-limit counts may outlive the test.
    settings = settings.model_copy(
        update={"rate_limit_per_address_per_minute": 0, "rate_limit_per_key_per_minute": 0}
    )
    system = build_system(settings, bounced, caller=make_caller(council))
    with TestClient(system.gateway, base_url="http://gateway") as api:
        created = api.post(
            "/api/v1/kpi/measures", json={"code": "PGB1", "title": "Reviews on time"}
        )
        assert created.status_code == 201, created.text
        path = f"/api/v1/kpi/measures/{created.json()['id']}"
        for _ in range(8):  # past psycopg's prepare threshold of five
            assert api.get(path).status_code == 200
        etag = api.get(path).headers["etag"]
        changed = api.patch(
            path, json={"title": "Reviews done on time"}, headers={"if-match": etag}
        )
        assert changed.status_code == 200, changed.text
        assert api.get("/api/v1/projects/projects").status_code == 200
        assert api.get("/api/v1/finance/savings-lines").status_code == 200
        assert api.get("/api/v1/kpi/scorecard").status_code == 200
    outsider = build_system(settings, bounced, caller=make_caller(other))
    with TestClient(outsider.gateway, base_url="http://gateway") as api:
        assert api.get(path).status_code == 404  # row-level security held on every connection
    with bounced.session(council) as session:
        session.execute(text("delete from kpi.measures where org_id = :org"), {"org": council})
        session.commit()
