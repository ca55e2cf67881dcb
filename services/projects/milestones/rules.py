"""Pure rules of milestones: when one is due, how many days late it is, whether it is overdue
(no I/O, unit-tested).

The council calls days late "slippage" (the API's `slippage_days`); the code says `days_late`,
since in savings the same word means a shortfall of money.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from common.errors import FieldError


class MilestoneStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


FINISHED_MILESTONE = frozenset({MilestoneStatus.COMPLETED, MilestoneStatus.CANCELLED})


def milestone_errors(*, status: str, actual_date: date | None, today: date) -> list[FieldError]:
    """A milestone cannot be completed in the future, nor be completed without a date.

    >>> milestone_errors(status="completed", actual_date=date(2030, 1, 1), today=date(2025, 1, 1))
    [{'field': 'actual_date', 'message': 'The completion date cannot be in the future'}]
    """
    errors = []
    if actual_date is not None and actual_date > today:
        errors.append(FieldError("actual_date", "The completion date cannot be in the future"))
    if status == MilestoneStatus.COMPLETED and actual_date is None:
        errors.append(FieldError("actual_date", "Enter the date the milestone was completed"))
    return errors


def status_as_at(status: str, actual_date: date | None, on: date | None) -> str:
    """The status a milestone had on the day `on` (today's when None): one completed after that
    day was then still in progress.

    >>> status_as_at("completed", date(2026, 10, 15), on=date(2026, 9, 30))
    'in_progress'
    """
    if on is not None and status == MilestoneStatus.COMPLETED and actual_date and actual_date > on:
        return MilestoneStatus.IN_PROGRESS.value
    return status


def due_date(baseline: date, forecast: date | None) -> date:
    """When a milestone is now expected: the forecast if there is one, else the baseline."""
    return forecast or baseline


def days_late(baseline: date, forecast: date | None, actual: date | None, today: date) -> int:
    """Days a milestone is (or was) late against its baseline; negative when early.

    Once completed, its actual date counts; until then its forecast (else baseline), or today
    when that has passed, since it cannot now be done before today.

    >>> days_late(date(2025, 4, 1), date(2025, 4, 15), None, today=date(2025, 4, 1))
    14
    >>> days_late(date(2025, 4, 1), None, date(2025, 4, 10), today=date(2025, 6, 1))
    9
    >>> days_late(date(2025, 4, 1), None, None, today=date(2025, 4, 11))
    10
    """
    expected = actual or max(due_date(baseline, forecast), today)
    return (expected - baseline).days


def is_overdue(*, baseline: date, forecast: date | None, status: str, today: date) -> bool:
    """Not finished and its expected date has passed.

    >>> is_overdue(baseline=date(2025, 4, 1), forecast=None, status="in_progress", today=date(2025, 4, 2))
    True
    """  # noqa: E501
    if status in FINISHED_MILESTONE:
        return False
    return due_date(baseline, forecast) < today


@dataclass(frozen=True)
class MilestoneFacts:
    """What the rules need to know about a milestone."""

    title: str
    baseline_date: date
    forecast_date: date | None
    actual_date: date | None
    status: str


def next_milestone(milestones: Iterable[MilestoneFacts]) -> MilestoneFacts | None:
    """The unfinished milestone expected soonest (overdue ones first, as they are earliest)."""
    open_ = [m for m in milestones if m.status not in FINISHED_MILESTONE]
    return min(open_, key=lambda m: due_date(m.baseline_date, m.forecast_date), default=None)


def worst_days_late(milestones: Iterable[MilestoneFacts], today: date) -> int | None:
    """The most days late of any of a project's milestones (None without milestones).

    Cancelled milestones do not count: they will never be delivered late.
    """
    values = [
        days_late(m.baseline_date, m.forecast_date, m.actual_date, today)
        for m in milestones
        if m.status != MilestoneStatus.CANCELLED
    ]
    return max(values, default=None)
