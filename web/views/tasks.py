"""The "Your tasks" section of the dashboard: what is the person's to do, overdue first."""

from dataclasses import dataclass
from datetime import date

from web.clients.models import MyTasks


@dataclass(frozen=True)
class TaskRow:
    title: str
    link: str
    due: str
    """As people write it: "15 December 2026"."""
    overdue: bool


def task_rows(tasks: MyTasks) -> list[TaskRow]:
    """The API's items as the task list shows them (already ordered: overdue first)."""
    return [
        TaskRow(
            title=item.title,
            link=item.link,
            due=f"{date.fromisoformat(item.due):%-d %B %Y}",
            overdue=item.overdue,
        )
        for item in tasks.items
    ]
