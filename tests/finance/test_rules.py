"""The arithmetic of budget monitoring and savings, to the penny."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from common.periods import FinancialYear
from services.finance.budgets import rules as budget_rules
from services.finance.savings import rules as savings_rules

pennies = st.integers(min_value=-(10**11), max_value=10**11).map(lambda p: Decimal(p) / 100)
positive_pennies = st.integers(min_value=0, max_value=10**11).map(lambda p: Decimal(p) / 100)
fy_2025 = FinancialYear(2025)


def test_overspend_is_a_positive_variance_to_the_penny() -> None:
    assert budget_rules.variance(Decimal("1000000.00"), Decimal("1000000.01")) == Decimal("0.01")
    assert budget_rules.variance_words(Decimal("0.01")) == "overspend"


def test_income_shortfall_on_a_negative_budget_is_an_overspend() -> None:
    shortfall = budget_rules.variance(Decimal("-500000.00"), Decimal("-450000.00"))
    assert shortfall == Decimal("50000.00")
    assert budget_rules.variance_words(shortfall) == "overspend"


def test_movement_from_original_forecast_to_reported_outturn() -> None:
    # "forecast outturn is an overspend of £5.399m; the original forecast was £6.2m"
    assert budget_rules.movement(Decimal("5399000.00"), Decimal("6200000.00")) == Decimal(
        "-801000.00"
    )


def test_first_forecast_of_a_year_has_no_movement() -> None:
    assert budget_rules.movement(Decimal("10.00"), None) is None


@given(st.lists(st.tuples(pennies, st.none() | pennies, st.none() | pennies), max_size=30))
def test_position_totals_are_the_sums_of_the_lines(
    lines: list[tuple[Decimal, Decimal | None, Decimal | None]],
) -> None:
    positions = [budget_rules.LinePosition(b, f, p) for b, f, p in lines]
    totals = budget_rules.position_totals(positions)
    assert totals.budget == sum((b for b, _, _ in lines), Decimal(0))
    assert totals.variance == sum((p.variance for p in positions if p.variance), Decimal(0))
    assert totals.movement == sum((p.movement for p in positions if p.movement), Decimal(0))
    with_forecast = [p for p in positions if p.forecast_outturn is not None]
    assert totals.variance == sum(
        (p.forecast_outturn - p.budget for p in with_forecast if p.forecast_outturn is not None),
        Decimal(0),
    )


def test_slippage_is_target_less_forecast_to_the_penny() -> None:
    assert savings_rules.savings_shortfall(Decimal("376000.00"), Decimal("301250.51")) == Decimal(
        "74749.49"
    )
    assert savings_rules.savings_shortfall(Decimal("100.00"), Decimal("120.00")) == Decimal(
        "-20.00"
    )


def test_a_line_without_a_return_has_no_slippage_and_is_counted_as_missing() -> None:
    reported = savings_rules.LineProgress(
        Decimal("376000.00"), Decimal("376000.00"), Decimal("90000.00"), Decimal("350000.00")
    )
    missing = savings_rules.LineProgress(Decimal("575000.00"), Decimal("575000.00"), None, None)
    totals = savings_rules.progress_totals([reported, missing])
    assert missing.shortfall is None
    assert totals.target == Decimal("951000.00")
    assert totals.shortfall == Decimal("26000.00")
    assert totals.lines_without_return == 1


@given(st.lists(st.tuples(positive_pennies, positive_pennies, positive_pennies), max_size=30))
def test_total_slippage_is_total_target_less_total_forecast_when_all_have_reported(
    lines: list[tuple[Decimal, Decimal, Decimal]],
) -> None:
    progresses = [savings_rules.LineProgress(t, t, a, f) for t, a, f in lines]
    totals = savings_rules.progress_totals(progresses)
    assert totals.shortfall == totals.target - totals.forecast_for_year
    assert totals.achieved_to_date == sum((a for _, a, _ in lines), Decimal(0))


def test_in_year_effect_of_a_saving_starting_in_october_is_half_the_full_year() -> None:
    assert savings_rules.in_year_effect(
        Decimal("576000.00"), date(2025, 10, 1), fy_2025
    ) == Decimal("288000.00")


def test_in_year_effect_rounds_to_the_penny() -> None:
    # £1,000 over 12 months starting in March: one twelfth is £83.333... → £83.33
    assert savings_rules.in_year_effect(Decimal("1000.00"), date(2026, 3, 1), fy_2025) == Decimal(
        "83.33"
    )
    assert savings_rules.carried_forward(Decimal("1000.00"), Decimal("83.33")) == Decimal("916.67")


def test_in_year_effect_before_and_after_the_year() -> None:
    full = Decimal("575000.00")
    assert savings_rules.in_year_effect(full, date(2024, 9, 1), fy_2025) == full
    assert savings_rules.in_year_effect(full, date(2026, 4, 1), fy_2025) == Decimal("0.00")


@given(positive_pennies, st.integers(min_value=0, max_value=11))
def test_in_year_and_carried_forward_make_the_full_year_effect(
    full_year: Decimal, months_in: int
) -> None:
    start = fy_2025.months()[months_in]
    in_year = savings_rules.in_year_effect(full_year, start, fy_2025)
    assert in_year == in_year.quantize(Decimal("0.01"))
    assert Decimal(0) <= in_year <= full_year
    assert in_year + savings_rules.carried_forward(full_year, in_year) == full_year


def test_care_package_review_cohort_is_eleven_point_nine_percent_done() -> None:
    assert savings_rules.percent_done(3813, 452) == Decimal("11.9")


def test_nothing_planned_has_no_percentage() -> None:
    assert savings_rules.percent_done(0, 5) is None


def test_only_a_lead_of_the_owning_team_or_a_central_role_may_change_a_line() -> None:
    def may(roles: list[str], team: str | None) -> bool:
        return savings_rules.may_change_line(roles=roles, team=team, owner_team="Operations Team")

    assert may(["service_lead"], "Operations Team")
    assert not may(["service_lead"], "Commissioning Team")
    assert not may(["service_lead"], None)
    assert not may(["viewer"], "Operations Team")
    assert may(["finance"], None)
    assert may(["programme_office"], "Commissioning Team")
    assert may(["admin"], None)
