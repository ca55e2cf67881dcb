"""National-scale benchmark: `make bench` (not a test).

Generates a deployment shared by many councils — by default 150, each with 150 measures and five
years of monthly actuals, 60 projects with milestones and highlight reports, and 200 savings lines
with monthly entries — then measures latency (p50/p95/p99) and throughput through the gateway for
the scorecard, the trackers, a measure series, bulk actual submission and the web tracker pages,
and the same requests sent straight to the services (or the web app), so the gateway's overhead
shows as a ratio. Prints a table and writes it to `bench-results/national.txt`.

`BENCH_COUNCILS=10 make bench` runs a smaller deployment.
"""

import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from random import Random
from typing import Any

import httpx
from sqlalchemy import insert

from common.db import Database, make_engine, set_organisation
from common.identity import IDENTITY_HEADER, Caller, Role, sign_identity
from common.periods import Period
from common.pg import embedded_url, start_embedded
from common.settings import DEMO_ORG_ID
from gateway.models import Organisation
from services.finance.savings.models import SavingsEntry, SavingsLine, SavingsTarget
from services.kpi.actuals.models import Actual, ActualRevision
from services.kpi.measures.models import Measure
from services.kpi.targets.models import Target
from services.projects.highlights.models import HighlightReport
from services.projects.milestones.models import Milestone
from services.projects.portfolio.models import Project
from stack.testing.processes import RunningSystem, running_system
from tests.bench.shared import months_ending, percentile

ROOT = Path(__file__).resolve().parents[2]
COUNCILS = int(os.environ.get("BENCH_COUNCILS", "150"))
MEASURES = int(os.environ.get("BENCH_MEASURES", "150"))
YEARS = 5
PROJECTS = 60
SAVINGS_LINES = 200
FREE_MONTHS = 12
"""The latest months are left empty in the first council, for the bulk submission to fill."""
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "60"))
CLIENTS = 4


def load_council(database: Database, org_id: uuid.UUID, n: int, months: list[Period]) -> int:
    """One council's data by bulk insert; returns the number of rows written."""
    rng = Random(n)
    years = sorted({m.year for m in months} | {months[-1].year.next()})
    written = 0
    with database.session(org_id) as session:
        set_organisation(session, org_id)
        measures = [
            {
                "id": uuid.uuid4(),
                "org_id": org_id,
                "code": f"M{i:03d}",
                "title": f"Measure {i} of council {n}",
                "unit": "percent" if i % 2 else "count",
                "polarity": "bigger_is_better" if i % 3 else "smaller_is_better",
                "frequency": "monthly",
                "target_type": "flat",
                "council_plan": i % 5 == 0,
                "data_provider": f"Team {i % 8}",
                "service_area": f"Area {i % 4}",
                "version": 1,
            }
            for i in range(MEASURES)
        ]
        session.execute(insert(Measure), measures)
        targets = [
            {
                "org_id": org_id,
                "measure_id": m["id"],
                "financial_year": y.label,
                "value": Decimal(80 if m["unit"] == "percent" else 100),
                "version": 1,
            }
            for m in measures
            for y in years
        ]
        session.execute(insert(Target), targets)
        loaded = months[:-FREE_MONTHS] if n == 0 else months
        actuals, revisions = [], []
        for m in measures:
            for period in loaded:
                value = Decimal(rng.randint(60, 99))
                actual_id = uuid.uuid4()
                actuals.append(
                    {
                        "id": actual_id,
                        "org_id": org_id,
                        "measure_id": m["id"],
                        "period": period.code,
                        "period_start": period.start,
                        "status": "approved",
                        "value": value,
                        "approved_value": value,
                        "approved_revision": 1,
                        "version": 1,
                    }
                )
                revisions.append(
                    {
                        "org_id": org_id,
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
        projects = [
            {
                "id": uuid.uuid4(),
                "org_id": org_id,
                "name": f"Project {i}",
                "version": 1,
                "stage": "in_delivery",
                "lead_team": f"Team {i % 8}",
                "rag": ("green", "amber", "red")[i % 3],
                "rag_reason": "" if i % 3 == 0 else "Benchmark reason",
            }
            for i in range(PROJECTS)
        ]
        session.execute(insert(Project), projects)
        start = months[-12].start
        milestones = [
            {
                "org_id": org_id,
                "project_id": p["id"],
                "title": f"Milestone {k}",
                "version": 1,
                "baseline_date": start + timedelta(days=40 * k),
                "forecast_date": start + timedelta(days=40 * k + rng.randint(0, 30)),
            }
            for p in projects
            for k in range(5)
        ]
        session.execute(insert(Milestone), milestones)
        reports = [
            {
                "org_id": org_id,
                "project_id": p["id"],
                "period": period.code,
                "period_start": period.start,
                "rag": "green",
                "summary": "Benchmark report",
                "version": 1,
            }
            for p in projects
            for period in months[-12:]
        ]
        session.execute(insert(HighlightReport), reports)
        year = months[-1].year
        lines = [
            {
                "id": uuid.uuid4(),
                "org_id": org_id,
                "reference": f"S{i:03d}",
                "title": f"Saving {i}",
                "category": "other",
                "saving_type": "cashable",
                "recurrence": "recurring",
                "delivery_confidence": "green",
                "status": "in_delivery",
                "owner_team": f"Team {i % 8}",
                "version": 1,
            }
            for i in range(SAVINGS_LINES)
        ]
        session.execute(insert(SavingsLine), lines)
        session.execute(
            insert(SavingsTarget),
            [
                {
                    "org_id": org_id,
                    "savings_line_id": line["id"],
                    "financial_year": year.label,
                    "in_year": Decimal("120000.00"),
                    "full_year_effect": Decimal("120000.00"),
                }
                for line in lines
            ],
        )
        entries = [
            {
                "org_id": org_id,
                "savings_line_id": line["id"],
                "month": period.start,
                "financial_year": year.label,
                "version": 1,
                "achieved_to_date": Decimal(10000 * period.index),
                "forecast_for_year": Decimal("110000.00"),
            }
            for line in lines
            for period in months
            if period.year == year
        ]
        if entries:
            session.execute(insert(SavingsEntry), entries)
        session.commit()
        written = (
            len(measures)
            + len(targets)
            + len(actuals)
            + len(revisions)
            + len(projects)
            + len(milestones)
            + len(reports)
            + len(lines) * 2
            + len(entries)
        )
    return written


def load(database_url: str, last: Period) -> tuple[int, list[dict[str, Any]]]:
    """Every council's data; returns rows written and the first council's measures.

    The first council is the demo council (the one `make run`'s development identity acts in), so
    it also keeps the demo's own records.
    """
    months = months_ending(last, 12 * YEARS)
    database = Database(make_engine(database_url))
    with database.session(None) as session:
        session.execute(
            insert(Organisation),
            [
                {"id": uuid.uuid4(), "slug": f"bench-{n}", "name": f"Bench council {n}"}
                for n in range(1, COUNCILS)
            ],
        )
        session.commit()
        orgs = [DEMO_ORG_ID] + [
            o
            for (o,) in session.execute(
                Organisation.__table__.select()
                .with_only_columns(Organisation.id)
                .where(Organisation.slug.like("bench-%"))
            )
        ]
    written = 0
    for n, org_id in enumerate(orgs):
        written += load_council(database, org_id, n, months)
        if n % 10 == 0:
            sys.stderr.write(f"  loaded {n + 1} of {len(orgs)} councils\n")
    with database.session(DEMO_ORG_ID) as session:
        first = [
            dict(r._mapping)
            for r in session.execute(
                Measure.__table__.select()
                .where(Measure.org_id == DEMO_ORG_ID, Measure.code.like("M%"))
                .order_by(Measure.code)
            )
        ]
    database.dispose()
    return written, first


@dataclass
class Case:
    name: str
    gateway_path: str
    direct: tuple[str, str]  # (app, path)
    method: str = "GET"
    body: Callable[[int], Any] | None = None


def timed(
    client: httpx.Client,
    method: str,
    url: str,
    headers: dict[str, str],
    body: Callable[[int], Any] | None,
    offset: int,
) -> Iterator[float]:
    for i in range(REQUESTS):
        started = time.perf_counter()
        response = client.request(
            method, url, headers=headers, json=body(offset + i) if body else None
        )
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {url}: {response.status_code} {response.text[:300]}")
        yield elapsed


def throughput(url: str, headers: dict[str, str], seconds: float = 3.0) -> float:
    """Requests per second with CLIENTS concurrent clients (GET only), bounded in time."""
    done = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        with httpx.Client(timeout=60, headers=headers) as client:
            while time.monotonic() < deadline:
                client.get(url).raise_for_status()
                with lock:
                    done[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0] / (time.monotonic() - started)


def main() -> int:
    last = Period.month_of(date.today()).previous()
    workdir = Path(tempfile.mkdtemp(prefix="asc-national-"))
    server = start_embedded(workdir / "pg", keep=False)
    with running_system(embedded_url(server, "postgres"), workdir, prefix="asc_national") as live:
        sys.stderr.write(f"Generating {COUNCILS} councils...\n")
        started = time.perf_counter()
        written, measures = load(live.database_url, last)
        loaded_in = time.perf_counter() - started
        report = measure(live, last, measures)
    header = [
        f"National-scale benchmark: {COUNCILS} councils x ({MEASURES} measures x {YEARS} years "
        f"monthly, {PROJECTS} projects, {SAVINGS_LINES} savings lines)",
        f"{written:,} rows generated in {loaded_in:.0f} s. Latency: {REQUESTS} sequential "
        f"requests per row; throughput: {CLIENTS} concurrent clients for 3 s. Loopback, "
        f"every app its own process, one embedded PostgreSQL, {os.cpu_count()} cores.",
        "",
    ]
    text = "\n".join(header + report) + "\n"
    sys.stdout.write(text)
    out = ROOT / "bench-results" / "national.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)
    return 0


def measure(live: RunningSystem, last: Period, measures: list[dict[str, Any]]) -> list[str]:
    key = live.env["IDENTITY_SIGNING_KEY"]
    caller = Caller(
        org_id=DEMO_ORG_ID, user_id="bench", roles=frozenset({Role.ADMIN}), client="bench"
    )
    free = months_ending(last, FREE_MONTHS)
    chunk = 10

    def bulk_body(i: int) -> Any:
        period = free[i % FREE_MONTHS]
        start = (i // FREE_MONTHS) * chunk % len(measures)
        return {
            "rows": [
                {"measure_id": str(m["id"]), "period": period.code, "value": "75"}
                for m in measures[start : start + chunk]
            ]
        }

    series_id = measures[0]["id"]
    cases = [
        Case(
            "KPI scorecard (150 measures)",
            f"/api/v1/kpi/scorecard?period={last.code}&limit=200",
            ("kpi", f"/scorecard?period={last.code}&limit=200"),
        ),
        Case(
            "KPI measure series (5 years)",
            f"/api/v1/kpi/measures/{series_id}/series",
            ("kpi", f"/measures/{series_id}/series"),
        ),
        Case(
            "Projects tracker (60)",
            "/api/v1/projects/projects?limit=100",
            ("projects", "/projects?limit=100"),
        ),
        Case(
            "Savings tracker (200)",
            "/api/v1/finance/savings-lines?limit=200",
            ("finance", "/savings-lines?limit=200"),
        ),
        Case(
            "Bulk actuals (10 rows)",
            "/api/v1/kpi/actuals/bulk",
            ("kpi", "/actuals/bulk"),
            method="POST",
            body=bulk_body,
        ),
        Case("Web: KPI tracker page", "/kpis", ("web", "/kpis")),
        Case("Web: projects tracker page", "/projects", ("web", "/projects")),
        Case("Web: savings tracker page", "/savings", ("web", "/savings")),
    ]
    lines = [
        f"{'request':<32} {'via':<8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>7}"
        f" {'gateway/direct p50':>19}"
    ]
    offset = 0
    with httpx.Client(timeout=120) as client:
        for case in cases:
            results = {}
            for via in ("gateway", "direct"):
                if via == "gateway":
                    url = live.url() + case.gateway_path
                    headers: dict[str, str] = {}
                else:
                    app, path = case.direct
                    url = live.url(app) + path
                    token = sign_identity(caller, key, ttl_seconds=600)
                    headers = {IDENTITY_HEADER: token}
                values = list(timed(client, case.method, url, headers, case.body, offset))
                offset += REQUESTS
                rps = (
                    throughput(url, headers)
                    if case.method == "GET"
                    else 1000 / statistics.fmean(values)
                )
                results[via] = (values, rps)
            ratio = percentile(results["gateway"][0], 0.5) / percentile(results["direct"][0], 0.5)
            for via, (values, rps) in results.items():
                p50, p95, p99 = (percentile(values, q) for q in (0.5, 0.95, 0.99))
                lines.append(
                    f"{case.name:<32} {via:<8} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} {rps:>7.1f} "
                    + (f"{ratio:>19.2f}" if via == "gateway" else "")
                )
    return lines


if __name__ == "__main__":
    sys.exit(main())
