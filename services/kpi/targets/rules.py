"""Pure rules of targets: the level a target sets, and the target a period's figure is compared
with (flat, cumulative or profiled). No I/O."""

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum

from common.periods import Period
from services.kpi.measures.rules import Unit


class TargetType(StrEnum):
    FLAT = "flat"
    CUMULATIVE = "cumulative"
    PROFILED = "profiled"


class TargetKind(StrEnum):
    LEVEL = "level"
    """The target is the figure to reach."""
    REDUCTION = "reduction"
    """The target is an amount to take off the measure's baseline ("£376k reduction")."""


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
