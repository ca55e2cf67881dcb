"""When things are due: the council's deadlines, counted in working days (England and Wales).

Each council sets its own (organisation settings, held by the gateway); the gateway signs them into
the identity every service receives, as it does `self_approval`, so a service never asks for them.
Working days skip weekends and the England and Wales bank holidays of the `holidays` package.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from pydantic import BaseModel, ConfigDict, Field

from common.periods import Frequency, Period


class Deadlines(BaseModel):
    """A council's deadlines and reminder settings (the defaults are common practice)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_serialization_defaults_required=True
    )

    monthly_figures_working_days: int = Field(default=10, ge=0, le=60)
    """Monthly KPI figures are due this many working days after the month ends."""
    quarterly_figures_working_days: int = Field(default=10, ge=0, le=60)
    """Quarterly (and annual) KPI figures are due this many working days after the period ends."""
    savings_return_working_day: int = Field(default=5, ge=1, le=20)
    """A month's savings return is due by this working day of the following month."""
    close_working_days: int | None = Field(default=None, ge=0, le=120)
    """A period's figures are locked this many working days after they were due (period close);
    None: periods never close (until the council sets it)."""
    reminders_enabled: bool = True
    """Email people a digest of what is due (when the deployment has an SMTP host)."""
    reminder_lead_days: int = Field(default=5, ge=0, le=60)
    """Remind people of what falls due within this many days, as well as what is overdue."""


class DeadlinesUpdate(BaseModel):
    """A change to some of a council's deadlines; what is left out stays as it is."""

    model_config = ConfigDict(extra="forbid")

    monthly_figures_working_days: int | None = Field(default=None, ge=0, le=60)
    quarterly_figures_working_days: int | None = Field(default=None, ge=0, le=60)
    savings_return_working_day: int | None = Field(default=None, ge=1, le=20)
    close_working_days: int | None = Field(default=None, ge=0, le=120)
    reminders_enabled: bool | None = None
    reminder_lead_days: int | None = Field(default=None, ge=0, le=60)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday.

    >>> is_working_day(date(2026, 12, 28))  # Boxing Day (observed)
    False
    """
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_after(day: date, count: int) -> date:
    """The `count`-th working day after `day` (`day` itself when count is 0).

    >>> working_days_after(date(2026, 4, 30), 10)  # past the May Day bank holiday
    datetime.date(2026, 5, 15)
    """
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def nth_working_day(month: date, n: int) -> date:
    """The `n`-th working day of the month `month` falls in.

    >>> nth_working_day(date(2026, 1, 1), 1)  # 1 January is a bank holiday
    datetime.date(2026, 1, 2)
    """
    return working_days_after(month.replace(day=1) - timedelta(days=1), n)


def figures_due(period: Period, deadlines: Deadlines) -> date:
    """When a period's KPI figures are due.

    >>> figures_due(Period.parse("2026-04"), Deadlines())
    datetime.date(2026, 5, 15)
    """
    days = (
        deadlines.monthly_figures_working_days
        if period.frequency is Frequency.MONTHLY
        else deadlines.quarterly_figures_working_days
    )
    return working_days_after(period.end, days)


def figures_close(period: Period, deadlines: Deadlines) -> date | None:
    """The first day a period's figures are locked, `close_working_days` after they were due;
    None when the council does not close periods.

    >>> figures_close(Period.parse("2026-04"), Deadlines(close_working_days=5))
    datetime.date(2026, 5, 23)
    """
    if deadlines.close_working_days is None:
        return None
    due = figures_due(period, deadlines)
    return working_days_after(due, deadlines.close_working_days) + timedelta(days=1)


def is_closed(period: Period, deadlines: Deadlines, today: date) -> bool:
    """The period's figures are locked: only an approver, giving a reason, may change them."""
    closes = figures_close(period, deadlines)
    return closes is not None and today >= closes


def savings_return_due(month: date, deadlines: Deadlines) -> date:
    """When the savings return for `month` is due: the Nth working day of the next month.

    >>> savings_return_due(date(2026, 4, 1), Deadlines())
    datetime.date(2026, 5, 8)
    """
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return nth_working_day(following, deadlines.savings_return_working_day)


def highlight_report_due(month: date) -> date:
    """A month's highlight report is due by the month's end.

    >>> highlight_report_due(date(2026, 2, 10))
    datetime.date(2026, 2, 28)
    """
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def latest_period_due(frequency: Frequency, today: date) -> Period:
    """The last period that has ended by `today`: the one whose figures are being collected.

    >>> latest_period_due(Frequency.MONTHLY, date(2026, 5, 3)).code
    '2026-04'
    """
    return Period.containing(today, frequency).previous()
