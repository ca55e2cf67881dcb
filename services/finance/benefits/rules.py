"""The four ways advisers size a saving, worked exactly and shown in words; and totals that keep
opportunity, planned and achieved apart and count an overlap between two lines once.

Pure arithmetic: no I/O. Every figure is worked in Decimal at a precision no input can exhaust and
rounded once, at the end, to the nearest penny with halves rounded up (ROUND_HALF_UP), the rule
council finance systems print.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

PENNY = Decimal("0.01")
ROUNDING_RULE = "rounded once, at the end, to the nearest penny (halves up)"
_PRECISION = 60
"""Digits kept while working: inputs have at most 14 whole and 6 decimal digits, and a formula
multiplies at most five of them, so no product is ever rounded before the last step."""


class Method(StrEnum):
    SPEND_REDUCTION = "spend_reduction"
    """(a) A percentage reduction of a named spend line."""
    PEOPLE_WEEKS = "people_weeks"
    """(b) People × weekly difference × weeks."""
    HOURS_RATE = "hours_rate"
    """(c) People × (weekly hours at start − hours at end) × weeks × hourly rate."""
    UNITS_COST = "units_cost"
    """(d) Units × unit cost."""


class Stage(StrEnum):
    """What a calculation's planned figure is: the estimated size of the prize, or a saving the
    directorate has committed to. Achieved-to-date comes from the actual inputs of either."""

    OPPORTUNITY = "opportunity"
    PLANNED = "planned"


class Kind(StrEnum):
    MONEY = "money"
    COUNT = "count"
    PERCENT = "percent"
    HOURS = "hours"
    WEEKS = "weeks"


@dataclass(frozen=True)
class InputSpec:
    name: str
    label: str
    kind: Kind


INPUTS: dict[Method, tuple[InputSpec, ...]] = {
    Method.SPEND_REDUCTION: (
        InputSpec("spend", "net spend on the line", Kind.MONEY),
        InputSpec("reduction_percent", "reduction", Kind.PERCENT),
    ),
    Method.PEOPLE_WEEKS: (
        InputSpec("people", "people", Kind.COUNT),
        InputSpec("weekly_difference", "difference a week", Kind.MONEY),
        InputSpec("weeks", "weeks", Kind.WEEKS),
    ),
    Method.HOURS_RATE: (
        InputSpec("people", "people reabled", Kind.COUNT),
        InputSpec("hours_start", "weekly hours at start", Kind.HOURS),
        InputSpec("hours_end", "weekly hours at end", Kind.HOURS),
        InputSpec("weeks", "weeks", Kind.WEEKS),
        InputSpec("hourly_rate", "hourly rate", Kind.MONEY),
    ),
    Method.UNITS_COST: (
        InputSpec("units", "units", Kind.COUNT),
        InputSpec("unit_cost", "cost a unit", Kind.MONEY),
    ),
}


def input_names(method: Method) -> tuple[str, ...]:
    return tuple(spec.name for spec in INPUTS[method])


@dataclass(frozen=True)
class Working:
    """A formula's figure and the working that gives it, in words."""

    amount: Decimal
    words: str


def plain(number: Decimal) -> str:
    """A figure as people write it: thousands separated, no trailing zeros.

    >>> plain(Decimal("38.10")), plain(Decimal("3813")), plain(Decimal("24000000"))
    ('38.1', '3,813', '24,000,000')
    """
    text = f"{number.normalize():,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def pounds(amount: Decimal) -> str:
    """Money as the page prints it.

    >>> pounds(Decimal("129844.8")), pounds(Decimal("-5"))
    ('£129,844.80', '−£5.00')
    """
    sign = "−" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def to_pence(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def work_out(method: Method, values: Mapping[str, Decimal], spend_line: str = "") -> Working:
    """The figure the inputs give, rounded once to the penny, with its working in words.

    >>> work_out(Method.PEOPLE_WEEKS, {"people": Decimal(120),
    ...     "weekly_difference": Decimal("28.40"), "weeks": Decimal("38.1")}).words
    '120 people × £28.40 a week × 38.1 weeks = £129,844.80'
    """
    missing = [name for name in input_names(method) if values.get(name) is None]
    if missing:
        raise ValueError(f"missing inputs: {', '.join(missing)}")
    v = {name: Decimal(values[name]) for name in input_names(method)}
    with localcontext() as context:
        context.prec = _PRECISION
        if method is Method.SPEND_REDUCTION:
            exact = v["spend"] * v["reduction_percent"] / 100
            of = f" on {spend_line}" if spend_line else ""
            text = f"{plain(v['reduction_percent'])}% of {pounds(v['spend'])} net spend{of}"
        elif method is Method.PEOPLE_WEEKS:
            exact = v["people"] * v["weekly_difference"] * v["weeks"]
            text = (
                f"{plain(v['people'])} people × {pounds(v['weekly_difference'])} a week × "
                f"{plain(v['weeks'])} weeks"
            )
        elif method is Method.HOURS_RATE:
            exact = (
                v["people"] * (v["hours_start"] - v["hours_end"]) * v["weeks"] * v["hourly_rate"]
            )
            text = (
                f"{plain(v['people'])} people reabled × ({plain(v['hours_start'])} hours at start"
                f" − {plain(v['hours_end'])} hours at end) × {plain(v['weeks'])} weeks × "
                f"{pounds(v['hourly_rate'])} an hour"
            )
        else:
            exact = v["units"] * v["unit_cost"]
            text = f"{plain(v['units'])} units × {pounds(v['unit_cost'])} a unit"
    amount = to_pence(exact)
    return Working(amount, f"{text} = {pounds(amount)}")


@dataclass(frozen=True)
class Figure:
    """One line's benefit in one total: its reference, its amount, and the line it overlaps."""

    reference: str
    amount: Decimal
    overlaps: str | None = None
    overlap_percent: Decimal = Decimal(100)


@dataclass(frozen=True)
class OverlapNote:
    amount: Decimal
    reference: str
    overlaps: str

    @property
    def words(self) -> str:
        return f"{pounds(self.amount)} not counted twice: {self.reference} overlaps {self.overlaps}"


@dataclass(frozen=True)
class Total:
    gross: Decimal
    overlap: Decimal
    net: Decimal
    notes: tuple[OverlapNote, ...]


def total(figures: Iterable[Figure]) -> Total:
    """Add one kind of figure (opportunity, planned or achieved: never two kinds together),
    taking off once each line's overlap with the line it names in the same total.

    A line's overlap is its own amount × its overlap percentage, and never more than the line it
    overlaps. Each is taken off, along a chain too (A overlaps B, B overlaps C: A's part in B and
    B's part in C each come off), and many lines may overlap one. Only an overlap that would close
    a loop (A overlaps B, B overlaps A) is not taken off again: every line of the loop already
    counts against another, so taking it would leave the loop uncounted. So, where the stated
    overlaps are true, the net is never less than what the lines really save together, and never
    more than the gross less every stated overlap outside a loop.

    >>> t = total([Figure("SAV-1", Decimal(100)), Figure("SAV-2", Decimal(40), "SAV-1")])
    >>> t.net, t.notes[0].words
    (Decimal('100.00'), '£40.00 not counted twice: SAV-2 overlaps SAV-1')
    >>> chain = [Figure("A", Decimal(50), "B"), Figure("B", Decimal(80), "C"), Figure("C", Decimal(90))]
    >>> total(chain).net
    Decimal('90.00')
    """  # noqa: E501
    items = list(figures)
    amounts = {f.reference: max(f.amount, Decimal(0)) for f in items}
    group = {reference: reference for reference in amounts}  # lines joined by overlaps taken

    def root(reference: str) -> str:
        while group[reference] != reference:
            group[reference] = group[group[reference]]
            reference = group[reference]
        return reference

    notes: list[OverlapNote] = []
    for figure in items:
        if figure.overlaps is None or figure.overlaps not in amounts:
            continue  # the other line is not in this total: nothing is counted twice
        if root(figure.reference) == root(figure.overlaps):
            continue  # it would close a loop of overlaps already taken off
        with localcontext() as context:
            context.prec = _PRECISION
            claim = to_pence(amounts[figure.reference] * figure.overlap_percent / 100)
        taken = min(claim, amounts[figure.overlaps], amounts[figure.reference])
        group[root(figure.reference)] = root(figure.overlaps)
        if taken > 0:
            notes.append(OverlapNote(taken, figure.reference, figure.overlaps))
    gross = sum((f.amount for f in items), Decimal(0)).quantize(PENNY)
    overlap = sum((n.amount for n in notes), Decimal(0)).quantize(PENNY)
    return Total(gross, overlap, gross - overlap, tuple(notes))
