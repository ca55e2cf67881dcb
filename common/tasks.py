"""A person's tasks: what is theirs to do, when it is due, and where the form that clears it is.

Each service answers for its own items (`GET /tasks` on each); the gateway combines them into
`GET /api/v1/me/tasks`, and the reminders command mails them.
"""

from datetime import date
from typing import Self, TypeVar

from pydantic import BaseModel, Field


class TaskItem(BaseModel):
    """One thing a person has to do."""

    key: str = Field(description="Stable for the same task on every read, e.g. `kpi:actual:…`.")
    kind: str = Field(description="What sort of task: figures, approval, savings_return, ….")
    title: str
    due: date
    overdue: bool = Field(description="Its due date has passed.")
    link: str = Field(description="The page (on this site) with the form that clears it.")

    @classmethod
    def as_of(cls, today: date, *, key: str, kind: str, title: str, due: date, link: str) -> Self:
        """The task as it stands on `today`: overdue once its due date has passed."""
        return cls(key=key, kind=kind, title=title, due=due, overdue=due < today, link=link)


T = TypeVar("T", bound=TaskItem)


def ordered(items: list[T]) -> list[T]:
    """Overdue first, then soonest due, then by title."""
    return sorted(items, key=lambda item: (not item.overdue, item.due, item.title))


class OverdueItem(TaskItem):
    """Something past its due date in the council, and whom it is waiting on."""

    owner: str = Field(description="The team (or person) it is waiting on; empty when none.")
