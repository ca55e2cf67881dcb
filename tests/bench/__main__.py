"""KPI latency through the gateway, with every app a real process on loopback (as `make run`).

Builds a fresh embedded PostgreSQL database, migrates it, loads 200 measures with five years of
monthly actuals for the demo council by bulk insert, then times `GET /api/v1/kpi/scorecard` and the
`GET /kpis` tracker page. Prints p50/p95 and writes the table to `bench-results/kpi.txt`.
"""

import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from random import Random
from typing import Any

import httpx
from sqlalchemy import delete, insert

from common.db import Database, make_engine, set_organisation
from common.periods import FinancialYear, Period
from common.pg import embedded_url, start_embedded
from common.settings import DEMO_ORG_ID
from services.kpi.actuals.models import Actual, ActualRevision
from services.kpi.measures.models import Measure
from services.kpi.targets.models import Target
from stack.testing.processes import running_system
from tests.bench.shared import approved, measure_mix, months_ending, percentile

ROOT = Path(__file__).resolve().parents[2]
MEASURES = 200
YEARS = 5
REQUESTS = 50
WARM_UP = 5


def load(database_url: str, last: Period) -> int:
    """200 measures, their targets, and 60 months of approved actuals; returns actuals stored."""
    rng = Random(7)
    months = months_ending(last, 12 * YEARS)
    years = sorted({m.year for m in months} | {last.year.next()})
    database = Database(make_engine(database_url))
    with database.session(DEMO_ORG_ID) as session:
        set_organisation(session, DEMO_ORG_ID)
        session.execute(delete(Measure))  # the demo's own measures: keep exactly 200
        measures = []
        for n in range(MEASURES):
            measures.append(
                {
                    "id": uuid.uuid4(),
                    "org_id": DEMO_ORG_ID,
                    "code": f"B{n:03d}",
                    "title": f"Benchmark measure {n}",
                    "frequency": "monthly",
                    "target_type": "cumulative" if n % 4 == 0 else "flat",
                    **measure_mix(n),
                }
            )
        session.execute(insert(Measure), measures)
        session.execute(
            insert(Target),
            [
                {
                    "org_id": DEMO_ORG_ID,
                    "measure_id": m["id"],
                    "financial_year": FinancialYear(y.start_year).label,
                    "value": Decimal(80 if m["unit"] == "percent" else 1200),
                }
                for m in measures
                for y in years
            ],
        )
        stored = 0
        for m in measures:
            actuals, revisions = [], []
            for period in months:
                value = Decimal(
                    rng.randint(60, 99) if m["unit"] == "percent" else rng.randint(50, 150)
                )
                actual_id = uuid.uuid4()
                actuals.append(
                    {
                        "id": actual_id,
                        "org_id": DEMO_ORG_ID,
                        "measure_id": m["id"],
                        **approved(period, value),
                        "commentary": "Benchmark data",
                    }
                )
                revisions.append(
                    {
                        "org_id": DEMO_ORG_ID,
                        "actual_id": actual_id,
                        "number": 1,
                        "action": "approved",
                        "status": "approved",
                        "value": value,
                        "changed_by": "bench",
                    }
                )
            session.execute(insert(Actual), actuals)
            session.execute(insert(ActualRevision), revisions)
            stored += len(actuals)
        session.commit()
    database.dispose()
    return stored


def timings(client: httpx.Client, path: str, params: dict[str, Any]) -> list[float]:
    for _ in range(WARM_UP):
        client.get(path, params=params).raise_for_status()
    found = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(path, params=params)
        found.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return found


def main() -> int:
    last = Period.month_of(date.today()).previous()
    # Every request acts as an administrator of the demo council, as in `make run` development.
    os.environ["DEV_IDENTITY"] = "true"
    workdir = Path(tempfile.mkdtemp(prefix="asc-bench-"))
    server = start_embedded(workdir / "pg", keep=False)
    with running_system(embedded_url(server, "postgres"), workdir, prefix="asc_bench") as system:
        started = time.perf_counter()
        stored = load(system.database_url, last)
        loaded_in = time.perf_counter() - started
        with httpx.Client(base_url=system.url(), timeout=60) as client:
            cases = {
                f"GET /api/v1/kpi/scorecard?period={last.code}&limit=200": timings(
                    client, "/api/v1/kpi/scorecard", {"period": last.code, "limit": 200}
                ),
                f"GET /kpis?period={last.code}": timings(client, "/kpis", {"period": last.code}),
            }
    lines = [
        f"KPI latency through the gateway, {REQUESTS} sequential requests each after "
        f"{WARM_UP} warm-up, every app its own process on loopback",
        f"Data: {MEASURES} measures, {stored} monthly approved actuals ({YEARS} years to "
        f"{last.code}), loaded in {loaded_in:.1f} s",
        "",
        f"{'request':<60} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}",
    ]
    for name, values in cases.items():
        lines.append(
            f"{name:<60} {percentile(values, 0.5):>8.1f} {percentile(values, 0.95):>8.1f} "
            f"{statistics.fmean(values):>8.1f}"
        )
    report = "\n".join(lines) + "\n"
    sys.stdout.write(report)
    out = ROOT / "bench-results" / "kpi.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
