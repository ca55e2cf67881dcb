"""The one place for KPI RAG: a figure against its target (Green, Amber, Red), the year-to-date
figure a cumulative measure is judged on, direction of travel, and which period a report shows.

No I/O here: every function takes plain values and is unit- and property-tested.
"""

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum

from common.periods import Frequency, Period
from services.kpi.measures.rules import Polarity, ToleranceKind, Unit


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
