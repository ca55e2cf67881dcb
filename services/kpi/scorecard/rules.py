"""The one place for KPI RAG: a figure against its target (Green, Amber, Red), the year-to-date
figure a cumulative measure is judged on, direction of travel, and which period a report shows.

No I/O here: every function takes plain values and is unit- and property-tested.
"""

from collections.abc import Collection, Iterable, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum

from common.periods import Frequency, Period
from services.kpi.measures.rules import Polarity, ToleranceKind, Unit


class _Worded(StrEnum):
    """Values in snake_case, as every enum of the API writes them; the words this service wrote
    before 2026-12 ("Green", "No data") are still read as the same value.

    >>> Rag("No data")
    <Rag.NO_DATA: 'no_data'>
    """

    @classmethod
    def _missing_(cls, value: object) -> "_Worded | None":
        if isinstance(value, str):
            return cls.__members__.get(value.strip().upper().replace(" ", "_"))
        return None


class Rag(_Worded):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NO_DATA = "no_data"
    NO_TARGET = "no_target"


class Direction(_Worded):
    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_CHANGE = "no_change"
    NOT_KNOWN = "not_known"


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
    <Rag.AMBER: 'amber'>
    >>> rag(None, Decimal(78), Polarity.BIGGER_IS_BETTER)
    <Rag.NO_DATA: 'no_data'>
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
    <Direction.IMPROVING: 'improving'>
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


def period_ended_by(frequency: Frequency, day: date) -> Period:
    """The latest period of a frequency that has ended by the end of `day`.

    >>> from datetime import date
    >>> period_ended_by(Frequency.QUARTERLY, date(2026, 10, 15)).code
    '2026/27 Q2'
    >>> period_ended_by(Frequency.MONTHLY, date(2026, 9, 30)).code
    '2026-09'
    """
    candidate = Period.containing(day, frequency)
    return candidate if candidate.end <= day else candidate.previous()


def latest_reported(due: Period, reported: Collection[str], *, earliest: date) -> Period:
    """The period a report as at `due`'s end shows: `due` itself, or the latest period before it
    with a reported figure (never one after it); `due` when none since `earliest` has one.

    >>> latest_reported(Period.parse("2026-09"), {"2026-07"}, earliest=date(2025, 4, 1)).code
    '2026-07'
    """
    current = due
    while current.start >= earliest:
        if current.code in reported:
            return current
        current = current.previous()
    return due


_PLACES = Decimal("0.000001")


def year_end_forecast(
    figures: Sequence[Decimal | None],
    periods_per_year: int,
    *,
    cumulative: bool,
    unit: Unit,
) -> Decimal | None:
    """Where the year is heading on its trajectory so far, given this year's figure for each
    period up to now (None where there is none); None when there is no figure yet.

    A cumulative count runs on at its rate so far (year to date / periods gone * periods in the
    year); a cumulative share is already year to date, so its latest figure stands. A flat
    measure follows the straight line through this year's figures (least squares) to the last
    period of the year; one figure alone is its own forecast.

    >>> year_end_forecast([Decimal(10), Decimal(20), Decimal(30)], 12, cumulative=True,
    ...                   unit=Unit.COUNT)
    Decimal('240.000000')
    >>> year_end_forecast([Decimal(70), Decimal(72), Decimal(74)], 12, cumulative=False,
    ...                   unit=Unit.PERCENT)
    Decimal('92.000000')
    """
    known = [(i, v) for i, v in enumerate(figures, start=1) if v is not None]
    if not known:
        return None
    if cumulative:
        ytd = year_to_date([v for _, v in known], unit)
        if ytd is None or not unit.additive:
            return known[-1][1].quantize(_PLACES)
        return (ytd / len(figures) * periods_per_year).quantize(_PLACES)
    if len(known) == 1:
        return known[0][1].quantize(_PLACES)
    n = Decimal(len(known))
    mean_x = sum((Decimal(i) for i, _ in known), Decimal(0)) / n
    mean_y = sum((v for _, v in known), Decimal(0)) / n
    spread = sum(((Decimal(i) - mean_x) ** 2 for i, _ in known), Decimal(0))
    slope = sum(((Decimal(i) - mean_x) * (v - mean_y) for i, v in known), Decimal(0)) / spread
    forecast = mean_y + slope * (periods_per_year - mean_x)
    if unit is Unit.PERCENT:
        forecast = min(max(forecast, Decimal(0)), Decimal(100))
    elif unit is not Unit.GBP:
        forecast = max(forecast, Decimal(0))
    return forecast.quantize(_PLACES)


class Travel(StrEnum):
    """A service area's direction of travel since the previous period, in words."""

    BETTER = "better"
    WORSE = "worse"
    SAME = "same"
    NOT_KNOWN = "not_known"


_RANK = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}


def area_travel(statuses: Iterable[tuple[Rag, Rag]]) -> tuple[Travel, int, int]:
    """Where a service area is heading, from each measure's (RAG now, RAG the period before):
    better when more measures moved up (Red → Amber → Green) than down, worse when more moved
    down, the same when as many moved each way; not known when no measure has a RAG both times.
    Returns the direction and how many measures improved and worsened.

    >>> area_travel([(Rag.GREEN, Rag.AMBER), (Rag.RED, Rag.RED), (Rag.NO_DATA, Rag.RED)])
    (<Travel.BETTER: 'better'>, 1, 0)
    >>> area_travel([(Rag.GREEN, Rag.NO_DATA)])
    (<Travel.NOT_KNOWN: 'not_known'>, 0, 0)
    """
    compared = [
        (_RANK[now], _RANK[before]) for now, before in statuses if now in _RANK and before in _RANK
    ]
    improved = sum(1 for now, before in compared if now > before)
    worsened = sum(1 for now, before in compared if now < before)
    if not compared:
        return Travel.NOT_KNOWN, 0, 0
    if improved == worsened:
        return Travel.SAME, improved, worsened
    return (Travel.BETTER if improved > worsened else Travel.WORSE), improved, worsened
