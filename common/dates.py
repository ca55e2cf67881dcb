"""Dates people type into the plan: a pydantic type that refuses a year nobody means.

A date field given "15" for the year stores 0015-06-30 and breaks every chart that spans it, so
plan dates must fall in 2000 to 2100; the message names the range, next to the field.
"""

from datetime import date
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def in_plan_range(day: date) -> date:
    """The date itself if it is in 2000 to 2100, else a validation error.

    >>> in_plan_range(date(2025, 6, 30))
    datetime.date(2025, 6, 30)
    """
    if not EARLIEST <= day <= LATEST:
        raise PydanticCustomError(
            "date_out_of_range",
            "Enter a date between 2000 and 2100 (the year has four digits, like 2026)",
        )
    return day


PlanDate = Annotated[date, AfterValidator(in_plan_range)]
"""A date in the plan (a milestone, a review, a due date): 2000 to 2100."""
