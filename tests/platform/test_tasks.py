"""A task item's overdue flag: worked out once, from its due date and the day it is read."""

from datetime import date

import pytest

from common.tasks import TaskItem


@pytest.mark.parametrize(
    ("today", "overdue"),
    [(date(2026, 5, 14), False), (date(2026, 5, 15), False), (date(2026, 5, 16), True)],
)
def test_a_task_is_overdue_from_the_day_after_its_due_date(today: date, overdue: bool) -> None:
    item = TaskItem.as_of(
        today, key="kpi:figure:x", kind="figure", title="Enter", due=date(2026, 5, 15), link="/"
    )
    assert item.overdue is overdue
    assert item.due == date(2026, 5, 15)
