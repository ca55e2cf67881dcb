"""A line's figures kept one per period: a budget line's forecasts and a savings line's returns
one a month, found by their month; its budgets and savings targets one a financial year.

    forecast = per_period.add_for_month(session, line.forecasts, Forecast(...), "a forecast")
    forecast = per_period.get_for_month(line.forecasts, month, "This budget line has no forecast")
    per_period.set_by_year(line, line.targets, SavingsTarget, data.targets, defaults_from={...})
"""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel
from sqlalchemy import func, inspect
from sqlalchemy.orm import Session

from common.errors import Conflict, NotFound


class ForMonth(Protocol):
    @property
    def month(self) -> date: ...


class ForYear(Protocol):
    @property
    def financial_year(self) -> str: ...


M = TypeVar("M", bound=ForMonth)
Y = TypeVar("Y", bound=ForYear)


def add_for_month(session: Session, rows: list[M], row: M, what: str) -> M:
    """Add `row` to the line's `rows` and flush; a 409 when its month has one already."""
    if any(r.month == row.month for r in rows):
        raise Conflict(f"{row.month:%B %Y} already has {what} for this line; change it instead.")
    rows.append(row)
    session.flush()
    return row


def get_for_month(rows: Iterable[M], month: date, missing: str) -> M:
    """The row for `month`, or a 404 saying "<missing> for <Month Year>"."""
    row = next((r for r in rows if r.month == month), None)
    if row is None:
        raise NotFound(f"{missing} for {month:%B %Y}.")
    return row


def set_by_year(
    line: Any,
    rows: list[Y],
    make: Callable[..., Y],
    given: Iterable[BaseModel] | None,
    *,
    defaults_from: dict[str, str],
) -> None:
    """Give each financial year that is `given` its values: on the line's row for that year, or
    on a new row made for it; years not given keep their rows, and nothing changes when `given`
    is None. A field left out (None) takes the value of the field `defaults_from` names for it.
    A line already saved gets a new version (its ETag), even when none of its own fields
    change."""
    if given is None:
        return
    by_year = {r.financial_year: r for r in rows}
    for item in given:
        values = item.model_dump()
        year = values.pop("financial_year")
        for field, source in defaults_from.items():
            if values[field] is None:
                values[field] = values[source]
        row = by_year.get(year)
        if row is None:
            rows.append(make(financial_year=year, **values))
        else:
            for field, value in values.items():
                setattr(row, field, value)
    if inspect(line).persistent:
        line.updated_at = func.now()  # a new version for the ETag
