"""Import throughput through the gateway, with every app a real process on loopback (as `make run`).

Uploads 10,000 rows of the KPI table, then 10,000 KPI actuals (100 of those measures, 100 months
each) and 50,000 more (500 other measures), a 10,000-line budget book with a £m column for each
of four years and a section row every 50 lines, 10,000 milestones (of 100 projects, imported
first and not timed), 10,000 budget lines of the ledger's monitoring sheet (a budget and three
months of forecasts each), 10,000 savings lines (a target each) and 10,000 monthly savings
returns (ten months of a thousand of those lines), each as a preview and a commit, and most as
a re-import that changes nothing and one that changes every row. Prints seconds and rows per
second for each step. Then each hostile file (`tests/imports/hostile.py`) is sent to the finance
service's budget import, with the seconds it took to be refused and how much the service's
resident memory grew (its peak, `VmHWM`, over its size before the upload). Both tables are
written to `bench-results/imports.txt`.

`BENCH_IMPORT_ROWS` (default 2,000, a few minutes on a small machine) sets the rows per file:
`BENCH_IMPORT_ROWS=10000` runs the sizes the import issue names, a 10,000-line budget book and
50,000 actuals.
"""

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from common.periods import Period
from common.pg import embedded_url, start_embedded
from common.writing import write_csv
from stack.testing.processes import running_system
from tests.bench.shared import months_ending
from tests.imports.hostile import HOSTILE

ROOT = Path(__file__).resolve().parents[2]
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "2000"))
MEASURES_WITH_ACTUALS = 100
KPI_HEADERS = [
    "Code",
    "Measure",
    "Unit",
    "Better (bigger or smaller)",
    "Frequency",
    "Target type",
    "Normal level/ Target 25/26",
    "Normal level/ Target 26/27",
    "Council Plan KPI (Y/N)",
    "Data Provider",
]
ACTUAL_HEADERS = ["KPI code", "Month", "Actual", "Comments"]
PROJECTS = 100
MILESTONE_HEADERS = ["Project", "Milestone", "Baseline date", "Forecast date", "Status"]
LEDGER_HEADERS = [
    "Cost centre",
    "Budget line",
    "Service area",
    "Budget 2025/26",
    "Apr",
    "May",
    "Jun",
]
SAVINGS_HEADERS = ["Reference", "Title", "Category", "Owner", "Target 2025/26"]
RETURN_HEADERS = ["Reference", "Month", "Achieved to date", "Forecast for year", "Commentary"]
RETURN_MONTHS = ["Apr-25", "May-25", "Jun-25", "Jul-25", "Aug-25", "Sep-25", "Oct-25", "Nov-25"]
RETURN_MONTHS += ["Dec-25", "Jan-26"]


def numbered(headers: list[str], rows: int, row: Callable[[int], list[str]]) -> bytes:
    """A CSV table of `rows` generated rows: row n (counting from 1) is `row(n)`."""
    return write_csv(headers, [row(n) for n in range(1, rows + 1)])


def kpi_table(rows: int, shift: int = 0) -> bytes:
    return numbered(
        KPI_HEADERS,
        rows,
        lambda n: [
            *(f"B{n:05d}", f"Bench measure {n}", "Number", "Bigger", "Monthly", "Flat"),
            *(str(100 + n % 50), str(110 + n % 50 + shift), "N", f"Team {n % 8}"),
        ],
    )


def actuals_table(
    rows: int, last: Period, shift: int = 0, measures: int = MEASURES_WITH_ACTUALS, first: int = 1
) -> bytes:
    """`rows` actuals of `measures` monthly measures (codes from B{first}), a month each."""
    months = months_ending(last, max(rows // measures, 1))
    return write_csv(
        ACTUAL_HEADERS,
        [
            [
                f"B{n % measures + first:05d}",
                months[n // measures].label,
                str(n % 997 + shift),
                "Benchmark figure",
            ]
            for n in range(len(months) * measures)
        ],
    )


WIDE_YEARS = ["2024/25", "2025/26", "2026/27", "2027/28"]


def wide_budget_table(rows: int) -> bytes:
    """A budget book: a column per year in £m and a section row (its service area) every 50
    lines."""
    headers = ["Cost centre", "Budget line", *(f"Budget {y} £m" for y in WIDE_YEARS)]
    body: list[list[str]] = []
    for n in range(rows):
        if n % 50 == 0:
            body.append([f"Section {n // 50 + 1}", "", *("" for _ in WIDE_YEARS)])
        body.append(
            [f"WCC{n:05d}", f"Wide budget line {n}", *(f"{1 + n % 7}.25" for _ in WIDE_YEARS)]
        )
    return write_csv(headers, body)


def project_table() -> bytes:
    return write_csv(["Project name"], [[f"Bench project {n}"] for n in range(1, PROJECTS + 1)])


def milestone_table(rows: int, shift: int = 0) -> bytes:
    return numbered(
        MILESTONE_HEADERS,
        rows,
        lambda n: [
            *(f"Bench project {n % PROJECTS + 1}", f"Bench milestone {n}", "July 2030"),
            *(f"{28 - shift}/08/2030", "Not started"),
        ],
    )


def ledger_table(rows: int, shift: int = 0) -> bytes:
    return numbered(
        LEDGER_HEADERS,
        rows,
        lambda n: [
            *(f"BCC{n:05d}", f"Bench budget line {n}", f"Area {n % 8}", str(1000 + n)),
            *(str(1000 + n + shift), str(1010 + n + shift), str(1020 + n + shift)),
        ],
    )


def savings_table(rows: int, shift: int = 0) -> bytes:
    return numbered(
        SAVINGS_HEADERS,
        rows,
        lambda n: [
            *(f"BSAV{n:05d}", f"Bench saving {n}", "Commissioning", "Bench team"),
            str(5000 + n + shift),
        ],
    )


def returns_table(rows: int, shift: int = 0) -> bytes:
    per_month = max(rows // len(RETURN_MONTHS), 1)
    return write_csv(
        RETURN_HEADERS,
        [
            [f"BSAV{n:05d}", month, str(100 + m + shift), str(5000 + n), "Bench return"]
            for m, month in enumerate(RETURN_MONTHS)
            for n in range(1, per_month + 1)
        ],
    )


def timed(
    client: httpx.Client, path: str, data: bytes, *, commit: bool
) -> tuple[float, dict[str, Any]]:
    """Seconds for one upload, and its report (only rows with problems, as a script would ask)."""
    started = time.perf_counter()
    response = client.post(
        f"/api/v1{path}",
        params={"commit": str(commit).lower(), "rows": "problems"},
        files={"file": ("bench.csv", data, "text/csv")},
    )
    seconds = time.perf_counter() - started
    response.raise_for_status()
    return seconds, response.json()


def _status_kb(pid: int, name: str) -> int:
    """A figure of a process's memory from /proc, in kB ("VmRSS", "VmHWM")."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    raise LookupError(name)


def hostile(client: httpx.Client, pid: int, name: str, data: bytes) -> tuple[int, float, float]:
    """The status a hostile upload got from the finance service (process `pid`), in how many
    seconds, and how many MB its resident memory grew: its peak is reset (`clear_refs` 5) just
    before, so the peak after is this upload's."""
    filename = "hostile.csv" if "CSV" in name else "hostile.xlsx"
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    before = _status_kb(pid, "VmRSS")
    started = time.perf_counter()
    response = client.post(
        "/api/v1/finance/imports/budget-lines", files={"file": (filename, data, "text/csv")}
    )
    seconds = time.perf_counter() - started
    return response.status_code, seconds, (_status_kb(pid, "VmHWM") - before) / 1024


def main() -> int:
    last = Period.month_of(date.today()).previous()
    # Every request acts as an administrator of the demo council, as in `make run` development;
    # a generous upstream timeout, so that a slow machine measures rather than fails.
    os.environ["DEV_IDENTITY"] = "true"
    os.environ.setdefault("UPSTREAM_TIMEOUT_SECONDS", "600")
    workdir = Path(tempfile.mkdtemp(prefix="asc-bench-imports-"))
    server = start_embedded(workdir / "pg", keep=False)
    kpis, actuals = kpi_table(ROWS), actuals_table(ROWS, last)
    corrected = actuals_table(ROWS, last, shift=1)
    steps = [
        ("KPIs: preview", "/kpi/imports/kpis", kpis, False, "create"),
        ("KPIs: commit", "/kpi/imports/kpis", kpis, True, "create"),
        ("KPIs: same file again", "/kpi/imports/kpis", kpis, True, "unchanged"),
        ("KPIs: a target of each changed", "/kpi/imports/kpis", kpi_table(ROWS, 1), True, "update"),
        ("Actuals: preview", "/kpi/imports/actuals", actuals, False, "create"),
        ("Actuals: commit", "/kpi/imports/actuals", actuals, True, "create"),
        ("Actuals: same file again", "/kpi/imports/actuals", actuals, True, "unchanged"),
        ("Actuals: every figure corrected", "/kpi/imports/actuals", corrected, True, "update"),
    ]
    big_actuals = actuals_table(5 * ROWS, last, measures=min(500, ROWS - 100), first=101)
    big = big_actuals.count(b"\n") - 1  # whole months of each measure: 5 x ROWS or a little less
    wide = wide_budget_table(ROWS)
    steps += [
        (
            f"Actuals ({big:,} rows): preview",
            "/kpi/imports/actuals",
            big_actuals,
            False,
            "create",
        ),
        (
            f"Actuals ({big:,} rows): commit",
            "/kpi/imports/actuals",
            big_actuals,
            True,
            "create",
        ),
        (
            "Wide budget book (4 years £m): preview",
            "/finance/imports/budget-lines",
            wide,
            False,
            "create",
        ),
        (
            "Wide budget book (4 years £m): commit",
            "/finance/imports/budget-lines",
            wide,
            True,
            "create",
        ),
    ]
    milestones, ledger = milestone_table(ROWS), ledger_table(ROWS)
    savings, returns = savings_table(ROWS), returns_table(ROWS)
    for kind, path, data, changed, change in (
        (
            "Milestones",
            "/projects/imports/milestones",
            milestones,
            milestone_table(ROWS, 1),
            "a forecast of each moved",
        ),
        (
            "Budget lines",
            "/finance/imports/budget-lines",
            ledger,
            ledger_table(ROWS, 1),
            "every forecast changed",
        ),
        (
            "Savings lines",
            "/finance/imports/savings",
            savings,
            savings_table(ROWS, 1),
            "every target changed",
        ),
        (
            "Savings returns",
            "/finance/imports/savings-entries",
            returns,
            returns_table(ROWS, 1),
            "every return corrected",
        ),
    ):
        steps += [
            (f"{kind}: preview", path, data, False, "create"),
            (f"{kind}: commit", path, data, True, "create"),
            (f"{kind}: same file again", path, data, True, "unchanged"),
            (f"{kind}: {change}", path, changed, True, "update"),
        ]
    results = []
    with (
        running_system(
            embedded_url(server, "postgres"), workdir, prefix="asc_bench", ready_timeout=180
        ) as system,
        httpx.Client(base_url=system.url(), timeout=300) as client,
    ):
        timed(client, "/projects/imports/projects", project_table(), commit=True)
        for name, path, data, commit, action in steps:
            seconds, report = timed(client, path, data, commit=commit)
            counts = report["counts"]
            if counts[action] != counts["rows"]:
                problems: list[Any] = [r["problems"] for r in report["rows"] if r["problems"]]
                first = problems[0] if problems else []
                raise SystemExit(f"{name}: expected every row to {action}, got {counts}: {first}")
            results.append((name, counts["rows"], len(data), seconds))
            sys.stderr.write(f"{name}: {counts['rows']} rows in {seconds:.2f} s\n")
        refused = [
            (name, len(data), *hostile(client, system.processes["finance"].pid, name, data))
            for name, data in ((n, make()) for n, make in HOSTILE.items())
        ]
    lines = [
        "Import throughput through the gateway, every app its own process on loopback",
        f"{ROWS} rows per file; actuals for {MEASURES_WITH_ACTUALS} monthly measures to "
        f"{last.code}",
        "",
        f"{'step':<44} {'rows':>7} {'MB':>6} {'seconds':>8} {'rows/s':>8}",
    ]
    for name, rows, size, seconds in results:
        lines.append(
            f"{name:<44} {rows:>7} {size / 1e6:>6.2f} {seconds:>8.2f} {rows / seconds:>8.0f}"
        )
    lines += [
        "",
        "Hostile files sent to the finance service's budget import",
        f"{'file':<24} {'MB':>6} {'status':>6} {'seconds':>8} {'memory growth MB':>17}",
    ]
    for name, size, status, seconds, growth in refused:
        lines.append(f"{name:<24} {size / 1e6:>6.2f} {status:>6} {seconds:>8.3f} {growth:>17.1f}")
    report_text = "\n".join(lines) + "\n"
    sys.stdout.write(report_text)
    out = ROOT / "bench-results" / "imports.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report_text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
