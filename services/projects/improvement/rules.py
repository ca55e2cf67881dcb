"""Pure rules of the improvement plan: action statuses and open/closed counts per area."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


@dataclass(frozen=True)
class AreaCount:
    area: str
    open: int
    closed: int

    @property
    def total(self) -> int:
        return self.open + self.closed


def action_counts(actions: Iterable[tuple[str, str]]) -> list[AreaCount]:
    """Open and closed improvement actions per area (area, status pairs in), areas by name.

    >>> action_counts([("Workforce", "completed"), ("Workforce", "in_progress")])
    [AreaCount(area='Workforce', open=1, closed=1)]
    """
    open_: Counter[str] = Counter()
    closed: Counter[str] = Counter()
    for area, status in actions:
        (closed if status == ActionStatus.COMPLETED else open_)[area] += 1
    return [AreaCount(a, open_[a], closed[a]) for a in sorted(set(open_) | set(closed))]
