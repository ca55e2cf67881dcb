"""`make run`: a database, migrations, demo data, then all five apps as separate processes.

Uses DATABASE_URL when it is set; otherwise starts an embedded PostgreSQL whose data lives in
`.data/postgres` and is reused by the next run. Ctrl-C stops everything.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

import httpx

from common.db import Database, make_engine
from common.migrate import upgrade_all
from gateway.demo import describe
from stack.apps import APPS
from stack.demo import load_demo

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


def start_apps(
    env: dict[str, str], host: str, log_dir: Path = ROOT / ".data" / "logs"
) -> dict[str, subprocess.Popen[bytes]]:
    processes = {}
    log_dir.mkdir(parents=True, exist_ok=True)
    for name in START_ORDER:
        app_env = env | {
            "HOST": host,
            "PORT": env.get(f"{name.upper()}_PORT", str(APPS[name].port)),
        }
        with (log_dir / f"{name}.log").open("ab") as log_file:
            processes[name] = subprocess.Popen(
                [sys.executable, "-m", "stack.serve", name],
                cwd=ROOT,
                env=app_env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
    return processes


def wait_until_ready(env: dict[str, str], timeout: float = 60.0) -> list[str]:
    """Names of apps still not ready after `timeout` seconds."""
    pending = {name: env[f"{name.upper()}_URL"] + "/readyz" for name in APPS}
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for name, url in list(pending.items()):
            try:
                if httpx.get(url, timeout=2).status_code == 200:
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
        while all(p.poll() is None for p in processes.values()):
            time.sleep(0.5)
        died = [name for name, p in processes.items() if p.poll() is not None]
        print(f"Stopped because {', '.join(died)} exited. See .data/logs/.", flush=True)
        return 1
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())
