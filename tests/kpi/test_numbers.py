"""Figures typed by people: numbers in any usual form are read exactly; text never is."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.kpi.fields import to_number

figures = st.decimals(min_value=-(10**12), max_value=10**12, places=6, allow_nan=False)


@given(figures)
def test_a_figure_written_plainly_or_with_commas_reads_back_exactly(figure: Decimal) -> None:
    assert to_number(str(figure)) == figure
    assert to_number(f"{figure:,}") == figure


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1).filter(str.strip))
def test_words_are_not_a_number(text: str) -> None:
    with pytest.raises(ValueError, match="not a number"):
        to_number(text)


@pytest.mark.parametrize("value", [True, "1e400", "NaN", "0.0000001", {"a": 1}])
def test_other_things_are_refused_in_plain_english(value: object) -> None:
    with pytest.raises(ValueError, match=r"^[A-Z\"]"):
        to_number(value)


@pytest.mark.parametrize("text", ["nan", "Infinity", "-inf", "sNaN"])
def test_not_a_number_is_not_a_number(text: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        to_number(text)


def test_a_percent_sign_is_allowed() -> None:
    assert to_number("19%") == Decimal(19)
