"""Money is exact and read the way council papers write it."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from common.money import Money, format_money, parse_money


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£1.2m", "1200000.00"),
        ("£376k", "376000.00"),
        ("1,234.50", "1234.50"),
        ("£5.399m", "5399000.00"),
        ("-£5k", "-5000.00"),
        ("£-5k", "-5000.00"),
        ("551K", "551000.00"),
        ("£2bn", "2000000000.00"),
        (" 42 ", "42.00"),
        ("0.01", "0.01"),
    ],
)
def test_council_wording_parses_to_exact_pounds_and_pence(text: str, expected: str) -> None:
    assert parse_money(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "TBC",
        "about £3k",
        "1,23",
        "1.2.3",
        "£1m-£2m",
        "£1.2345",
        "1e6",
        "€5",
        "--5",
        "£",
        "12,34,567",
    ],
)
def test_ambiguous_or_unreadable_money_is_refused_with_a_message(text: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        parse_money(text)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_plain_amounts_round_trip_exactly(amount: Decimal) -> None:
    assert parse_money(f"{amount:.2f}") == amount
    assert parse_money(f"{amount:,.2f}") == amount


class _Line(BaseModel):
    amount: Money


def test_money_field_accepts_numbers_and_text_and_serialises_as_a_string() -> None:
    assert _Line(amount=0.1).amount == Decimal("0.10")
    assert _Line(amount="£1.2m").amount == Decimal("1200000.00")
    assert _Line(amount=Decimal("3")).model_dump(mode="json") == {"amount": "3.00"}


def test_money_field_refuses_fractions_of_a_penny_and_booleans() -> None:
    with pytest.raises(ValidationError, match="fractions of a penny"):
        _Line(amount=Decimal("0.001"))
    with pytest.raises(ValidationError):
        _Line(amount=True)


@pytest.mark.parametrize(
    "value", [Decimal("1e30"), 10**20, "£99999999999999k", Decimal("Infinity")]
)
def test_absurd_amounts_are_refused_not_crashed_on(value: object) -> None:
    with pytest.raises(ValidationError, match=r"too large|finite"):
        _Line(amount=value)


def test_short_format_reads_like_a_report() -> None:
    assert format_money(Decimal("376000"), short=True) == "£376k"
    assert format_money(Decimal("-5399000"), short=True) == "-£5.399m"
    assert format_money(Decimal("1234.5")) == "£1,234.50"
