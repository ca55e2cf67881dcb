"""Pure rules of project tasks: how far ahead a milestone or action becomes someone's task."""

from datetime import date, timedelta

LOOK_AHEAD = timedelta(days=30)
"""Milestones and improvement actions due within this many days are listed, and overdue ones."""


def in_view(due: date, today: date) -> bool:
    """Due within the look-ahead, or already overdue.

    >>> in_view(date(2026, 2, 1), date(2026, 1, 1)), in_view(date(2026, 2, 1), date(2025, 12, 1))
    (True, False)
    """
    return due <= today + LOOK_AHEAD
