"""Budget monitoring arithmetic: pure functions on exact pounds and pence, no I/O.

Sign convention (as council budget monitors write it): variance = forecast outturn - budget, so a
positive variance is an overspend and a negative one an underspend. It holds for income lines too:
an income budget of -£500k forecast at -£450k is £50k of income not collected, a £50k overspend.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ZERO = Decimal("0.00")


def variance(budget: Decimal, forecast_outturn: Decimal) -> Decimal:
    """Overspend (+) or underspend (-) of the forecast against the budget.

    >>> variance(Decimal("1000.00"), Decimal("1200.50"))
    Decimal('200.50')
    """
    return forecast_outturn - budget


def movement(forecast_outturn: Decimal, previous_forecast: Decimal | None) -> Decimal | None:
    """Change in the forecast since an earlier one; None when there is no earlier forecast.

    >>> movement(Decimal("5399000.00"), Decimal("6200000.00"))
    Decimal('-801000.00')
    """
    if previous_forecast is None:
        return None
    return forecast_outturn - previous_forecast


@dataclass(frozen=True)
class Movement:
    """How a month's forecast moved: since the latest earlier forecast of the financial year
    (whatever month that was), and since the year's original forecast (its first)."""

    previous_month: date | None
    previous_forecast: Decimal | None
    since_previous: Decimal | None
    original_month: date
    original_forecast: Decimal
    since_original: Decimal


def movements(year_forecasts: Sequence[tuple[date, Decimal]], month: date) -> Movement:
    """The movement of the forecast made in `month`, from a line's forecasts of that financial
    year as (month, forecast outturn) pairs. The original forecast is the first made for the
    year; the original itself has moved by nothing since it. Never reaches back across 1 April:
    give only the one year's forecasts.

    >>> m = movements(
    ...     [(date(2025, 4, 1), Decimal("3.7")), (date(2025, 6, 1), Decimal("3.5")),
    ...      (date(2025, 9, 1), Decimal("3.1"))], date(2025, 9, 1))
    >>> m.previous_month, m.since_previous, m.original_forecast, m.since_original
    (datetime.date(2025, 6, 1), Decimal('-0.4'), Decimal('3.7'), Decimal('-0.6'))
    """
    ordered = sorted(year_forecasts)
    current = next(amount for m, amount in ordered if m == month)
    earlier = [(m, amount) for m, amount in ordered if m < month]
    previous_month, previous = earlier[-1] if earlier else (None, None)
    original_month, original = ordered[0]
    return Movement(
        previous_month=previous_month,
        previous_forecast=previous,
        since_previous=movement(current, previous),
        original_month=original_month,
        original_forecast=original,
        since_original=current - original,
    )


def variance_words(amount: Decimal | None) -> str:
    """How a report says it: "overspend", "underspend" or "on budget".

    >>> variance_words(Decimal("-1.00"))
    'underspend'
    """
    if amount is None:
        return "no forecast"
    if amount > 0:
        return "overspend"
    if amount < 0:
        return "underspend"
    return "on budget"


def total(amounts: Iterable[Decimal | None]) -> Decimal:
    """Sum of the amounts that are known.

    >>> total([Decimal("1.10"), None, Decimal("-0.10")])
    Decimal('1.00')
    """
    return sum((a for a in amounts if a is not None), ZERO)


@dataclass(frozen=True)
class LinePosition:
    budget: Decimal
    forecast_outturn: Decimal | None
    previous_forecast: Decimal | None
    original_forecast: Decimal | None = None

    @property
    def variance(self) -> Decimal | None:
        if self.forecast_outturn is None:
            return None
        return variance(self.budget, self.forecast_outturn)

    @property
    def movement(self) -> Decimal | None:
        if self.forecast_outturn is None:
            return None
        return movement(self.forecast_outturn, self.previous_forecast)

    @property
    def movement_since_original(self) -> Decimal | None:
        if self.forecast_outturn is None:
            return None
        return movement(self.forecast_outturn, self.original_forecast)


@dataclass(frozen=True)
class PositionTotals:
    budget: Decimal
    forecast_outturn: Decimal
    variance: Decimal
    movement: Decimal
    original_forecast: Decimal
    movement_since_original: Decimal
    lines_with_forecast: int


def position_totals(lines: Iterable[LinePosition]) -> PositionTotals:
    """Totals of a month's position. The forecast total counts only lines with a forecast, and the
    variance total is taken over those same lines, so that total variance = Σ line variances;
    likewise the original forecast total, so that it plus the movement since it is the forecast.

    >>> position_totals([LinePosition(Decimal("10"), Decimal("12"), Decimal("11"))]).movement
    Decimal('1.00')
    """
    lines = list(lines)
    return PositionTotals(
        budget=total(line.budget for line in lines),
        forecast_outturn=total(line.forecast_outturn for line in lines),
        variance=total(line.variance for line in lines),
        movement=total(line.movement for line in lines),
        original_forecast=total(
            line.original_forecast for line in lines if line.forecast_outturn is not None
        ),
        movement_since_original=total(line.movement_since_original for line in lines),
        lines_with_forecast=sum(1 for line in lines if line.forecast_outturn is not None),
    )
