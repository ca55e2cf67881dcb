"""The pure KPI rules: targets for a period, year to date, RAG and direction of travel."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.periods import Frequency, Period
from services.kpi.measures.rules import Polarity, ToleranceKind, Unit, derive_value, display
from services.kpi.scorecard.rules import (
    Direction,
    Rag,
    direction,
    latest_reported,
    period_ended_by,
    rag,
    reporting_period,
    year_end_forecast,
    year_to_date,
)
from services.kpi.targets.rules import TargetKind, TargetType, effective_target, target_for_period

D = Decimal
BIGGER, SMALLER = Polarity.BIGGER_IS_BETTER, Polarity.SMALLER_IS_BETTER


# The cases "Done means" names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("78", Rag.GREEN),
        ("80.5", Rag.GREEN),
        ("75", Rag.AMBER),
        ("74.1", Rag.AMBER),
        ("74", Rag.RED),
    ],
)
def test_bigger_is_better_flat_percent(actual: str, expected: Rag) -> None:
    # 78% target, 5% tolerance of the target = 3.9 points of room for Amber.
    target = target_for_period(D(78), TargetType.FLAT, Period.parse("2025-09"), unit=Unit.PERCENT)
    assert target == D(78)
    assert rag(D(actual), target, BIGGER) is expected


def test_smaller_is_better_cumulative_rate_per_100k_is_judged_year_to_date() -> None:
    # 889 per 100,000 a year; by Q2 half of it is the year-to-date target.
    q2 = Period.parse("2025/26 Q2")
    target = target_for_period(D(889), TargetType.CUMULATIVE, q2, unit=Unit.RATE_PER_100K)
    assert target == D("444.5")
    under = year_to_date([D(200), D(230)], Unit.RATE_PER_100K)
    assert rag(under, target, SMALLER) is Rag.GREEN
    within = year_to_date([D(230), D(230)], Unit.RATE_PER_100K)  # 460: over by 15.5 of 22.2
    assert rag(within, target, SMALLER) is Rag.AMBER
    beyond = year_to_date([D(250), D(250)], Unit.RATE_PER_100K)
    assert rag(beyond, target, SMALLER) is Rag.RED


def test_cumulative_smaller_is_better_is_amber_within_tolerance() -> None:
    target = target_for_period(
        D(1102), TargetType.CUMULATIVE, Period.parse("2025/26 Q1"), unit=Unit.RATE_PER_100K
    )
    assert target == D("275.5")
    assert rag(D(280), target, SMALLER) is Rag.AMBER


def test_cumulative_count_compares_the_sum_of_the_year_so_far() -> None:
    october = Period.parse("2025-10")  # month 7 of 2025/26
    target = target_for_period(D(1200), TargetType.CUMULATIVE, october, unit=Unit.COUNT)
    assert target == D(700)
    months = [D(100)] * 6 + [D(95)]
    assert year_to_date(months, Unit.COUNT) == D(695)
    assert rag(year_to_date(months, Unit.COUNT), target, BIGGER) is Rag.AMBER
    # Each month alone (95-100) would be far short of 700: only the year to date is fair.
    assert rag(D(100), target, BIGGER) is Rag.RED


def test_cumulative_count_uses_the_profile_when_there_is_one() -> None:
    profile = [D(50)] * 6 + [D(150)] * 6
    target = target_for_period(
        D(1200), TargetType.CUMULATIVE, Period.parse("2025-10"), unit=Unit.COUNT, profile=profile
    )
    assert target == D(450)


def test_a_money_reduction_target_is_taken_off_the_baseline() -> None:
    # "£376k reduction" from a £5.2m baseline: spend must come down to £4.824m; smaller is better.
    level = effective_target(D(376000), TargetKind.REDUCTION, D(5200000))
    assert level == D(4824000)
    absolute = ToleranceKind.ABSOLUTE
    for spend, expected in (("4800000", Rag.GREEN), ("4860000", Rag.AMBER), ("5100000", Rag.RED)):
        assert (
            rag(D(spend), level, SMALLER, tolerance=D(50000), tolerance_kind=absolute) is expected
        )


def test_a_reduction_target_without_a_baseline_is_no_target() -> None:
    level = effective_target(D(376000), TargetKind.REDUCTION, None)
    assert rag(D(4800000), level, SMALLER) is Rag.NO_TARGET


def test_missing_data_is_no_data() -> None:
    assert rag(None, D(78), BIGGER) is Rag.NO_DATA
    assert str(Rag.NO_DATA) == "no_data"


def test_no_target_is_no_target() -> None:
    assert rag(D(78), None, BIGGER) is Rag.NO_TARGET
    assert str(Rag.NO_TARGET) == "no_target"


def test_the_words_the_api_wrote_before_read_as_the_same_rag() -> None:
    assert Rag("No data") is Rag.NO_DATA
    assert Rag("Green") is Rag.GREEN
    assert Direction("No change") is Direction.NO_CHANGE


def test_missing_year_to_date_figure_is_no_data() -> None:
    assert year_to_date([D(10), None], Unit.COUNT) is None
    assert rag(year_to_date([D(10), None], Unit.COUNT), D(5), BIGGER) is Rag.NO_DATA


# Targets for a period ---------------------------------------------------------------------------


def test_profiled_target_is_that_periods_own() -> None:
    profile = [D(i) for i in range(1, 5)]
    target = target_for_period(
        D(10), TargetType.PROFILED, Period.parse("2025/26 Q3"), unit=Unit.COUNT, profile=profile
    )
    assert target == D(3)


def test_cumulative_percent_keeps_the_years_target() -> None:
    # "Direct Debit use: target level of 30%" is a share, it does not add up over quarters.
    target = target_for_period(
        D(30), TargetType.CUMULATIVE, Period.parse("2025/26 Q1"), unit=Unit.PERCENT
    )
    assert target == D(30)
    assert year_to_date([D(20), D(25)], Unit.PERCENT) == D(25)


def test_no_annual_target_is_no_period_target() -> None:
    assert (
        target_for_period(None, TargetType.FLAT, Period.parse("2025-04"), unit=Unit.COUNT) is None
    )


def test_absolute_tolerance() -> None:
    absolute = ToleranceKind.ABSOLUTE
    assert rag(D(98), D(100), BIGGER, tolerance=D(2), tolerance_kind=absolute) is Rag.AMBER
    assert rag(D("97.99"), D(100), BIGGER, tolerance=D(2), tolerance_kind=absolute) is Rag.RED


def test_derive_value_from_numerator_and_denominator() -> None:
    assert derive_value(D(45), D(30000), Unit.RATE_PER_100K) == D(150)
    assert derive_value(D(1), D(4), Unit.PERCENT) == D(25)
    with pytest.raises(ValueError, match="cannot be 0"):
        derive_value(D(1), D(0), Unit.PERCENT)


def test_reporting_period_is_the_latest_ended() -> None:
    october = Period.parse("2025-10")
    assert reporting_period(Frequency.MONTHLY, october).code == "2025-10"
    assert reporting_period(Frequency.QUARTERLY, october).code == "2025/26 Q2"
    assert reporting_period(Frequency.ANNUAL, october).code == "2024/25"
    assert reporting_period(Frequency.ANNUAL, Period.parse("2026-03")).code == "2025/26"


# Direction of travel ----------------------------------------------------------------------------


def test_direction_honours_polarity() -> None:
    assert direction(D(80), D(78), BIGGER) is Direction.IMPROVING
    assert direction(D(80), D(78), SMALLER) is Direction.WORSENING
    assert direction(D(78), D(78), SMALLER) is Direction.NO_CHANGE
    assert direction(D(78), None, SMALLER) is Direction.NOT_KNOWN


# Properties -------------------------------------------------------------------------------------

figures = st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False)
positive = st.decimals(min_value=1, max_value=10**6, places=2, allow_nan=False)
tolerances = st.decimals(min_value=0, max_value=50, places=1, allow_nan=False)
polarities = st.sampled_from(list(Polarity))


@given(figures, figures, polarities, tolerances)
def test_green_exactly_when_the_target_is_met(
    actual: Decimal, target: Decimal, polarity: Polarity, tolerance: Decimal
) -> None:
    met = actual >= target if polarity is BIGGER else actual <= target
    assert (rag(actual, target, polarity, tolerance=tolerance) is Rag.GREEN) == met


@given(figures, figures, figures, polarities, tolerances)
def test_a_better_figure_never_gets_a_worse_rag(
    a: Decimal, b: Decimal, target: Decimal, polarity: Polarity, tolerance: Decimal
) -> None:
    better, worse = (max(a, b), min(a, b)) if polarity is BIGGER else (min(a, b), max(a, b))
    order = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}
    rag_better = rag(better, target, polarity, tolerance=tolerance)
    rag_worse = rag(worse, target, polarity, tolerance=tolerance)
    assert order[rag_better] <= order[rag_worse]


@given(figures, figures)
def test_polarity_mirrors_rag(actual: Decimal, target: Decimal) -> None:
    assert rag(actual, target, BIGGER) is rag(-actual, -target, SMALLER)


@given(figures, figures, polarities)
def test_direction_is_antisymmetric(a: Decimal, b: Decimal, polarity: Polarity) -> None:
    forward, backward = direction(a, b, polarity), direction(b, a, polarity)
    if a == b:
        assert forward is backward is Direction.NO_CHANGE
    else:
        assert {forward, backward} == {Direction.IMPROVING, Direction.WORSENING}


@given(positive, st.sampled_from([Frequency.MONTHLY, Frequency.QUARTERLY]))
def test_cumulative_target_reaches_the_annual_target_in_the_last_period(
    annual: Decimal, frequency: Frequency
) -> None:
    last = Period.containing(Period.parse("2026-03").start, frequency)
    assert target_for_period(annual, TargetType.CUMULATIVE, last, unit=Unit.COUNT) == annual


@given(st.lists(positive, min_size=4, max_size=4), st.integers(min_value=1, max_value=4))
def test_cumulative_profile_target_is_the_sum_so_far(profile: list[Decimal], quarter: int) -> None:
    period = Period.parse(f"2025/26 Q{quarter}")
    target = target_for_period(
        sum(profile, D(0)), TargetType.CUMULATIVE, period, unit=Unit.COUNT, profile=profile
    )
    assert target == sum(profile[:quarter])


@given(st.lists(positive, min_size=1, max_size=12))
def test_year_to_date_count_is_the_sum(values: list[Decimal]) -> None:
    assert year_to_date(values, Unit.COUNT) == sum(values)


# Display, as at, and the year-end forecast ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (D(452) / D(3813) * 100, 1, "11.9"),
        (D("11.85"), 1, "11.9"),  # half up, as councils round
        (D("12"), 2, "12.00"),
        (D("4656450.5"), 0, "4656451"),
        (None, 1, None),
    ],
)
def test_display_rounds_half_up_to_the_measures_places_and_keeps_zeros(
    value: Decimal | None, places: int, shown: str | None
) -> None:
    assert display(value, places) == shown


def test_as_at_never_reaches_past_the_day_and_falls_back_to_the_latest_figure() -> None:
    assert period_ended_by(Frequency.MONTHLY, date(2026, 12, 1)).code == "2026-11"
    assert period_ended_by(Frequency.QUARTERLY, date(2026, 12, 31)).code == "2026/27 Q3"
    assert period_ended_by(Frequency.ANNUAL, date(2026, 12, 31)).code == "2025/26"
    due = Period.parse("2026-09")
    earliest = date(2025, 4, 1)
    assert latest_reported(due, {"2026-10", "2026-06"}, earliest=earliest).code == "2026-06"
    assert latest_reported(due, {"2026-10"}, earliest=earliest) == due


@pytest.mark.parametrize(
    ("figures", "cumulative", "unit", "expected"),
    [
        ([D(80), D(79), D(78)], False, Unit.PERCENT, D(69)),  # a point a month down
        ([D(80), None, D(80)], False, Unit.PERCENT, D(80)),  # gaps are left out
        ([D(60)], False, Unit.PERCENT, D(60)),  # one figure is its own forecast
        ([D(2), D(1)], False, Unit.COUNT, D(0)),  # a count never forecast below 0
        ([D(98), D(99), D(100)], False, Unit.PERCENT, D(100)),  # a share never above 100
        ([D(110), D(110), D(110)], True, Unit.COUNT, D(1320)),  # at the rate so far
        ([D(110), None, D(110)], True, Unit.COUNT, D(880)),  # a period with none adds none
        ([D(40), D(45)], True, Unit.PERCENT, D(45)),  # a share is year to date already
        ([None, None], True, Unit.COUNT, None),
    ],
)
def test_the_year_end_forecast_follows_the_trajectory(
    figures: list[Decimal | None], cumulative: bool, unit: Unit, expected: Decimal | None
) -> None:
    assert year_end_forecast(figures, 12, cumulative=cumulative, unit=unit) == expected
