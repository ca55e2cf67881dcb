"""Pure rules of the projects service: derived values, checks and who may change what, no I/O
(unit-tested).

Derived values (slippage, overdue, RAID score, open counts) are computed here and never typed in.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from common.errors import FieldError


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Stage(StrEnum):
    PROPOSED = "proposed"
    IN_DELIVERY = "in_delivery"
    CLOSED = "closed"


class MilestoneStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class RaidKind(StrEnum):
    RISK = "risk"
    ASSUMPTION = "assumption"
    ISSUE = "issue"
    DEPENDENCY = "dependency"


class RaidStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


FINISHED_MILESTONE = frozenset({MilestoneStatus.COMPLETED, MilestoneStatus.CANCELLED})


def rag_reason_errors(field: str, rag: str | None, reason: str | None) -> list[FieldError]:
    """Amber or red must say why; the reason goes in `<field>_reason`.

    >>> rag_reason_errors("rag", "amber", "")[0]["field"]
    'rag_reason'
    >>> rag_reason_errors("rag", "green", None)
    []
    """
    if rag in (Rag.AMBER, Rag.RED) and not (reason or "").strip():
        words = "at risk (amber)" if rag == Rag.AMBER else "off track (red)"
        return [FieldError(f"{field}_reason", f"Say why this is {words}")]
    return []


def month_order_errors(start: date | None, end: date | None) -> list[FieldError]:
    """The end month may not come before the start month.

    >>> month_order_errors(date(2025, 4, 1), date(2025, 3, 1))[0]["field"]
    'end_month'
    """
    if start is not None and end is not None and end < start:
        return [FieldError("end_month", "The end month must be the same as or after the start")]
    return []


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


def due_date(baseline: date, forecast: date | None) -> date:
    """When a milestone is now expected: the forecast if there is one, else the baseline."""
    return forecast or baseline


def slippage_days(baseline: date, forecast: date | None, actual: date | None, today: date) -> int:
    """Days a milestone is (or was) late against its baseline; negative when early.

    Once completed, its actual date counts; until then its forecast (else baseline), or today
    when that has passed, since it cannot now be done before today.

    >>> slippage_days(date(2025, 4, 1), date(2025, 4, 15), None, today=date(2025, 4, 1))
    14
    >>> slippage_days(date(2025, 4, 1), None, date(2025, 4, 10), today=date(2025, 6, 1))
    9
    >>> slippage_days(date(2025, 4, 1), None, None, today=date(2025, 4, 11))
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


def worst_slippage(milestones: Iterable[MilestoneFacts], today: date) -> int | None:
    """The greatest slippage of a project's milestones (None without milestones).

    Cancelled milestones do not count: they will never be delivered late.
    """
    values = [
        slippage_days(m.baseline_date, m.forecast_date, m.actual_date, today)
        for m in milestones
        if m.status != MilestoneStatus.CANCELLED
    ]
    return max(values, default=None)


def raid_score(likelihood: int, impact: int) -> int:
    """Likelihood times impact, each 1 to 5: 1 to 25.

    >>> raid_score(4, 5)
    20
    """
    if not (1 <= likelihood <= 5 and 1 <= impact <= 5):
        raise ValueError("likelihood and impact are each 1 to 5")
    return likelihood * impact


def raid_severity(score: int) -> Rag:
    """The usual five-by-five matrix bands: 15 and above red, 8 to 14 amber, below 8 green.

    >>> raid_severity(15), raid_severity(8), raid_severity(7)
    (<Rag.RED: 'red'>, <Rag.AMBER: 'amber'>, <Rag.GREEN: 'green'>)
    """
    if score >= 15:
        return Rag.RED
    if score >= 8:
        return Rag.AMBER
    return Rag.GREEN


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


def count_by(values: Sequence[str | None], keys: Iterable[str], none_key: str) -> dict[str, int]:
    """Counts of each key (all keys present, zero when absent); None counted under `none_key`.

    >>> count_by(["green", None, "green"], ["green", "amber"], "not_set")
    {'green': 2, 'amber': 0, 'not_set': 1}
    """
    counts = Counter(none_key if v is None else v for v in values)
    return {key: counts[key] for key in [*keys, none_key]}


PLAN_EDITORS = frozenset({"admin", "programme_office"})
"""Roles that shape the plan in their council and change every project in it."""


def may_change_plan(*, roles: Iterable[str]) -> bool:
    """Whether a caller may shape the plan: priorities, objectives, programmes and workstreams,
    the improvement plan, adding and removing projects, choosing a project's lead team, and
    importing tables. The programme office and administrators only.

    >>> may_change_plan(roles=["programme_office"])
    True
    >>> may_change_plan(roles=["service_lead"])
    False
    """
    return bool(PLAN_EDITORS & set(roles))


def may_change_project(*, roles: Iterable[str], team: str | None, lead_team: str) -> bool:
    """Whether a caller may change a project and what hangs off it (its milestones, highlight
    reports and RAID items).

    The programme office and administrators may change any project; a service lead only the
    projects their own team leads (that team's service lead is the project's lead). A project
    with no lead team has no lead. (Which roles may write at all is the gateway's rule.)

    >>> may_change_project(roles=["service_lead"], team="Operations", lead_team="Operations")
    True
    >>> may_change_project(roles=["service_lead"], team="Operations", lead_team="Commissioning")
    False
    """
    granted = list(roles)
    if may_change_plan(roles=granted):
        return True
    own = (team or "").strip()
    return "service_lead" in granted and bool(own) and own == lead_team.strip()
