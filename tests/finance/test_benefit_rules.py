"""The four benefit formulas are exact to the penny, and totals count an overlap once."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from services.finance.benefits.rules import Figure, Method, total, work_out

PENNY = Decimal("0.01")
money = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
count = st.integers(min_value=0, max_value=100_000).map(Decimal)
weeks = st.decimals(min_value=0, max_value=104, places=2, allow_nan=False, allow_infinity=False)
hours = st.decimals(min_value=0, max_value=168, places=2, allow_nan=False, allow_infinity=False)
percent = st.decimals(min_value=0, max_value=100, places=4, allow_nan=False, allow_infinity=False)


def _by_fractions(*factors: Decimal) -> Decimal:
    """The exact product worked as a fraction of integers (no Decimal context at all), rounded
    once to the penny, halves up: the reference the formulas must equal."""
    from fractions import Fraction

    product = Fraction(1)
    for factor in factors:
        product *= Fraction(factor)
    pence = product * 100
    whole, rest = divmod(pence.numerator, pence.denominator)
    if rest * 2 >= pence.denominator:
        whole += 1
    return (Decimal(whole) / 100).quantize(PENNY)


def test_the_issue_example_is_worked_in_words() -> None:
    working = work_out(
        Method.PEOPLE_WEEKS,
        {"people": Decimal(120), "weekly_difference": Decimal("28.40"), "weeks": Decimal("38.1")},
    )
    assert working.amount == Decimal("129844.80")
    assert working.words == "120 people × £28.40 a week × 38.1 weeks = £129,844.80"


def test_reablement_hours_are_the_difference_times_weeks_times_rate_per_person() -> None:
    working = work_out(
        Method.HOURS_RATE,
        {
            "people": Decimal(10),
            "hours_start": Decimal("10.5"),
            "hours_end": Decimal(4),
            "weeks": Decimal(72),
            "hourly_rate": Decimal("17.48"),
        },
    )
    assert working.amount == Decimal("81806.40")  # 10 × 6.5 × 72 × 17.48
    assert "(10.5 hours at start − 4 hours at end) × 72 weeks × £17.48 an hour" in working.words


def test_a_spend_reduction_names_its_spend_line() -> None:
    working = work_out(
        Method.SPEND_REDUCTION,
        {"spend": Decimal(24_000_000), "reduction_percent": Decimal(10)},
        spend_line="residential care",
    )
    assert working.words == "10% of £24,000,000.00 net spend on residential care = £2,400,000.00"


def test_a_half_penny_rounds_up_once_at_the_end() -> None:
    working = work_out(Method.UNITS_COST, {"units": Decimal(1), "unit_cost": Decimal("0.005")})
    assert working.amount == Decimal("0.01")
    # 3 × £0.335 = £1.005: rounding each step first would give £1.02 or £1.00
    assert work_out(
        Method.PEOPLE_WEEKS,
        {"people": Decimal(3), "weekly_difference": Decimal("0.335"), "weeks": Decimal(1)},
    ).amount == Decimal("1.01")


@given(spend=money, cut=percent)
def test_spend_reduction_is_exact(spend: Decimal, cut: Decimal) -> None:
    got = work_out(Method.SPEND_REDUCTION, {"spend": spend, "reduction_percent": cut})
    assert got.amount == _by_fractions(spend, cut, Decimal("0.01"))


@given(people=count, weekly=money, span=weeks)
def test_people_weeks_is_exact(people: Decimal, weekly: Decimal, span: Decimal) -> None:
    got = work_out(
        Method.PEOPLE_WEEKS, {"people": people, "weekly_difference": weekly, "weeks": span}
    )
    assert got.amount == _by_fractions(people, weekly, span)


@given(people=count, start=hours, end=hours, span=weeks, rate=money)
def test_hours_rate_is_exact(
    people: Decimal, start: Decimal, end: Decimal, span: Decimal, rate: Decimal
) -> None:
    values = {
        "people": people,
        "hours_start": max(start, end),
        "hours_end": min(start, end),
        "weeks": span,
        "hourly_rate": rate,
    }
    got = work_out(Method.HOURS_RATE, values)
    assert got.amount == _by_fractions(people, max(start, end) - min(start, end), span, rate)


@given(units=count, cost=money)
def test_units_cost_is_exact(units: Decimal, cost: Decimal) -> None:
    got = work_out(Method.UNITS_COST, {"units": units, "unit_cost": cost})
    assert got.amount == _by_fractions(units, cost)
    assert got.amount == (units * cost).quantize(PENNY, rounding=ROUND_HALF_UP)


@given(a=money, b=money, share=percent)
def test_an_overlap_is_counted_once(a: Decimal, b: Decimal, share: Decimal) -> None:
    result = total([Figure("SAV-1", a), Figure("SAV-2", b, "SAV-1", share)])
    overlap = min((b * share / 100).quantize(PENNY, rounding=ROUND_HALF_UP), a)
    assert result.gross == a + b
    assert result.overlap == overlap
    assert result.net == a + b - overlap
    assert result.net >= max(a, b)  # never less than the larger line: nothing taken twice


@given(a=money, b=money)
def test_two_lines_naming_each_other_are_taken_off_once(a: Decimal, b: Decimal) -> None:
    result = total([Figure("SAV-1", a, "SAV-2"), Figure("SAV-2", b, "SAV-1")])
    assert result.net == max(a, b)
    assert len(result.notes) <= 1


def test_the_total_says_what_was_not_counted_twice() -> None:
    result = total([Figure("SAV-1", Decimal(500)), Figure("SAV-2", Decimal(200), "SAV-1")])
    assert [n.words for n in result.notes] == ["£200.00 not counted twice: SAV-2 overlaps SAV-1"]


def test_an_overlap_with_a_line_outside_the_total_takes_nothing_off() -> None:
    result = total([Figure("SAV-2", Decimal(200), "SAV-1")])
    assert (result.net, result.notes) == (Decimal("200.00"), ())


def test_a_chain_of_overlaps_takes_each_off_once() -> None:
    # A's benefit is all inside B's, and B's all inside C's: together they save C's £90.
    result = total(
        [
            Figure("SAV-A", Decimal(50), "SAV-B"),
            Figure("SAV-B", Decimal(80), "SAV-C"),
            Figure("SAV-C", Decimal(90)),
        ]
    )
    assert result.net == Decimal("90.00")
    assert [n.words for n in result.notes] == [
        "£50.00 not counted twice: SAV-A overlaps SAV-B",
        "£80.00 not counted twice: SAV-B overlaps SAV-C",
    ]


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8), st.randoms())
def test_nested_benefits_named_along_any_chain_or_tree_total_the_largest(
    sizes: list[int], random: Any
) -> None:
    """Each line's benefit lies wholly inside the next larger one's, and names one larger line
    (any of them: a chain, or many naming one): the total is what they save together, the
    largest, and never more."""
    amounts = sorted(Decimal(s) / 100 for s in sizes)
    figures = [
        Figure(f"SAV-{i}", amount, f"SAV-{random.randrange(i + 1, len(amounts))}")
        if i < len(amounts) - 1
        else Figure(f"SAV-{i}", amount)
        for i, amount in enumerate(amounts)
    ]
    random.shuffle(figures)
    assert total(figures).net == amounts[-1]


@given(
    st.lists(st.frozensets(st.integers(0, 29), min_size=1), min_size=1, max_size=7),
    st.lists(st.integers(-1, 6), min_size=7, max_size=7),
)
def test_true_overlaps_never_take_off_more_than_the_lines_share(
    lines: list[frozenset[int]], names: list[int]
) -> None:
    """Each line saves £1 for each item of its set and names any other line (or none), with the
    share of its items that are in that line: chains, many naming one, and loops alike. The net
    is never less than what the lines save together, nor more than the gross."""
    figures = []
    for i, items in enumerate(lines):
        other = names[i]
        if 0 <= other < len(lines) and other != i:
            share = Decimal(100 * len(items & lines[other])) / Decimal(len(items))
            figures.append(Figure(f"SAV-{i}", Decimal(len(items)), f"SAV-{other}", share))
        else:
            figures.append(Figure(f"SAV-{i}", Decimal(len(items))))
    result = total(figures)
    together = len(frozenset().union(*lines))
    assert together <= result.net <= result.gross
    assert result.net == result.gross - result.overlap
