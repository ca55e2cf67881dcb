"""National-scale benchmark: `make bench` (not a test).

Generates a deployment shared by many councils — by default 150, each with 150 measures and five
years of monthly actuals, 60 projects with milestones and highlight reports, and 200 savings lines
with monthly entries — then measures latency (p50/p95/p99) and throughput through the gateway for
the scorecard, the trackers, a measure series, bulk actual submission and the web tracker pages,
and the same requests sent straight to the services (or the web app), so the gateway's overhead
shows as a ratio. Then the floors: the hand-written SQL of the scorecard and of the savings
tracker, and a bare proxy hop against the gateway (tests/bench/overhead.py); then the mixed load
(tests/bench/mixed.py). Prints it all and writes it to `bench-results/national.txt`
(`national-$BENCH_RESULT.txt` when that is set).

`BENCH_COUNCILS=10 make bench` runs a smaller deployment; `BENCH_PARTS=mixed` (or `table`,
`floors`) runs only those parts; `BENCH_MIXED_SECONDS` sets the mixed load's length (30).

The load comes from one address acting as one person (the development identity), which the
gateway's limits are made to stop; so the bench raises them far above the load (the limiter still
counts every request, so its cost is in the figures), and lets the gateway wait 60 s for an
upstream instead of 10, so that a slow answer on a busy host is measured, not cut off.
`WEB_CONCURRENCY` is passed to every app.
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
from datetime import date
from decimal import Decimal
from pathlib import Path
from random import Random
from typing import Any, cast

import httpx
import psycopg
from sqlalchemy import CursorResult, insert, text
from sqlalchemy.orm import Session

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
from tests.bench.mixed import Request, mixed_load
from tests.bench.overhead import overhead
from tests.bench.shared import (
    MILESTONES,
    measure_mix,
    milestone_mix,
    months_ending,
    percentile,
    project_mix,
)

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
PARTS = os.environ.get("BENCH_PARTS", "table,floors,mixed").split(",")
"""Which parts to run (all by default): `BENCH_PARTS=mixed` for the mixed load alone."""
BENCH_LIMIT = "1000000"
"""Requests a minute the bench allows its one address and one person (see the docstring)."""
FLOOR_RUNS = 30
SCORECARD_SQL = text(
    """
    select m.id, m.code, m.title, m.unit, m.polarity, t.value as target,
           a.period, a.approved_value
    from kpi.measures m
    left join kpi.targets t on t.measure_id = m.id and t.financial_year = :year
    left join kpi.actuals a on a.org_id = m.org_id and a.measure_id = m.id
        and a.status = 'approved'
        and a.period_start between :since and :until
    where m.org_id = :org
    order by m.code, a.period_start
    """
)
"""What the scorecard needs, by hand: each measure, its target, its 13 months of actuals."""
SAVINGS_SQL = text(
    """
    select l.id, l.reference, l.title, l.status, l.owner_team, t.in_year, t.full_year_effect,
           e.month, e.achieved_to_date, e.forecast_for_year
    from finance.savings_lines l
    left join finance.savings_targets t
        on t.savings_line_id = l.id and t.financial_year = :year
    left join lateral (
        select month, achieved_to_date, forecast_for_year from finance.savings_entries e
        where e.savings_line_id = l.id and e.financial_year = :year
        order by month desc limit 1
    ) e on true
    where l.org_id = :org
    order by l.reference
    """
)
"""What the savings tracker needs, by hand: each line, its target, its latest return."""


def _columns(model: type[Any], given: set[str]) -> tuple[list[str], dict[str, Callable[[], Any]]]:
    """The columns a bulk write names for rows that give `given`, and how to fill each of the
    others with the model's own client-side default (a new id, an empty text, an empty list):
    neither COPY nor INSERT ... SELECT applies those. Columns with a server default (timestamps)
    are left to PostgreSQL."""
    columns = [c for c in model.__table__.columns if c.name in given or c.server_default is None]
    fill: dict[str, Callable[[], Any]] = {}
    for column in columns:
        if column.name in given:
            continue
        default = column.default
        if default is None:
            fill[column.name] = lambda: None
        elif default.is_callable:
            fill[column.name] = lambda d=default: d.arg(None)  # type: ignore[misc]
        else:
            fill[column.name] = lambda d=default: d.arg  # type: ignore[misc]
    return [c.name for c in columns], fill


def _target(model: type[Any], names: list[str]) -> str:
    table = model.__table__
    return "{}.{} ({})".format(table.schema, table.name, ", ".join(f'"{n}"' for n in names))


def copy_rows(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Write `rows` into `model`'s table with PostgreSQL's COPY, in the session's transaction.

    An insert through the ORM ran at about 3,000 rows a second, which left the default 150
    councils (3 million rows) loading for over 15 minutes."""
    if not rows:
        return
    names, fill = _columns(model, set(rows[0]))
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    with raw.cursor() as cursor, cursor.copy(f"copy {_target(model, names)} from stdin") as copy:
        for row in rows:
            copy.write_row([row[n] if n in row else fill[n]() for n in names])


def insert_select(
    model: type[Any], given: dict[str, str], source: str, **params: Any
) -> tuple[str, dict[str, Any]]:
    """`insert into <model's table> select <given's expressions> <source>`, the other columns
    filled with the model's defaults (a new id by `gen_random_uuid()`): rows generated in
    PostgreSQL, none of them through Python. Returns the statement (to be run or nested) and its
    parameters."""
    names, fill = _columns(model, set(given))
    values = []
    for name in names:
        if name in given:
            values.append(given[name])
            continue
        value = fill[name]()
        if isinstance(value, uuid.UUID):
            values.append("gen_random_uuid()")
        else:
            params[f"default_{name}"] = value
            values.append(f":default_{name}")
    return f"insert into {_target(model, names)} select {', '.join(values)} {source}", params


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
                "frequency": "monthly",
                "target_type": "flat",
                **measure_mix(i),
                "version": 1,
            }
            for i in range(MEASURES)
        ]
        copy_rows(session, Measure, measures)
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
        copy_rows(session, Target, targets)
        loaded = months[:-FREE_MONTHS] if n == 0 else months
        # Nine in ten of the rows: made in PostgreSQL, each actual with its one revision.
        actuals, actual_params = insert_select(
            Actual,
            {
                "org_id": "org_id",
                "measure_id": "measure_id",
                "period": "period",
                "period_start": "period_start",
                "status": "'approved'",
                "value": "value",
                "approved_value": "value",
                "approved_revision": "1",
                "version": "1",
            },
            """from (
                select m.org_id, m.id as measure_id, p.code as period, p.start as period_start,
                       (60 + floor(random() * 40))::numeric as value
                from kpi.measures m
                cross join unnest(cast(:codes as text[]), cast(:starts as date[])) p(code, start)
                where m.org_id = :org and m.code like 'M%'
            ) generated
            returning id, org_id, value""",
            org=org_id,
            codes=[p.code for p in loaded],
            starts=[p.start for p in loaded],
        )
        revisions, revision_params = insert_select(
            ActualRevision,
            {
                "org_id": "org_id",
                "actual_id": "id",
                "number": "1",
                "action": "'approved'",
                "status": "'approved'",
                "value": "value",
                "changed_by": "'bench'",
            },
            "from made",
        )
        # Both statements name their defaults `default_<column>`: where the two tables share a
        # column (commentary, numerator...), its default is the same, so the merge loses nothing.
        made = cast(
            CursorResult[Any],
            session.execute(
                text(f"with made as ({actuals}) {revisions}"), actual_params | revision_params
            ),
        ).rowcount
        projects = [
            {
                "id": uuid.uuid4(),
                "org_id": org_id,
                "name": f"Project {i}",
                "version": 1,
                **project_mix(i),
            }
            for i in range(PROJECTS)
        ]
        copy_rows(session, Project, projects)
        start = months[-12].start
        milestones = [
            {
                "org_id": org_id,
                "project_id": p["id"],
                **milestone_mix(k, start, rng),
                "version": 1,
            }
            for p in projects
            for k in range(MILESTONES)
        ]
        copy_rows(session, Milestone, milestones)
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
        copy_rows(session, HighlightReport, reports)
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
        copy_rows(session, SavingsLine, lines)
        copy_rows(
            session,
            SavingsTarget,
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
            copy_rows(session, SavingsEntry, entries)
        session.commit()
        written = (
            len(measures)
            + len(targets)
            + 2 * made
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
        if COUNCILS > 1:  # an empty list would insert one row of defaults
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
    for name in ("RATE_LIMIT_PER_ADDRESS_PER_MINUTE", "RATE_LIMIT_PER_KEY_PER_MINUTE"):
        os.environ.setdefault(name, BENCH_LIMIT)
    # A benchmark measures slow answers rather than cutting them off at the gateway's 10 s.
    os.environ.setdefault("UPSTREAM_TIMEOUT_SECONDS", "60")
    with running_system(
        embedded_url(server, "postgres"), workdir, prefix="asc_national", ready_timeout=300
    ) as live:
        sys.stderr.write(f"Generating {COUNCILS} councils...\n")
        started = time.perf_counter()
        written, measures = load(live.database_url, last)
        loaded_in = time.perf_counter() - started
        analyse(live.database_url)
        report: list[str] = []
        if "table" in PARTS:
            sys.stderr.write("Timing each request...\n")
            report += measure(live, last, measures)
        if "floors" in PARTS:
            sys.stderr.write("Floors...\n")
            report += ["", *floors(live.database_url, last), "", *overhead(live, workdir)]
        if "mixed" in PARTS:
            sys.stderr.write("Mixed load...\n")
            report += ["", *mixed_load(live, mix(last, measures), pg_data=workdir / "pg")]
    header = [
        f"National-scale benchmark: {COUNCILS} councils x ({MEASURES} measures x {YEARS} years "
        f"monthly, {PROJECTS} projects, {SAVINGS_LINES} savings lines)",
        f"{written:,} rows generated in {loaded_in:.0f} s. Latency: {REQUESTS} sequential "
        f"requests per row; throughput: {CLIENTS} concurrent clients for 3 s. Loopback, "
        f"every app its own process ({os.environ.get('WEB_CONCURRENCY', '1')} worker(s) each), "
        f"one embedded PostgreSQL, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end.",
        "",
    ]
    text = "\n".join(header + report) + "\n"
    sys.stdout.write(text)
    name = f"national-{os.environ['BENCH_RESULT']}" if "BENCH_RESULT" in os.environ else "national"
    out = ROOT / "bench-results" / f"{name}.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)
    return 0


def analyse(database_url: str) -> None:
    """Fresh planner statistics after the bulk load, as autovacuum would give them in time."""
    engine = make_engine(database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("analyze"))
    engine.dispose()


def floors(database_url: str, last: Period) -> list[str]:
    """The hand-written SQL of the scorecard and the savings tracker, timed on the first council
    (statement and fetch, over one open connection): what no endpoint can beat."""
    months = months_ending(last, 13)
    engine = make_engine(database_url)
    params = {
        "scorecard": {
            "year": last.year.label,
            "since": months[0].start,
            "until": last.start,
            "org": DEMO_ORG_ID,
        },
        "savings": {"year": last.year.label, "org": DEMO_ORG_ID},
    }
    lines = [
        f"Floors: hand-written SQL, {FLOOR_RUNS} runs each",
        f"{'query':<32} {'rows':>6} {'p50 ms':>8} {'p95 ms':>8}",
    ]
    with engine.connect() as connection:
        for name, sql in (("scorecard", SCORECARD_SQL), ("savings", SAVINGS_SQL)):
            values, rows = [], 0
            for _ in range(FLOOR_RUNS):
                started = time.perf_counter()
                rows = len(connection.execute(sql, params[name]).all())
                values.append((time.perf_counter() - started) * 1000)
            label = f"SQL: {name}"
            lines.append(
                f"{label:<32} {rows:>6} {percentile(values, 0.5):>8.1f} "
                f"{percentile(values, 0.95):>8.1f}"
            )
    engine.dispose()
    return lines


def bulk_rows(measures: list[dict[str, Any]], last: Period) -> Callable[[int], Any]:
    """The `i`th bulk submission: ten measures' actuals for one of the months left free."""
    free = months_ending(last, FREE_MONTHS)
    chunk = 10

    def body(i: int) -> Any:
        period = free[i % FREE_MONTHS]
        start = (i // FREE_MONTHS) * chunk % len(measures)
        return {
            "rows": [
                {"measure_id": str(m["id"]), "period": period.code, "value": "75"}
                for m in measures[start : start + chunk]
            ]
        }

    return body


WRITTEN = 10 * REQUESTS
"""The bulk submissions the table made before the mix (its four cases before the bulk one, two
ways each, then the bulk case's own): the mix goes on from there, to cells not yet filled. There
are 180 such cells' submissions in all (150 measures x 12 free months / 10 a submission); past
them a submission repeats a cell without its version and is refused (422), and counts as failed.
"""


def mix(last: Period, measures: list[dict[str, Any]]) -> dict[str, list[Request]]:
    """What the mixed load's clients ask for, by class."""
    series = measures[0]["id"]
    bulk = bulk_rows(measures, last)
    return {
        "page": [Request("GET", path) for path in ("/kpis", "/projects", "/savings")],
        "read": [
            Request("GET", f"/api/v1/kpi/scorecard?period={last.code}&limit=200"),
            Request("GET", f"/api/v1/kpi/measures/{series}/series"),
            Request("GET", "/api/v1/projects/projects?limit=100"),
            Request("GET", "/api/v1/finance/savings-lines?limit=200"),
        ],
        "write": [
            Request("POST", "/api/v1/kpi/actuals/bulk", body=lambda i: bulk(WRITTEN + i - 1)),
        ],
    }


def measure(live: RunningSystem, last: Period, measures: list[dict[str, Any]]) -> list[str]:
    key = live.env["IDENTITY_SIGNING_KEY"]
    caller = Caller(
        org_id=DEMO_ORG_ID, user_id="bench", roles=frozenset({Role.ADMIN}), client="bench"
    )
    bulk_body = bulk_rows(measures, last)

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
                    token = sign_identity(caller, key, audience=app, ttl_seconds=120)
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
