"""What the gateway adds to a request, against the floor of one bare proxy hop.

Times one small read (`GET /measures?limit=1` of the KPI service) sent three ways: straight to the
service, through a bare httpx proxy (`tests.bench.hop`) and through the gateway. The gateway's
overhead is its figure less the direct one; the hop's is the least any proxy in Python costs.

`python -m tests.bench.overhead` runs it alone (a fresh system, no generated councils).
"""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from common.identity import IDENTITY_HEADER, Caller, Role, sign_identity
from common.pg import embedded_url, start_embedded
from common.settings import DEMO_ORG_ID
from stack.testing.processes import RunningSystem, free_port, running_system
from tests.bench.shared import cpu_seconds, percentile

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = int(os.environ.get("BENCH_OVERHEAD_REQUESTS", "400"))
WARM_UP = 30
PATH = "/measures?limit=1"


def bench_token(key: str, audience: str = "kpi") -> dict[str, str]:
    """The identity header the gateway would send, for requests made straight to a service
    (it lives as long as the services accept: mint one per timed run)."""
    caller = Caller(
        org_id=DEMO_ORG_ID, user_id="bench", roles=frozenset({Role.ADMIN}), client="bench"
    )
    return {IDENTITY_HEADER: sign_identity(caller, key, audience=audience, ttl_seconds=120)}


@contextmanager
def bare_hop(upstream: str, log_dir: Path) -> Iterator[tuple[str, int]]:
    """A bare proxy in front of `upstream`, as its own process on loopback; yields its URL and
    process id."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with (log_dir / "hop.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.bench.hop", upstream, str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(url + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def interleaved(
    client: httpx.Client, ways: dict[str, tuple[str, dict[str, str]]]
) -> dict[str, list[float]]:
    """Each way's latencies, sent in turn (one request of each, then again), so that a machine
    busy with something else slows every way alike."""
    found: dict[str, list[float]] = {way: [] for way in ways}
    for i in range(WARM_UP + REQUESTS):
        for way, (url, headers) in ways.items():
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            elapsed = (time.perf_counter() - started) * 1000
            response.raise_for_status()
            if i >= WARM_UP:
                found[way].append(elapsed)
    return found


def overhead(live: RunningSystem, log_dir: Path) -> list[str]:
    """The table: p50/p99 of each way, and what each adds over going straight to the service."""
    token = bench_token(live.env["IDENTITY_SIGNING_KEY"])
    gateway_pid = live.processes["gateway"].pid
    with bare_hop(live.url("kpi"), log_dir) as (hop, hop_pid), httpx.Client(timeout=60) as client:
        cpu = {"gateway": cpu_seconds(gateway_pid), "bare hop": cpu_seconds(hop_pid)}
        ways = interleaved(
            client,
            {
                "direct": (live.url("kpi") + PATH, token),
                "bare hop": (hop + PATH, token),
                "gateway": (live.url() + "/api/v1/kpi" + PATH, {}),
            },
        )
        cpu = {
            "gateway": cpu_seconds(gateway_pid) - cpu["gateway"],
            "bare hop": cpu_seconds(hop_pid) - cpu["bare hop"],
        }
    calls = WARM_UP + REQUESTS
    base = {q: percentile(ways["direct"], q) for q in (0.5, 0.99)}
    lines = [
        f"Gateway overhead: GET kpi {PATH}, {REQUESTS} sequential requests each way, interleaved",
        f"{'way':<10} {'p50 ms':>8} {'p99 ms':>8} {'+p50 ms':>8} {'+p99 ms':>8} {'CPU ms':>7}",
    ]
    for way, values in ways.items():
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        own = f"{cpu[way] * 1000 / calls:>7.2f}" if way in cpu else f"{'':>7}"
        lines.append(
            f"{way:<10} {p50:>8.2f} {p99:>8.2f} {p50 - base[0.5]:>+8.2f} "
            f"{p99 - base[0.99]:>+8.2f} {own}"
        )
    lines.append("CPU ms: the proxy process's own CPU time per request (from /proc).")
    return lines


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="asc-overhead-"))
    server = start_embedded(workdir / "pg", keep=False)
    prefix = f"asc_overhead_{uuid.uuid4().hex[:6]}"
    with running_system(embedded_url(server, "postgres"), workdir, prefix=prefix) as live:
        text = "\n".join(overhead(live, workdir)) + "\n"
    sys.stdout.write(text)
    out = ROOT / "bench-results" / "overhead.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
