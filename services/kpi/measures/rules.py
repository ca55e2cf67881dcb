"""Pure rules of a measure: its unit, which way is better, its tolerance, and the value a
numerator and denominator give. No I/O; unit-tested with the other KPI rules."""

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

PLACES = Decimal("0.000001")


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    GBP = "gbp"
    RATE_PER_100K = "rate_per_100k"
    DAYS = "days"
    RATIO = "ratio"

    @property
    def additive(self) -> bool:
        """Whether figures for periods add up to a figure for the year (counts, money, rates)."""
        return self in {Unit.COUNT, Unit.GBP, Unit.RATE_PER_100K, Unit.DAYS}

    @property
    def made_of_parts(self) -> bool:
        """Whether a figure may be sent as a numerator and denominator (a share, rate or ratio);
        a count, a sum of money or a number of days is the figure itself."""
        return self in {Unit.PERCENT, Unit.RATE_PER_100K, Unit.RATIO}

    @property
    def noun(self) -> str:
        """The unit in words: "a count", "a percentage"."""
        return {
            Unit.COUNT: "count",
            Unit.PERCENT: "percentage",
            Unit.GBP: "sum of money",
            Unit.RATE_PER_100K: "rate per 100,000",
            Unit.DAYS: "number of days",
            Unit.RATIO: "ratio",
        }[self]

    @property
    def scale(self) -> Decimal:
        """What numerator / denominator is multiplied by to give the value."""
        return {Unit.PERCENT: Decimal(100), Unit.RATE_PER_100K: Decimal(100_000)}.get(
            self, Decimal(1)
        )


class Polarity(StrEnum):
    BIGGER_IS_BETTER = "bigger_is_better"
    SMALLER_IS_BETTER = "smaller_is_better"


class ToleranceKind(StrEnum):
    PERCENT = "percent"
    ABSOLUTE = "absolute"


def derive_value(numerator: Decimal, denominator: Decimal, unit: Unit) -> Decimal:
    """The value a numerator and denominator give in a measure's unit.

    >>> derive_value(Decimal(19), Decimal(100), Unit.PERCENT)
    Decimal('19.000000')
    >>> derive_value(Decimal(45), Decimal(30000), Unit.RATE_PER_100K)
    Decimal('150.000000')
    """
    if denominator == 0:
        raise ValueError("the denominator cannot be 0")
    return (numerator / denominator * unit.scale).quantize(PLACES)


def display(value: Decimal | None, decimal_places: int) -> str | None:
    """A figure as it is shown: rounded (half up) to the measure's decimal places, keeping its
    trailing zeros. The exact figure stays as it was entered; only displays round.

    >>> display(Decimal(452) / Decimal(3813) * 100, 1), display(Decimal(12), 1)
    ('11.9', '12.0')
    """
    if value is None:
        return None
    return f"{value.quantize(Decimal(1).scaleb(-decimal_places), rounding=ROUND_HALF_UP):f}"
