"""What both benchmarks use: the months they generate, and how they read latencies."""

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
