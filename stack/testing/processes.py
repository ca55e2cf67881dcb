"""The system as `make run` starts it, for end-to-end tests: real processes on free ports."""

import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from common.db import Database, make_engine
from common.migrate import upgrade_all
from common.pg import drop_database, fresh_database
from stack.apps import APPS
from stack.demo import load_demo
from stack.devserver import app_environment, start_apps, stop, wait_until_ready


@dataclass
class RunningSystem:
    env: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]]
    database_url: str

    def url(self, app: str = "gateway") -> str:
        return self.env[f"{app.upper()}_URL"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def running_system(
    pg_server_url: str,
    log_dir: Path,
    *,
    prefix: str = "asc_e2e",
    dev_identity: bool = True,
    settings: dict[str, str] | None = None,
    ready_timeout: float = 180,
) -> Iterator[RunningSystem]:
    """A fresh database with the demo council, and all five apps serving it over TCP.

    With `dev_identity` every request acts as the demo council's administrator (for tests of
    processes, faults and load); without it, callers sign in as a person would.
    `ready_timeout`: how long the apps may take to start (longer with several workers each).
    """
    url = fresh_database(pg_server_url, prefix)
    upgrade_all(url)
    database = Database(make_engine(url))
    load_demo(database)
    database.dispose()
    env = app_environment(url, "127.0.0.1")
    for name in APPS:  # free ports, so a developer's own `make run` is undisturbed
        port = free_port()
        env[f"{name.upper()}_PORT"] = str(port)
        env[f"{name.upper()}_URL"] = f"http://127.0.0.1:{port}"
    env["LOG_LEVEL"] = "WARNING"
    env["DEV_IDENTITY"] = "true" if dev_identity else "false"
    env.update(settings or {})
    processes = start_apps(env, "127.0.0.1", log_dir)
    try:
        not_ready = wait_until_ready(env, timeout=ready_timeout)
        if not_ready:
            logs = {n: (log_dir / f"{n}.log").read_text()[-2000:] for n in not_ready}
            raise RuntimeError(f"not ready: {not_ready}; logs: {logs}")
        yield RunningSystem(env=env, processes=processes, database_url=url)
    finally:
        stop(processes)
        drop_database(url)


def live_fixture(prefix: str, **options: Any) -> object:
    """A module-scoped pytest fixture named `live`: `running_system` under `prefix` with these
    `options`, its logs in a temporary directory. A test module (or conftest) states only what is
    its own: `live = live_fixture("asc_timeout", dev_identity=False, settings={...})`.

    The apps take 10-20 s to start, so a module starts them once; without `dev_identity`,
    people and integrators sign in for real (sessions, cookies, CSRF tokens and keys)."""

    @pytest.fixture(scope="module", name="live")
    def live(
        pg_server_url: str, tmp_path_factory: pytest.TempPathFactory
    ) -> Iterator[RunningSystem]:
        with running_system(
            pg_server_url, tmp_path_factory.mktemp("logs"), prefix=prefix, **options
        ) as system:
            yield system

    return live
