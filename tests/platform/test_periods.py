"""Financial years run April to March and periods are named the way councils name them."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.periods import FinancialYear, Frequency, Period, as_at_end


def test_financial_year_runs_april_to_march() -> None:
    year = FinancialYear.parse("2025/26")
    assert (year.start, year.end) == (date(2025, 4, 1), date(2026, 3, 31))
    assert year.months()[-1] == date(2026, 3, 1)
    assert FinancialYear.parse("25/26") == year


@pytest.mark.parametrize("text", ["2025/27", "2025", "25-26", "FY25", ""])
def test_bad_financial_years_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="financial year"):
        FinancialYear.parse(text)


def test_q1_is_april_to_june() -> None:
    q1 = Period.parse("2025/26 Q1")
    assert (q1.start, q1.end) == (date(2025, 4, 1), date(2025, 6, 30))
    assert Period.parse("2026/27 Q4").end == date(2027, 3, 31)


def test_january_is_month_ten_of_the_financial_year() -> None:
    january = Period.parse("2026-01")
    assert january.year == FinancialYear(2025)
    assert january.index == 10
    assert january.label == "January 2026"


def test_previous_period_crosses_into_the_previous_year() -> None:
    assert Period.parse("2025-04").previous().code == "2025-03"
    assert Period.parse("2025/26 Q1").previous().code == "2024/25 Q4"
    assert Period.parse("2025/26 Q3").same_period_last_year().code == "2024/25 Q3"


def test_year_to_date_lists_periods_from_april() -> None:
    codes = [p.code for p in Period.parse("2025-06").year_to_date()]
    assert codes == ["2025-04", "2025-05", "2025-06"]


@pytest.mark.parametrize("code", ["2025-13", "2025/26 Q5", "April", "2025/26Q"])
def test_bad_period_codes_are_refused(code: str) -> None:
    with pytest.raises(ValueError, match="not a"):
        Period.parse(code)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(list(Frequency)),
)
def test_every_day_lies_in_exactly_the_period_that_contains_it(
    day: date, frequency: Frequency
) -> None:
    period = Period.containing(day, frequency)
    assert period.start <= day <= period.end
    assert Period.parse(period.code) == period
    assert period.next().previous() == period
    assert period.next().start.toordinal() == period.end.toordinal() + 1


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("2026/27 Q2", date(2026, 9, 30)),
        ("Q2 2026/27", date(2026, 9, 30)),
        ("2026-11-15", date(2026, 11, 15)),
        ("2026-02", date(2026, 2, 28)),
        ("2025/26", date(2026, 3, 31)),
    ],
)
def test_as_at_reads_a_quarter_month_year_or_date_as_the_day_it_ends(text: str, end: date) -> None:
    assert as_at_end(text) == end


@pytest.mark.parametrize("text", ["garbage", "2026/27 Q5", "2026-02-30", ""])
def test_as_at_refuses_what_names_no_day(text: str) -> None:
    with pytest.raises(ValueError, match="as at"):
        as_at_end(text)
