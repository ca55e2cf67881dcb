"""Pure rules of KPI tasks: which periods a team still owes figures for. No I/O."""

from datetime import date

from common.deadlines import Deadlines, is_closed
from common.periods import Frequency, Period

DONE = frozenset({"submitted", "approved"})
"""A figure in these states is no longer the provider's to do."""


def open_periods(frequency: Frequency, deadlines: Deadlines, today: date) -> list[Period]:
    """The ended periods whose figures can still be entered by their provider, newest first:
    the last one ended, and earlier ones until the first that is closed, a quarter of a year at
    most (a year for annual measures).

    >>> deadlines = Deadlines(close_working_days=30)
    >>> [p.code for p in open_periods(Frequency.MONTHLY, deadlines, date(2026, 5, 20))]
    ['2026-04', '2026-03']
    """
    periods: list[Period] = []
    period = Period.containing(today, frequency).previous()
    most = max(1, frequency.periods_per_year // 4)
    while len(periods) < most and not is_closed(period, deadlines, today):
        periods.append(period)
        period = period.previous()
    return periods
