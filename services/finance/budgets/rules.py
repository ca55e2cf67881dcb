"""Budget monitoring arithmetic: pure functions on exact pounds and pence, no I/O.

Sign convention (as council budget monitors write it): variance = forecast outturn - budget, so a
positive variance is an overspend and a negative one an underspend. It holds for income lines too:
an income budget of -£500k forecast at -£450k is £50k of income not collected, a £50k overspend.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")


def variance(budget: Decimal, forecast_outturn: Decimal) -> Decimal:
    """Overspend (+) or underspend (-) of the forecast against the budget.

    >>> variance(Decimal("1000.00"), Decimal("1200.50"))
    Decimal('200.50')
    """
    return forecast_outturn - budget


def movement(forecast_outturn: Decimal, previous_forecast: Decimal | None) -> Decimal | None:
    """Change in the forecast since last month; None when there is no earlier forecast.

    >>> movement(Decimal("5399000.00"), Decimal("6200000.00"))
    Decimal('-801000.00')
    """
    if previous_forecast is None:
        return None
    return forecast_outturn - previous_forecast


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


@dataclass(frozen=True)
class PositionTotals:
    budget: Decimal
    forecast_outturn: Decimal
    variance: Decimal
    movement: Decimal


def position_totals(lines: Iterable[LinePosition]) -> PositionTotals:
    """Totals of a month's position. The forecast total counts only lines with a forecast, and the
    variance total is taken over those same lines, so that total variance = Σ line variances.

    >>> position_totals([LinePosition(Decimal("10"), Decimal("12"), Decimal("11"))]).movement
    Decimal('1.00')
    """
    lines = list(lines)
    return PositionTotals(
        budget=total(line.budget for line in lines),
        forecast_outturn=total(line.forecast_outturn for line in lines),
        variance=total(line.variance for line in lines),
        movement=total(line.movement for line in lines),
    )
