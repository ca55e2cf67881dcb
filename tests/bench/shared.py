"""What the benchmarks share: the months they generate, how they read latencies and CPU time."""

import os
from pathlib import Path

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
