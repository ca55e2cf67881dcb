"""Pure rules of actuals: who may enter a measure's figures, and the steps of the approval
workflow (draft → submitted → approved, or returned). No I/O."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from common.deadlines import figures_close
from common.errors import Conflict, FieldError, Forbidden, ValidationFailed
from common.identity import Caller, Role
from common.periods import Period
from services.kpi.actuals.models import Actual
from services.kpi.measures.models import Measure


class ActualStatus(StrEnum):
    """Where a figure is in its approval."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


SUBMITTABLE = {"draft", "returned"}
"""The states an actual is sent for approval from."""

MANAGERS = (Role.ADMIN, Role.PROGRAMME_OFFICE, Role.SERVICE_LEAD)
"""Roles that may enter figures for any team's measures (and approve them)."""


def check_may_enter(caller: Caller, measure: Measure) -> None:
    """A data provider enters figures only for the measures their own team provides."""
    if caller.has_any(*MANAGERS):
        return
    if caller.has_any(Role.DATA_PROVIDER) and caller.team and caller.team == measure.data_provider:
        return
    raise Forbidden(
        f"Only {measure.data_provider or 'the programme office'} can enter figures for "
        f"{measure.code}."
    )


@dataclass(frozen=True)
class Figures:
    period: Period
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None


def mark_corrected(actual: Actual) -> None:
    """A corrected figure is a draft again; the reported (approved) figure stays until approved."""
    actual.status = "draft"
    actual.return_reason = ""


def mark_submitted(actual: Actual) -> None:
    """The workflow step of `submit_actual`, without storing it (the import stores in bulk)."""
    if actual.status not in SUBMITTABLE:
        raise Conflict(
            f"This actual is {actual.status}; only a draft or returned one is submitted."
        )
    actual.status = "submitted"


SELF_APPROVAL_REFUSED = (
    "You submitted this figure, so someone else must approve it. An administrator can allow "
    "one-person teams to approve their own figures in the organisation's settings."
)


def check_may_approve(caller: Caller, submitted_by: str | None) -> bool:
    """Whether approving is self-approval (allowed by the council), or Forbidden when the caller
    submitted the figure and the council does not allow that (separation of duties).

    >>> check_may_approve(Caller(org_id=uuid.UUID(int=1), user_id="a"), "b")
    False
    """
    if submitted_by != caller.user_id:
        return False
    if not caller.self_approval:
        raise Forbidden(SELF_APPROVAL_REFUSED)
    return True


def mark_approved(actual: Actual) -> None:
    """The workflow step of `approve_actual`, without storing it (the import stores in bulk)."""
    if actual.status != "submitted":
        raise Conflict(f"This actual is {actual.status}; only a submitted one can be approved.")
    actual.status = "approved"
    actual.approved_value = actual.value


def unchanged(actual: Actual, figures: Figures, commentary: str) -> bool:
    """The figures and commentary are those the actual holds already."""
    return (
        actual.value == figures.value
        and actual.numerator == figures.numerator
        and actual.denominator == figures.denominator
        and actual.commentary == commentary
    )


@dataclass(frozen=True)
class LateChange:
    """A change to a closed period's figure: who may make it, as which role, and why."""

    role: Role
    reason: str


def check_period_open(
    caller: Caller, period: Period, reason: str | None, today: date
) -> LateChange | None:
    """None while the period is open; once it has closed, only an approver may change its
    figures, and only with a reason (both go in the revision, and so the audit trail).

    >>> check_period_open(Caller(org_id=uuid.UUID(int=1), user_id="a"), Period.parse("2026-04"),
    ...                   None, date(2026, 5, 1)) is None
    True
    """
    closes = figures_close(period, caller.deadlines)
    if closes is None or today < closes:
        return None
    locked = f"{period.label} closed on {closes - timedelta(days=1):%-d %B %Y}"
    role = next((r for r in MANAGERS if r in caller.roles), None)
    if role is None:
        raise Forbidden(
            f"{locked}, so its figures are locked. Ask an approver (the programme office or a "
            "service lead) to change this figure."
        )
    if not (reason or "").strip():
        raise ValidationFailed(
            "The period is closed.",
            errors=[
                FieldError(
                    "reason", f"{locked}: give a reason for changing a figure after it closed"
                )
            ],
        )
    return LateChange(role, (reason or "").strip())
