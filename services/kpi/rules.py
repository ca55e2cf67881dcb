"""Pure KPI rules: targets for a period, year-to-date figures, RAG and direction of travel.

No I/O here: every function takes plain values and is unit- and property-tested.
"""

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum

from common.periods import Frequency, Period

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


class TargetType(StrEnum):
    FLAT = "flat"
    CUMULATIVE = "cumulative"
    PROFILED = "profiled"


class TargetKind(StrEnum):
    LEVEL = "level"
    """The target is the figure to reach."""
    REDUCTION = "reduction"
    """The target is an amount to take off the measure's baseline ("£376k reduction")."""


class ToleranceKind(StrEnum):
    PERCENT = "percent"
    ABSOLUTE = "absolute"


class Rag(StrEnum):
    GREEN = "Green"
    AMBER = "Amber"
    RED = "Red"
    NO_DATA = "No data"
    NO_TARGET = "No target"


class Direction(StrEnum):
    IMPROVING = "Improving"
    WORSENING = "Worsening"
    NO_CHANGE = "No change"
    NOT_KNOWN = "Not known"


DEFAULT_TOLERANCE = Decimal(5)
"""Amber reaches 5% of the target beyond it unless a measure says otherwise."""


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


def effective_target(value: Decimal, kind: TargetKind, baseline: Decimal | None) -> Decimal | None:
    """The level to reach: a reduction target is taken off the baseline (None without one).

    >>> effective_target(Decimal(376000), TargetKind.REDUCTION, Decimal(5200000))
    Decimal('4824000')
    """
    if kind is TargetKind.LEVEL:
        return value
    if baseline is None:
        return None
    return baseline - value


def target_for_period(
    annual: Decimal | None,
    target_type: TargetType,
    period: Period,
    *,
    unit: Unit,
    profile: Sequence[Decimal] | None = None,
) -> Decimal | None:
    """The target that a period's figure is compared with.

    Flat: the year's target. Cumulative: the year-to-date target, the sum of the profile so far
    or the year's target pro rata by elapsed periods (a percentage or ratio does not add up, so its
    year-to-date target is the year's). Profiled: that period's own target.

    >>> from common.periods import Period
    >>> target_for_period(Decimal(889), TargetType.CUMULATIVE, Period.parse("2025/26 Q2"),
    ...                   unit=Unit.RATE_PER_100K)
    Decimal('444.5')
    """
    if annual is None:
        return None
    index, count = period.index, period.frequency.periods_per_year
    usable_profile = profile if profile is not None and len(profile) == count else None
    if target_type is TargetType.FLAT:
        return annual
    if target_type is TargetType.PROFILED:
        return usable_profile[index - 1] if usable_profile else annual
    if not unit.additive:
        return annual
    if usable_profile:
        return sum(usable_profile[:index], Decimal(0))
    return annual * index / count


def year_to_date(values: Sequence[Decimal | None], unit: Unit) -> Decimal | None:
    """The figure a cumulative measure is judged on, given each period's figure so far this year.

    Counts, money and rates add up; a percentage or ratio is reported year to date already, so its
    latest figure stands. No figure for the latest period means no year-to-date figure.

    >>> year_to_date([Decimal(10), None, Decimal(5)], Unit.COUNT)
    Decimal('15')
    """
    if not values or values[-1] is None:
        return None
    if not unit.additive:
        return values[-1]
    return sum((v for v in values if v is not None), Decimal(0))


def rag(
    actual: Decimal | None,
    target: Decimal | None,
    polarity: Polarity,
    *,
    tolerance: Decimal = DEFAULT_TOLERANCE,
    tolerance_kind: ToleranceKind = ToleranceKind.PERCENT,
) -> Rag:
    """Green when the target is met, Amber when missed within tolerance, Red beyond it.

    >>> rag(Decimal(76), Decimal(78), Polarity.BIGGER_IS_BETTER)
    <Rag.AMBER: 'Amber'>
    >>> rag(None, Decimal(78), Polarity.BIGGER_IS_BETTER)
    <Rag.NO_DATA: 'No data'>
    """
    if actual is None:
        return Rag.NO_DATA
    if target is None:
        return Rag.NO_TARGET
    shortfall = target - actual if polarity is Polarity.BIGGER_IS_BETTER else actual - target
    if shortfall <= 0:
        return Rag.GREEN
    allowed = (
        tolerance if tolerance_kind is ToleranceKind.ABSOLUTE else abs(target) * tolerance / 100
    )
    return Rag.AMBER if shortfall <= allowed else Rag.RED


def direction(current: Decimal | None, earlier: Decimal | None, polarity: Polarity) -> Direction:
    """Whether the figure moved the good way since an earlier one.

    >>> direction(Decimal(90), Decimal(100), Polarity.SMALLER_IS_BETTER)
    <Direction.IMPROVING: 'Improving'>
    """
    if current is None or earlier is None:
        return Direction.NOT_KNOWN
    if current == earlier:
        return Direction.NO_CHANGE
    better = current > earlier if polarity is Polarity.BIGGER_IS_BETTER else current < earlier
    return Direction.IMPROVING if better else Direction.WORSENING


def reporting_period(frequency: Frequency, within: Period) -> Period:
    """The measure's period a report for `within` shows: the latest one ended by its end.

    >>> from common.periods import Frequency, Period
    >>> reporting_period(Frequency.QUARTERLY, Period.parse("2025-10")).code
    '2025/26 Q2'
    >>> reporting_period(Frequency.MONTHLY, Period.parse("2025/26 Q3")).code
    '2025-12'
    """
    candidate = Period.containing(within.end, frequency)
    return candidate if candidate.end <= within.end else candidate.previous()
