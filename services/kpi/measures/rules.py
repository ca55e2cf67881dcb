"""Pure rules of a measure: its unit, which way is better, its tolerance, and the value a
numerator and denominator give. No I/O; unit-tested with the other KPI rules."""

from decimal import Decimal
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
