"""Pure rules of the improvement plan: action statuses, which actions are open or overdue on a
day, the area an action belongs to, and open/closed counts per area (no I/O, unit-tested)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from common.errors import FieldError


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


def area_key(area: str) -> str:
    """What makes two area labels the same area: their words, ignoring case and spacing.

    >>> area_key(" Quality  Assurance") == area_key("quality assurance")
    True
    """
    return " ".join(area.split()).casefold()


def is_open(*, status: str, completed_on: date | None, on: date | None = None) -> bool:
    """Not yet completed on the day `on` (today's status when None). An action completed on an
    unknown day counts as completed on any day.

    >>> is_open(status="completed", completed_on=date(2026, 11, 20), on=date(2026, 9, 30))
    True
    """
    if status != ActionStatus.COMPLETED:
        return True
    return on is not None and completed_on is not None and completed_on > on


def is_overdue(*, due_date: date | None, status: str, completed_on: date | None, on: date) -> bool:
    """Open on the day `on` and due before it.

    >>> is_overdue(due_date=date(2026, 9, 1), status="in_progress", completed_on=None,
    ...            on=date(2026, 9, 2))
    True
    """
    return (
        due_date is not None
        and due_date < on
        and is_open(status=status, completed_on=completed_on, on=on)
    )


def completion_errors(completed_on: date | None, today: date) -> list[FieldError]:
    """An action cannot be completed on a day still to come.

    >>> completion_errors(date(2030, 1, 1), date(2026, 1, 1))[0]["field"]
    'completed_on'
    """
    if completed_on is not None and completed_on > today:
        return [FieldError("completed_on", "The completion date cannot be in the future")]
    return []


@dataclass(frozen=True)
class ActionFacts:
    area: str
    status: str
    due_date: date | None
    completed_on: date | None


@dataclass(frozen=True)
class AreaCount:
    area: str
    open: int
    closed: int
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.open + self.closed


def action_counts(
    actions: Iterable[ActionFacts], *, on: date, as_at: date | None = None
) -> list[AreaCount]:
    """Open, closed and overdue actions per area, as at `as_at` (else as today, `on`). Labels
    that differ only in case or spacing are one area, named as first written; areas by name.

    >>> action_counts([ActionFacts("Workforce", "completed", None, None),
    ...                ActionFacts("workforce ", "in_progress", None, None)], on=date(2026, 1, 1))
    [AreaCount(area='Workforce', open=1, closed=1, overdue=0)]
    """
    day = as_at or on
    names: dict[str, str] = {}
    counts: dict[str, list[int]] = {}
    for action in actions:
        key = area_key(action.area)
        names.setdefault(key, " ".join(action.area.split()))
        tally = counts.setdefault(key, [0, 0, 0])
        if is_open(status=action.status, completed_on=action.completed_on, on=as_at):
            tally[0] += 1
        else:
            tally[1] += 1
        if is_overdue(
            due_date=action.due_date, status=action.status, completed_on=action.completed_on, on=day
        ):
            tally[2] += 1
    return [AreaCount(names[k], *counts[k]) for k in sorted(counts)]
