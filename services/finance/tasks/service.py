"""Finance tasks of one person: the savings returns their team owes."""

from datetime import date
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.deadlines import savings_return_due
from common.identity import Caller
from common.periods import Period
from common.tasks import TaskItem
from services.finance.savings.models import SavingsEntry, SavingsLine
from services.finance.savings.schemas import Status

REPORTING = (Status.APPROVED, Status.IN_DELIVERY)
"""Savings lines whose owners send a monthly return."""


def tasks_for(session: Session, *, caller: Caller, today: date) -> list[TaskItem]:
    """Last month's savings return for each line the caller's team owns that has none yet."""
    if not caller.team:
        return []
    month = Period.month_of(today).previous()
    lines = list(
        session.scalars(
            select(SavingsLine)
            .where(SavingsLine.owner_team == caller.team, SavingsLine.status.in_(REPORTING))
            .order_by(SavingsLine.reference)
        )
    )
    returned = set(
        session.scalars(
            select(SavingsEntry.savings_line_id).where(
                SavingsEntry.savings_line_id.in_([line.id for line in lines]),
                SavingsEntry.month == month.start,
            )
        )
    )
    due = savings_return_due(month.start, caller.deadlines)
    link = "/savings/entry?" + urlencode({"month": month.code, "owner_team": caller.team})
    return [
        TaskItem.as_of(
            today,
            key=f"finance:savings:{line.id}:{month.code}",
            kind="savings_return",
            title=f"Savings return for {month.label}: {line.reference} {line.title}",
            due=due,
            link=link,
        )
        for line in lines
        if line.id not in returned
    ]
