"""The council's wording for dates, budgets and priorities, read without losing it."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.projects.plan.rules import priority_key, split_priorities
from services.projects.portfolio.rules import BudgetBasis, parse_budget, parse_month


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("July 2024", date(2024, 7, 1)),
        ("December 2025", date(2025, 12, 1)),
        ("Sept 2024", date(2024, 9, 1)),
        ("Sep-24", date(2024, 9, 1)),
        ("2025-04", date(2025, 4, 1)),
        ("04/2025", date(2025, 4, 1)),
        (
            "June 2025 (Likely to be extended for a further 12 months to June 2026)",
            date(2025, 6, 1),
        ),
        ("Started in 2024", None),
        ("TBC", None),
        ("", None),
        ("2025-13", None),
        ("Spring 2025", None),
    ],
)
def test_parse_month_reads_the_month_or_gives_none(text: str, month: date | None) -> None:
    assert parse_month(text) == month


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
def test_parse_month_reads_back_every_month_written_out(day: date) -> None:
    first = day.replace(day=1)
    assert parse_month(f"{day:%B %Y}") == first
    assert parse_month(f"{day:%b %Y}") == first
    assert parse_month(f"{day:%Y-%m}") == first


@pytest.mark.parametrize(
    ("text", "amount", "basis", "funding"),
    [
        ("£1.3m over two years", "1300000.00", BudgetBasis.TOTAL, None),
        (
            "£200k per annum (Better Care Fund)",
            "200000.00",
            BudgetBasis.PER_ANNUM,
            "Better Care Fund",
        ),
        ("£270k (covering all three years of the project)", "270000.00", BudgetBasis.TOTAL, None),
        (
            "£266k recurrent in Better Care Fund)",
            "266000.00",
            BudgetBasis.RECURRENT,
            "Better Care Fund",
        ),
        ("£811,000", "811000.00", BudgetBasis.TOTAL, None),
        ("£1.4m per annum", "1400000.00", BudgetBasis.PER_ANNUM, None),
        ("£50k", "50000.00", BudgetBasis.TOTAL, None),
        ("£9m per annum", "9000000.00", BudgetBasis.PER_ANNUM, None),
        ("£40k p.a. from BCF", "40000.00", BudgetBasis.PER_ANNUM, "Better Care Fund"),
    ],
)
def test_parse_budget_reads_amount_basis_and_funding(
    text: str, amount: str, basis: BudgetBasis, funding: str | None
) -> None:
    budget = parse_budget(text)
    assert budget.amount == Decimal(amount)
    assert budget.basis is basis
    assert budget.funding_source == funding
    assert budget.text == text


@pytest.mark.parametrize("text", ["TBC", "N/A", "None above normal ASC allocation", ""])
def test_budget_wording_without_an_amount_keeps_only_its_text(text: str) -> None:
    budget = parse_budget(text)
    assert (budget.amount, budget.basis, budget.text) == (None, None, text)


@given(st.decimals(min_value=0, max_value=10**9, places=2))
def test_parse_budget_is_exact_for_any_amount_in_pounds_and_pence(amount: Decimal) -> None:
    assert parse_budget(f"£{amount:,.2f} per annum").amount == amount


def test_split_priorities_separates_sentences_and_run_on_priorities() -> None:
    text = (
        "Deliver good, accessible services for our customers Invest in technology that is secure "
        "and helps deliver effective services."
    )
    assert split_priorities(text) == [
        "Deliver good, accessible services for our customers",
        "Invest in technology that is secure and helps deliver effective services",
    ]
    assert split_priorities("Secure best value from all Council spending") == [
        "Secure best value from all Council spending"
    ]


def test_priority_key_sets_aside_case_punctuation_and_spelling() -> None:
    assert priority_key("the health and well-being of adults.") == priority_key(
        "The health and Wellbeing of adults"
    )
    assert priority_key("well being") == "wellbeing"
