"""Query cost of the list endpoints, straight to each service (in process, no gateway, no socket).

`python -m tests.bench.queries` (not a test). Builds a fresh embedded PostgreSQL database, loads
one council with a realistic year — 200 savings lines with targets, monthly returns, activity
and mitigations; 150 measures with five years of monthly actuals; 100 budget lines with monthly
forecasts; 60 projects with milestones; 40 objectives — then, for each endpoint, counts the SQL
statements of one request and times it (p50/p95 ms of wall time, and the app's own CPU ms per
request, which a busy shared machine disturbs less), beside the floor: one hand-written SQL
query that reads the same figures. Prints the table and writes it to `bench-results/queries.txt`.

With `QUERIES_DUMP=<dir>` it also writes each endpoint's JSON there, so two versions of the code
can be compared on the same data (the ids are seeded, so every run loads the same rows).
"""

import json
import os
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from random import Random
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine, insert, text

from common.db import Database, make_engine, set_organisation
from common.identity import Caller, Role
from common.migrate import upgrade_all
from common.periods import Frequency, Period
from common.pg import embedded_url, fresh_database, start_embedded
from common.testing.plugin import in_process_settings
from common.testing.statements import count_statements, straight_to
from gateway.models import Organisation
from services.finance.app import create_app as create_finance
from services.finance.budgets.models import BudgetAmount, BudgetLine, Forecast
from services.finance.savings.models import (
    ActivityMeasure,
    SavingsEntry,
    SavingsLine,
    SavingsTarget,
)
from services.kpi.actuals.models import Actual
from services.kpi.app import create_app as create_kpi
from services.kpi.measures.models import Measure
from services.kpi.targets.models import Target
from services.projects.app import create_app as create_projects
from services.projects.milestones.models import Milestone
from services.projects.plan.models import Objective
from services.projects.portfolio.models import Project
from tests.bench.shared import (
    MILESTONES,
    approved,
    measure_mix,
    milestone_mix,
    months_ending,
    percentile,
    project_mix,
)

ROOT = Path(__file__).resolve().parents[2]
ORG_ID = uuid.UUID("00000000-0000-4000-8000-00000000b17a")
SIGNING_KEY = secrets.token_hex(32)
SAVINGS_LINES = 200
MEASURES = 150
BUDGET_LINES = 100
PROJECTS = 60
OBJECTIVES = 40
YEARS = 5
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))
WARM_UP = 5


def _ids(rng: Random) -> Callable[[], uuid.UUID]:
    return lambda: uuid.UUID(int=rng.getrandbits(128), version=4)


def load(database: Database, last: Period) -> None:
    """One council's data by bulk insert, the same rows on every run."""
    rng = Random(17)
    new_id = _ids(rng)
    months = months_ending(last, 12 * YEARS)
    year = last.year
    this_year = [m for m in months if m.year == year]
    with database.session(None) as session:
        session.execute(insert(Organisation), [{"id": ORG_ID, "slug": "bench", "name": "Bench"}])
        session.commit()
    with database.session(ORG_ID) as session:
        set_organisation(session, ORG_ID)
        org: dict[str, Any] = {"org_id": ORG_ID}
        lines: list[dict[str, Any]] = [
            org
            | {
                "id": new_id(),
                "reference": f"S{i:03d}",
                "title": f"Saving {i}",
                "category": ("reablement", "prevention", "other")[i % 3],
                "saving_type": ("cashable", "cost_avoidance")[i % 2],
                "recurrence": "recurring",
                "delivery_confidence": ("green", "amber", "red")[i % 3],
                "status": "in_delivery",
                "owner_team": f"Team {i % 8}",
                "project_ids": [],
                "version": 1,
            }
            for i in range(SAVINGS_LINES)
        ]
        for i, line in enumerate(lines):
            if i % 5 == 4:
                line["mitigates_line_id"] = lines[i - 1]["id"]
        session.execute(insert(SavingsLine), [{"mitigates_line_id": None} | x for x in lines])
        session.execute(
            insert(SavingsTarget),
            [
                org
                | {
                    "id": new_id(),
                    "savings_line_id": line["id"],
                    "financial_year": y.label,
                    "in_year": Decimal(1000 * rng.randint(50, 200)),
                    "full_year_effect": Decimal(1000 * rng.randint(100, 300)),
                }
                for line in lines
                for y in (year.previous(), year, year.next())
            ],
        )
        session.execute(
            insert(SavingsEntry),
            [
                org
                | {
                    "id": new_id(),
                    "savings_line_id": line["id"],
                    "month": period.start,
                    "financial_year": year.label,
                    "achieved_to_date": Decimal(5000 * period.index),
                    "forecast_for_year": Decimal(1000 * rng.randint(40, 220)),
                    "version": 1,
                }
                for line in lines[: SAVINGS_LINES * 9 // 10]  # a tenth have not reported yet
                for period in this_year
            ],
        )
        session.execute(
            insert(ActivityMeasure),
            [
                org
                | {
                    "id": new_id(),
                    "savings_line_id": line["id"],
                    "name": "Reviews",
                    "planned": 400,
                    "done": rng.randint(0, 400),
                    "version": 1,
                }
                for line in lines[::2]
            ],
        )
        measures = [
            org
            | {
                "id": new_id(),
                "code": f"M{i:03d}",
                "title": f"Measure {i}",
                "frequency": "quarterly" if i % 10 == 9 else "monthly",
                "target_type": "cumulative" if i % 7 == 6 and i % 2 == 0 else "flat",
                **measure_mix(i),
                "version": 1,
            }
            for i in range(MEASURES)
        ]
        session.execute(insert(Measure), measures)
        years = sorted({m.year for m in months} | {year.next()})
        session.execute(
            insert(Target),
            [
                org
                | {
                    "id": new_id(),
                    "measure_id": m["id"],
                    "financial_year": y.label,
                    "value": Decimal(80 if m["unit"] == "percent" else 120),
                    "version": 1,
                }
                for m in measures
                for y in years
            ],
        )
        actuals = []
        for m in measures:
            for period in months if m["frequency"] == "monthly" else _quarters(months):
                value = Decimal(rng.randint(60, 99))
                actuals.append(
                    org
                    | {
                        "id": new_id(),
                        "measure_id": m["id"],
                        **approved(period, value),
                        "version": 1,
                    }
                )
        session.execute(insert(Actual), actuals)
        budget_lines = [
            org
            | {
                "id": new_id(),
                "name": f"Budget line {i}",
                "service_area": f"Area {i % 4}",
                "cost_centre": f"CC{i:03d}",
                "version": 1,
            }
            for i in range(BUDGET_LINES)
        ]
        session.execute(insert(BudgetLine), budget_lines)
        session.execute(
            insert(BudgetAmount),
            [
                org
                | {
                    "id": new_id(),
                    "budget_line_id": b["id"],
                    "financial_year": year.label,
                    "original_budget": Decimal(1_000_000),
                    "current_budget": Decimal(1_000_000 + 1000 * rng.randint(0, 100)),
                }
                for b in budget_lines
            ],
        )
        session.execute(
            insert(Forecast),
            [
                org
                | {
                    "id": new_id(),
                    "budget_line_id": b["id"],
                    "month": period.start,
                    "financial_year": year.label,
                    "forecast_outturn": Decimal(1000 * rng.randint(900, 1200)),
                    "version": 1,
                }
                for b in budget_lines
                for period in this_year
            ],
        )
        objectives = [
            org
            | {
                "id": new_id(),
                "number": i + 1,
                "statement": f"Objective {i + 1}",
                "kpi_measure_ids": [measures[i]["id"]],
                "priority_ids": [],
                "version": 1,
            }
            for i in range(OBJECTIVES)
        ]
        session.execute(insert(Objective), objectives)
        projects = [
            org
            | {
                "id": new_id(),
                "name": f"Project {i:02d}",
                **project_mix(i),
                "objective_ids": [objectives[i % OBJECTIVES]["id"]],
                "version": 1,
            }
            for i in range(PROJECTS)
        ]
        session.execute(insert(Project), projects)
        start = this_year[0].start
        session.execute(
            insert(Milestone),
            [
                org
                | {
                    "id": new_id(),
                    "project_id": p["id"],
                    **milestone_mix(k, start, rng),
                    "version": 1,
                }
                for p in projects
                for k in range(MILESTONES)
            ],
        )
        session.commit()


def _quarters(months: list[Period]) -> list[Period]:
    """The quarters the months cover that have ended by the last of them."""
    years = sorted({m.year for m in months})
    quarters = [Period(y, Frequency.QUARTERLY, q) for y in years for q in range(1, 5)]
    return [q for q in quarters if months[0].start <= q.start and q.end <= months[-1].end]


# --- the floors: one hand-written query each, plain rows, no ORM -----------------------------

SAVINGS_FLOOR = """
select l.id, l.reference, l.title, l.owner_team, l.category, l.status, t.in_year,
       t.full_year_effect, e.achieved_to_date, e.forecast_for_year, e.month
from finance.savings_lines l
left join finance.savings_targets t on t.savings_line_id = l.id and t.financial_year = :year
left join lateral (
    select achieved_to_date, forecast_for_year, month from finance.savings_entries e
    where e.savings_line_id = l.id and e.financial_year = :year order by month desc limit 1
) e on true
order by l.reference
"""

SCORECARD_FLOOR = """
select m.id, m.code, m.title, t.value, a.period, a.approved_value
from kpi.measures m
left join kpi.targets t on t.measure_id = m.id and t.financial_year = :year
left join kpi.actuals a on a.measure_id = m.id and a.period = any(:codes)
    and a.approved_value is not null
where m.active
order by m.code
"""

BUDGET_FLOOR = """
select l.id, l.name, a.original_budget, a.current_budget, f.month, f.forecast_outturn
from finance.budget_lines l
join finance.budget_amounts a on a.budget_line_id = l.id and a.financial_year = :year
left join finance.forecasts f on f.budget_line_id = l.id and f.financial_year = :year
    and f.month <= :month
order by l.service_area, l.name, f.month
"""

PROJECTS_FLOOR = """
select p.id, p.name, p.rag, m.title, m.baseline_date, m.forecast_date
from projects.projects p
left join projects.milestones m on m.project_id = p.id
order by p.name, m.baseline_date
"""


def floor_ms(engine: Engine, sql: str, params: dict[str, Any]) -> list[float]:
    times: list[float] = []
    with engine.connect() as connection:
        connection.execute(
            text("select set_config('app.org_id', :org, false)"), {"org": str(ORG_ID)}
        )
        for i in range(WARM_UP + REQUESTS):
            started = time.perf_counter()
            connection.execute(text(sql), params).all()
            if i >= WARM_UP:
                times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    last = Period.month_of(date.today()).previous()
    workdir = Path(tempfile.mkdtemp(prefix="asc-queries-"))
    server = start_embedded(workdir / "pg", keep=False)
    url = fresh_database(embedded_url(server, "postgres"), "asc_queries")
    upgrade_all(url)
    engine = make_engine(url)
    database = Database(engine)
    load(database, last)
    settings = in_process_settings(url, SIGNING_KEY)
    caller = Caller(
        org_id=ORG_ID,
        user_id="bench",
        display_name="Bench",
        roles=frozenset({Role.ADMIN}),
        team=None,
        client="bench",
    )
    apps: dict[str, FastAPI] = {
        "finance": create_finance(settings=settings, database=database),
        "kpi": create_kpi(settings=settings, database=database),
        "projects": create_projects(settings=settings, database=database),
    }
    year = last.year.label
    cases: list[tuple[str, str, str, str | None, dict[str, Any]]] = [
        (
            "savings tracker, 200 lines",
            "finance",
            f"/savings-lines?financial_year={year}&limit=500",
            SAVINGS_FLOOR,
            {"year": year},
        ),
        (
            "KPI scorecard, 150 measures",
            "kpi",
            f"/scorecard?period={last.code}&limit=500",
            SCORECARD_FLOOR,
            {"year": year, "codes": _codes_shown(last)},
        ),
        (
            "budget monitor, 100 lines",
            "finance",
            f"/budget/position?month={last.code}",
            BUDGET_FLOOR,
            {"year": year, "month": last.start},
        ),
        ("projects tracker, 60 projects", "projects", "/projects?limit=500", PROJECTS_FLOOR, {}),
        ("objectives, 40", "projects", "/objectives?limit=500", None, {}),
    ]
    dump = Path(os.environ["QUERIES_DUMP"]) if os.environ.get("QUERIES_DUMP") else None
    if dump:
        dump.mkdir(parents=True, exist_ok=True)
    lines = [
        f"{'request, straight to the service':<32} {'statements':>10} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'CPU ms':>8} {'floor p50':>10}"
    ]
    for n, (name, app, path, floor_sql, params) in enumerate(cases):
        with straight_to(apps[app], caller, SIGNING_KEY) as client:
            for _ in range(WARM_UP):
                client.get(path).raise_for_status()
            with count_statements(engine) as sent:
                response = client.get(path)
            response.raise_for_status()
            if dump:
                (dump / f"{n}-{app}.json").write_text(json.dumps(response.json(), indent=1))
            times = []
            cpu_started = time.process_time()
            for _ in range(REQUESTS):
                started = time.perf_counter()
                client.get(path).raise_for_status()
                times.append((time.perf_counter() - started) * 1000)
            cpu = (time.process_time() - cpu_started) * 1000 / REQUESTS
        floor = (
            f"{statistics.median(floor_ms(engine, floor_sql, params)):>10.1f}"
            if floor_sql
            else f"{'':>10}"
        )
        lines.append(
            f"{name:<32} {sent.count:>10} {statistics.median(times):>8.1f} "
            f"{percentile(times, 0.95):>8.1f} {cpu:>8.1f} {floor}"
        )
        sys.stderr.write(lines[-1] + "\n")
    database.dispose()
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "queries.txt").write_text("\n".join(lines) + "\n")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _codes_shown(last: Period) -> list[str]:
    """The periods a scorecard for `last` shows: 13 months, and 8 quarters with last year's."""
    quarter = Period.containing(last.end, Frequency.QUARTERLY)
    if quarter.end > last.end:
        quarter = quarter.previous()
    quarters = [quarter]
    while len(quarters) < 12:
        quarters.insert(0, quarters[0].previous())
    return [p.code for p in months_ending(last, 13) + quarters]


if __name__ == "__main__":
    sys.exit(main())
