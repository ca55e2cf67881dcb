"""`make run`: a database, migrations, demo data, then all five apps as separate processes.

Uses DATABASE_URL when it is set; otherwise starts an embedded PostgreSQL whose data lives in
`.data/postgres` and is reused by the next run. An app that dies is started again, after a wait
that doubles each time it dies soon after starting (as a supervisor would), and the restart is
logged. Ctrl-C stops everything, the embedded PostgreSQL included.
"""

import logging
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any, Protocol

import httpx

from common.db import Database, make_engine
from common.migrate import upgrade_all
from common.settings import Settings
from gateway.demo import describe
from stack.apps import APPS
from stack.demo import load_demo
from stack.reminders import Daily

ROOT = Path(__file__).resolve().parent.parent
START_ORDER = ("kpi", "projects", "finance", "web", "gateway")


def database_url() -> tuple[str, object | None]:
    """The URL to use, and the embedded server handle to keep alive (if one was started)."""
    if url := os.environ.get("DATABASE_URL"):
        return url, None
    from common.pg import embedded_url, ensure_database, start_embedded

    print("Starting the embedded PostgreSQL (data in .data/postgres)...", flush=True)
    server = start_embedded(ROOT / ".data" / "postgres", keep=True)
    return ensure_database(embedded_url(server, "postgres"), "asc_tracker"), server


def app_environment(url: str, host: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = url
    env.setdefault("IDENTITY_SIGNING_KEY", secrets.token_urlsafe(48))
    for name, spec in APPS.items():
        env.setdefault(f"{name.upper()}_URL", f"http://{host}:{spec.port}")
    return env


def start_app(
    name: str, env: dict[str, str], host: str, log_dir: Path = ROOT / ".data" / "logs"
) -> subprocess.Popen[bytes]:
    log_dir.mkdir(parents=True, exist_ok=True)
    app_env = env | {"HOST": host, "PORT": env.get(f"{name.upper()}_PORT", str(APPS[name].port))}
    with (log_dir / f"{name}.log").open("ab") as log_file:
        return subprocess.Popen(
            [sys.executable, "-m", "stack.serve", name],
            cwd=ROOT,
            env=app_env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )


def start_apps(
    env: dict[str, str], host: str, log_dir: Path = ROOT / ".data" / "logs"
) -> dict[str, subprocess.Popen[bytes]]:
    return {name: start_app(name, env, host, log_dir) for name in START_ORDER}


class Process(Protocol):
    def poll(self) -> int | None: ...


class Supervisor:
    """Keeps every app running: one that exits is started again after `backoff` seconds, doubled
    (up to `max_backoff`) each time it dies within `stable_after` seconds of starting."""

    def __init__(
        self,
        processes: dict[str, Any],
        start: Callable[[str], Any],
        *,
        say: Callable[[str], None] = lambda line: print(line, flush=True),
        clock: Callable[[], float] = time.monotonic,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        stable_after: float = 60.0,
    ) -> None:
        self.processes = processes
        self._start, self._say, self._clock = start, say, clock
        self._first, self._max, self._stable = backoff, max_backoff, stable_after
        now = clock()
        self._started = dict.fromkeys(processes, now)
        self._backoff = dict.fromkeys(processes, backoff)
        self._due: dict[str, float] = {}

    def check(self) -> None:
        """Notice apps that exited, and start again those whose wait is over."""
        now = self._clock()
        for name, process in self.processes.items():
            if name in self._due:
                if now >= self._due[name]:
                    del self._due[name]
                    self.processes[name] = self._start(name)
                    self._started[name] = now
                    self._say(f"Started {name} again.")
                continue
            code = process.poll()
            if code is None:
                continue
            if now - self._started[name] >= self._stable:
                self._backoff[name] = self._first  # it had been running well: start afresh
            wait = self._backoff[name]
            self._backoff[name] = min(wait * 2, self._max)
            self._due[name] = now + wait
            self._say(
                f"{name} exited with code {code}; starting it again in {wait:g} s. See .data/logs/."
            )


def wait_until_ready(env: dict[str, str], timeout: float = 60.0) -> list[str]:
    """Names of apps still not ready after `timeout` seconds."""
    pending = {name: env[f"{name.upper()}_URL"] + "/readyz" for name in APPS}
    deadline = time.monotonic() + timeout
    # One client for the whole wait: a new one per poll builds an SSL context each time, about
    # 30 ms of CPU taken from the apps that are starting.
    with httpx.Client(timeout=2) as client:
        while pending and time.monotonic() < deadline:
            for name, url in list(pending.items()):
                try:
                    if client.get(url).status_code == 200:
                        del pending[name]
                except httpx.HTTPError:
                    pass
            time.sleep(0.3)
    return sorted(pending)


def stop(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    for process in processes.values():
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> int:
    host = os.environ.get("HOST", "127.0.0.1")
    url, _server = database_url()
    print("Migrating...", flush=True)
    upgrade_all(url)
    os.environ["DATABASE_URL"] = url
    database = Database(make_engine(url))
    if load_demo(database):
        print("Loaded demo data (the Demo Council).", flush=True)
    database.dispose()
    print(describe(), flush=True)
    env = app_environment(url, host)
    processes = start_apps(env, host)

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        not_ready = wait_until_ready(env)
        if not_ready:
            print(f"Not ready after 60 s: {', '.join(not_ready)}. See .data/logs/.", flush=True)
        print(
            f"\nASC Tracker is running: open {env['GATEWAY_URL']}/\n"
            "Logs are in .data/logs/. Press Ctrl-C to stop.",
            flush=True,
        )
        supervisor = Supervisor(processes, lambda name: start_app(name, env, host))
        # Reminder digests once a day; with no SMTP_HOST they are written to this log.
        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
        known = Settings.model_fields
        config = {k.lower(): v for k, v in env.items() if k.lower() in known}
        reminders = Daily(Settings.model_validate(config))
        while True:
            supervisor.check()
            reminders.tick()
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    finally:
        stop(processes)
        if _server is not None:
            # Stop the embedded PostgreSQL now, not only if its exit hook decides to.
            from common.pg import stop_embedded

            stop_embedded(_server)


if __name__ == "__main__":
    sys.exit(main())
