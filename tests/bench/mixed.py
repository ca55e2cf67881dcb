"""The mixed load of issue 17: 12 clients, 60% pages, 30% JSON reads, 10% writes, for a bounded
time and count, on loopback only. Reports requests a second, p95 per class and each app's CPU
seconds per request (from /proc, every worker process of the app included)."""

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any

import httpx

from stack.testing.processes import RunningSystem
from tests.bench.shared import cpu_seconds, percentile

CLIENTS = 12
SECONDS = float(os.environ.get("BENCH_MIXED_SECONDS", "30"))
MOST_PER_CLIENT = 20_000
"""A bound on each client's requests whatever the time: the loop can never run away."""
SHARES = (("page", 0.6), ("read", 0.3), ("write", 0.1))


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: Callable[[int], Any] | None = None


def postgres_pid(data_dir: Path) -> int | None:
    """The embedded PostgreSQL's postmaster, found by its data directory on the command line."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if "postgres" in command and f"-D {data_dir}" in command:
                return int(entry.name)
    return None


def mixed_load(
    live: RunningSystem,
    requests: dict[str, list[Request]],
    *,
    pg_data: Path | None = None,
) -> list[str]:
    """Run the mix through the gateway and return the report's lines."""
    assert live.url().startswith("http://127.0.0.1:")  # load goes to loopback only
    pids = {name: process.pid for name, process in live.processes.items()}
    if pg_data is not None and (pg := postgres_pid(pg_data)) is not None:
        pids["postgres"] = pg
    latencies: dict[str, list[float]] = {name: [] for name, _ in SHARES}
    failures: list[str] = []
    lock = threading.Lock()
    counter = [0]
    deadline = time.monotonic() + SECONDS

    def client(n: int) -> None:
        rng = Random(n)
        with httpx.Client(base_url=live.url(), timeout=60) as http:
            for _ in range(MOST_PER_CLIENT):
                if time.monotonic() >= deadline:
                    return
                pick = rng.random()
                kind = "page" if pick < 0.6 else "read" if pick < 0.9 else "write"
                chosen = rng.choice(requests[kind])
                with lock:
                    counter[0] += 1
                    i = counter[0]
                started = time.perf_counter()
                response = http.request(
                    chosen.method, chosen.path, json=chosen.body(i) if chosen.body else None
                )
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies[kind].append(elapsed)
                    if response.status_code >= 400:
                        failures.append(f"{chosen.method} {chosen.path}: {response.status_code}")

    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.monotonic() - started
    cpu = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
    total = sum(len(v) for v in latencies.values())
    lines = [
        f"Mixed load: {CLIENTS} clients for {SECONDS:.0f} s through the gateway "
        "(60% pages, 30% JSON reads, 10% writes)",
        f"{total} requests, {total / took:.1f} requests a second, {len(failures)} failed"
        + (f" (first: {failures[0]})" if failures else ""),
        f"{'class':<8} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}",
    ]
    for kind, values in latencies.items():
        if values:
            p50, p95, p99 = (percentile(values, q) for q in (0.5, 0.95, 0.99))
            lines.append(f"{kind:<8} {len(values):>6} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f}")
    lines.append(f"{'app':<10} {'CPU s':>7} {'CPU ms/request':>15}")
    for name, seconds in cpu.items():
        lines.append(f"{name:<10} {seconds:>7.1f} {seconds * 1000 / max(total, 1):>15.2f}")
    everything = sum(cpu.values())
    lines.append(f"{'all':<10} {everything:>7.1f} {everything * 1000 / max(total, 1):>15.2f}")
    lines.append(
        f"Goal: 450 requests a second with p95 < 200 ms allows {2 * 1000 / 450:.1f} ms of CPU "
        f"per request on 2 cores; this machine has {os.cpu_count()}."
    )
    return lines
