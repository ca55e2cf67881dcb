"""Pure rules of highlight reports (no I/O, unit-tested)."""

from datetime import date

from common.errors import FieldError
from common.periods import Period


def period_errors(period: str, today: date) -> list[FieldError]:
    """A report tells what happened, so its month must have begun.

    >>> period_errors("2025-06", today=date(2025, 5, 31))[0]["message"]
    'You cannot report on June 2025 yet: it has not begun'
    >>> period_errors("2025-05", today=date(2025, 5, 1))
    []
    """
    month = Period.parse(period)
    if month.is_future(today):
        return [FieldError("period", f"You cannot report on {month.label} yet: it has not begun")]
    return []
