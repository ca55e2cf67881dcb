"""Savings arithmetic: pure functions on exact pounds and pence, no I/O.

The council's "slippage" of a saving (the API's `slippage` fields) is a shortfall of money:
target - forecast for the year. Positive means the saving will fall short by that much; negative
means it will deliver more than its target. The code calls it `savings_shortfall`, since in
projects the same word means days late.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from common.money import PENNY
from common.periods import FinancialYear

ZERO = Decimal("0.00")
SAVING_TYPES = ("cashable", "non_cashable", "cost_avoidance")
"""Every type of saving, in the order reports list them: only cashable savings reduce spend."""


def savings_shortfall(target: Decimal, forecast_for_year: Decimal) -> Decimal:
    """How far the forecast falls short of the target (negative: over-delivery).

    >>> savings_shortfall(Decimal("376000.00"), Decimal("301250.50"))
    Decimal('74749.50')
    """
    return target - forecast_for_year


def percent_done(planned: int, done: int) -> Decimal | None:
    """Share of the planned volume done, to one decimal place; None when nothing is planned.

    >>> percent_done(3813, 452)
    Decimal('11.9')
    """
    if planned <= 0:
        return None
    return (Decimal(done) * 100 / Decimal(planned)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def in_year_effect(full_year_effect: Decimal, first_month: date, year: FinancialYear) -> Decimal:
    """The part of a recurring saving's full-year effect that lands in `year` when it starts in
    `first_month`: one twelfth for every month from then to March, rounded to the penny.

    >>> in_year_effect(Decimal("576000.00"), date(2025, 10, 1), FinancialYear(2025))
    Decimal('288000.00')
    """
    if first_month < year.start:
        months = 12
    elif first_month > year.end:
        months = 0
    else:
        months = 13 - year.month_number(first_month)
    return (full_year_effect * months / 12).quantize(PENNY, ROUND_HALF_UP)


def carried_forward(full_year_effect: Decimal, in_year: Decimal) -> Decimal:
    """What a recurring saving adds in the following year: full-year effect - in-year effect.

    >>> carried_forward(Decimal("576000.00"), Decimal("288000.00"))
    Decimal('288000.00')
    """
    return full_year_effect - in_year


def percent_of(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole`, to one decimal place; None when `whole` is not positive.

    >>> percent_of(Decimal("100000"), Decimal("400000"))
    Decimal('25.0')
    """
    if whole <= 0:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def far_above_target(forecast_for_year: Decimal, target: Decimal | None) -> bool:
    """A forecast more than double a positive target: so unlikely it must be confirmed.

    >>> far_above_target(Decimal("752001"), Decimal("376000")), far_above_target(Decimal("752000"), Decimal("376000"))
    (True, False)
    """  # noqa: E501
    return target is not None and target > 0 and forecast_for_year > 2 * target


class Brag(StrEnum):
    """How councils rate a saving: Blue delivered, Green on track, Amber at risk, Red
    undeliverable (or written off)."""

    BLUE = "blue"
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def label(self) -> str:
        words = {
            "blue": "Delivered",
            "green": "On track",
            "amber": "At risk",
            "red": "Undeliverable",
        }
        return f"{words[self.value]} ({self.value.capitalize()})"


@dataclass(frozen=True)
class LineProgress:
    """A savings line in one financial year: its targets and its latest monthly return."""

    target: Decimal
    full_year_effect: Decimal
    achieved_to_date: Decimal | None
    forecast_for_year: Decimal | None
    saving_type: str = "cashable"
    status: str = "in_delivery"
    delivery_confidence: str = "amber"

    @property
    def shortfall(self) -> Decimal | None:
        if self.forecast_for_year is None:
            return None
        return savings_shortfall(self.target, self.forecast_for_year)

    @property
    def brag(self) -> Brag:
        """The line's BRAG in the year. Blue once delivered (its status, or achieved the whole
        positive target); Red when written off or its delivery confidence is red; Amber when its
        confidence is amber or its forecast falls short of the target; else Green.

        >>> LineProgress(target=Decimal(10), full_year_effect=Decimal(10),
        ...              achieved_to_date=Decimal(2), forecast_for_year=Decimal(8),
        ...              delivery_confidence="green").brag
        <Brag.AMBER: 'amber'>
        """
        if self.status == "written_off":
            return Brag.RED
        if self.status == "delivered" or (
            self.target > 0
            and self.achieved_to_date is not None
            and self.achieved_to_date >= self.target
        ):
            return Brag.BLUE
        if self.delivery_confidence == "red":
            return Brag.RED
        if self.delivery_confidence == "amber" or (
            self.shortfall is not None and self.shortfall > 0
        ):
            return Brag.AMBER
        return Brag.GREEN


@dataclass(frozen=True)
class ProgressTotals:
    lines: int
    target: Decimal
    full_year_effect: Decimal
    achieved_to_date: Decimal
    forecast_for_year: Decimal
    shortfall: Decimal
    lines_without_return: int


def progress_totals(lines: Iterable[LineProgress]) -> ProgressTotals:
    """Totals across lines. The shortfall is summed over the lines that have a forecast, so a
    line that has not reported yet is counted in `lines_without_return`, not silently as on
    target.

    >>> progress_totals([LineProgress(Decimal("10"), Decimal("12"), Decimal("2"), Decimal("7"))])
    ... # doctest: +ELLIPSIS
    ProgressTotals(lines=1, target=Decimal('10.00'), ..., shortfall=Decimal('3.00'), ...)
    """
    lines = list(lines)
    return ProgressTotals(
        lines=len(lines),
        target=sum((line.target for line in lines), ZERO),
        full_year_effect=sum((line.full_year_effect for line in lines), ZERO),
        achieved_to_date=sum((line.achieved_to_date or ZERO for line in lines), ZERO),
        forecast_for_year=sum((line.forecast_for_year or ZERO for line in lines), ZERO),
        shortfall=sum((line.shortfall or ZERO for line in lines), ZERO),
        lines_without_return=sum(1 for line in lines if line.forecast_for_year is None),
    )


def totals_by_type(lines: Iterable[LineProgress]) -> dict[str, ProgressTotals]:
    """The totals of each type of saving (every type, in `SAVING_TYPES` order), so that cost
    avoidance is never added into cashable savings.

    >>> t = totals_by_type([LineProgress(Decimal("5"), Decimal("5"), None, None, "cost_avoidance")])
    >>> t["cashable"].target, t["cost_avoidance"].target
    (Decimal('0.00'), Decimal('5.00'))
    """
    lines = list(lines)
    return {
        kind: progress_totals(line for line in lines if line.saving_type == kind)
        for kind in SAVING_TYPES
    }


def brag_counts(lines: Iterable[LineProgress]) -> dict[str, int]:
    """How many lines have each BRAG, every BRAG present.

    >>> brag_counts([LineProgress(Decimal("1"), Decimal("1"), None, None, status="delivered")])
    {'blue': 1, 'green': 0, 'amber': 0, 'red': 0}
    """
    counts = dict.fromkeys([b.value for b in Brag], 0)
    for line in lines:
        counts[line.brag.value] += 1
    return counts


def may_change_line(*, roles: Iterable[str], team: str | None, owner_team: str) -> bool:
    """Whether a caller may change a savings line (its fields, returns or activity).

    Administrators, finance and the programme office may change any line; a service lead only the
    lines their own team owns. (Which roles may write at all is the gateway's rule.)

    >>> may_change_line(roles=["service_lead"], team="Operations", owner_team="Operations")
    True
    >>> may_change_line(roles=["service_lead"], team="Operations", owner_team="Commissioning")
    False
    """
    granted = set(roles)
    if granted & {"admin", "finance", "programme_office"}:
        return True
    return "service_lead" in granted and team is not None and team.strip() == owner_team.strip()
