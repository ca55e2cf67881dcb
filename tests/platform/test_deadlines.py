"""The council's deadlines, counted in England and Wales working days."""

from datetime import date

import pytest
from pydantic import ValidationError

from common.deadlines import (
    Deadlines,
    figures_close,
    figures_due,
    highlight_report_due,
    is_closed,
    is_working_day,
    latest_period_due,
    nth_working_day,
    savings_return_due,
    working_days_after,
)
from common.periods import Frequency, Period


def test_weekends_and_bank_holidays_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 5, 2))  # Saturday
    assert not is_working_day(date(2026, 5, 4))  # Early May bank holiday
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day observed
    assert is_working_day(date(2026, 5, 5))


def test_working_days_skip_easter() -> None:
    # Thursday 2 April 2026, then Good Friday and Easter Monday: the first working day is Tuesday.
    assert working_days_after(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert working_days_after(date(2026, 4, 2), 0) == date(2026, 4, 2)


def test_monthly_figures_are_due_ten_working_days_after_the_month_by_default() -> None:
    assert figures_due(Period.parse("2026-04"), Deadlines()) == date(2026, 5, 15)


def test_council_sets_how_many_working_days_figures_take() -> None:
    deadlines = Deadlines(monthly_figures_working_days=3, quarterly_figures_working_days=20)
    assert figures_due(Period.parse("2026-04"), deadlines) == date(2026, 5, 6)
    assert figures_due(Period.parse("2026/27 Q1"), deadlines) == date(2026, 7, 28)


def test_savings_return_is_due_by_the_nth_working_day_of_the_next_month() -> None:
    assert savings_return_due(date(2026, 4, 1), Deadlines()) == date(2026, 5, 8)
    assert nth_working_day(date(2026, 1, 1), 1) == date(2026, 1, 2)
    assert savings_return_due(date(2026, 11, 1), Deadlines(savings_return_working_day=1)) == (
        date(2026, 12, 1)
    )


def test_highlight_report_is_due_by_month_end() -> None:
    assert highlight_report_due(date(2028, 2, 3)) == date(2028, 2, 29)


def test_period_closes_working_days_after_the_figures_were_due() -> None:
    deadlines = Deadlines(close_working_days=5)
    period = Period.parse("2026-04")
    assert figures_close(period, deadlines) == date(2026, 5, 23)
    assert not is_closed(period, deadlines, date(2026, 5, 22))
    assert is_closed(period, deadlines, date(2026, 5, 23))


def test_the_period_being_collected_is_the_last_one_ended() -> None:
    assert latest_period_due(Frequency.MONTHLY, date(2026, 5, 3)) == Period.parse("2026-04")
    assert latest_period_due(Frequency.QUARTERLY, date(2026, 5, 3)) == Period.parse("2025/26 Q4")


def test_deadlines_refuse_nonsense() -> None:
    with pytest.raises(ValidationError):
        Deadlines(savings_return_working_day=0)
    with pytest.raises(ValidationError):
        Deadlines(monthly_figures_working_days=-1)
