"""One reader for every amount: council wordings, header units, and exactness."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.money import parse_money
from common.quantities import Unit, header_unit, read_amount, read_quantity

MILLIONS = Unit("money", 1_000_000)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("£2.45 million", "2450000"),
        ("£1.2bn", "1200000000"),
        ("110k", "110000"),
        ("(4.2)", "-4.2"),
        ("-200k", "-200000"),
        ("£   450,000", "450000"),
        ("1,234.50", "1234.50"),
        ("12.5%", "12.5"),
        ("(£0.05 million)", "-50000"),
        ("\u22123", "-3"),
    ],
)
def test_a_cell_is_read_exactly_as_written(cell: str, value: str) -> None:
    assert read_amount(cell) == Decimal(value)


@pytest.mark.parametrize(
    ("heading", "unit"),
    [
        ("Budget 2025/26 £m", MILLIONS),
        ("£ million", MILLIONS),
        ("£000", Unit("money", 1_000)),
        ("£'000", Unit("money", 1_000)),
        ("£k", Unit("money", 1_000)),
        ("Savings (£k)", Unit("money", 1_000)),
        ("Variance (£)", Unit("money", 1)),
        ("%", Unit("percent")),
        ("Outturn (£bn)", Unit("money", 1_000_000_000)),
        ("Figures in thousands", Unit("money", 1_000)),
        ("Measure", Unit()),
        ("Number of carers", Unit()),
    ],
)
def test_a_heading_names_the_unit_and_scale_of_its_column(heading: str, unit: Unit) -> None:
    assert header_unit(heading) == unit


def test_a_bare_number_takes_its_headings_scale() -> None:
    assert read_amount("52.3", header_unit("Budget 2025/26 £m")) == Decimal("52300000")
    assert parse_money("52.3", header_unit("£m")) == Decimal("52300000.00")


def test_a_cell_that_writes_its_own_scale_wins_over_its_heading() -> None:
    assert read_amount("-200k", MILLIONS) == Decimal("-200000")
    assert read_quantity("£2.45 million", Unit("money", 1_000)).value == Decimal("2450000")


def test_a_percentage_is_never_scaled_as_money() -> None:
    assert read_quantity("12.5%", MILLIONS).value == Decimal("12.5")
    assert read_quantity("12.5%").percent
    with pytest.raises(ValueError, match="percentage"):
        parse_money("12.5%")


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("(-4.2)", "negative twice"),
        ("(4.2", "unmatched bracket"),
        ("about 4", "not a number"),
        ("5k%", "scaled and a percentage"),
    ],
)
def test_a_cell_that_is_not_a_number_says_why(cell: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_amount(cell)


_pence = st.decimals(min_value=-(10**11), max_value=10**11, places=2, allow_nan=False)


@given(_pence)
def test_every_amount_written_with_separators_and_brackets_reads_back_exactly(
    amount: Decimal,
) -> None:
    written = f"£{abs(amount):,.2f}"
    cell = f"({written})" if amount < 0 else written
    assert read_amount(cell) == amount


@given(st.decimals(min_value=0, max_value=10**5, places=3, allow_nan=False))
def test_a_number_under_a_millions_heading_is_exactly_a_million_times_it(number: Decimal) -> None:
    assert read_amount(f"{number}", MILLIONS) == number * 1_000_000
    assert read_amount(f"£{number}m") == number * 1_000_000
