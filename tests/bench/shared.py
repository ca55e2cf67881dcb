"""What the benchmarks share: the months and records they generate, how they read latencies and CPU
time."""

import os
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from random import Random
from typing import Any

from common.periods import Period


def months_ending(last: Period, count: int) -> list[Period]:
    """The `count` months up to and including `last`, oldest first."""
    periods = [last]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    return periods


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile: `percentile(latencies, 0.95)` is the p95."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) used so far by process `pid` and every process under it (an
    app's worker processes), read from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent and p not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(used.get(p, 0.0) for p in tree)


def measure_mix(i: int) -> dict[str, Any]:
    """What generated measure `i` is like, so every benchmark loads the same mix: its unit,
    polarity, Council Plan flag, providing team (of 8) and service area (of 4) cycle with `i`."""
    return {
        "unit": "percent" if i % 2 else "count",
        "polarity": "bigger_is_better" if i % 3 else "smaller_is_better",
        "council_plan": i % 5 == 0,
        "data_provider": f"Team {i % 8}",
        "service_area": f"Area {i % 4}",
    }


def approved(period: Period, value: Decimal) -> dict[str, Any]:
    """An actual's columns for a figure approved as first entered: `value` for `period`."""
    return {
        "period": period.code,
        "period_start": period.start,
        "status": "approved",
        "value": value,
        "approved_value": value,
        "approved_revision": 1,
    }


def project_mix(i: int) -> dict[str, Any]:
    """What generated project `i` is like, so every benchmark loads the same mix: in delivery, led
    by one of 8 teams, its RAG cycling green, amber, red, with a reason unless it is green."""
    return {
        "stage": "in_delivery",
        "lead_team": f"Team {i % 8}",
        "rag": ("green", "amber", "red")[i % 3],
        "rag_reason": "" if i % 3 == 0 else "Benchmark reason",
    }


MILESTONES = 5
"""How many milestones each generated project has."""


def milestone_mix(k: int, start: date, rng: Random) -> dict[str, Any]:
    """Generated milestone `k` of a project: due 40 days after the one before it (the first on
    `start`), forecast up to 30 days late by a draw from `rng`."""
    return {
        "title": f"Milestone {k}",
        "baseline_date": start + timedelta(days=40 * k),
        "forecast_date": start + timedelta(days=40 * k + rng.randint(0, 30)),
    }
