"""Retiring a record instead of removing it: the same state and the same two operations for every
kind of record that can leave the plan (a priority, a KPI, a budget line…).

A retired record keeps its history and everything the audit trail says about it; lists and
trackers leave it out unless asked (`include_retired=true`), and `POST …/{id}/retire` and
`POST …/{id}/restore` (with If-Match, declared by `common.routes.Retire`) move it out of the plan
and back.

    statement = retiring.in_use(select(Priority), Priority, include_retired)
"""

from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from fastapi import Query
from pydantic import BaseModel, computed_field
from sqlalchemy import DateTime, Select
from sqlalchemy.orm import Mapped, mapped_column

S = TypeVar("S", bound=Select[Any])

IncludeRetired = Annotated[
    bool, Query(description="Also list retired records (left out unless true).")
]


class RetiredMixin:
    """`retired_at` is when the record left the plan; None while it is in use."""

    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


class RetiredRead(BaseModel):
    """What every retirable record's read shape says about it."""

    retired_at: datetime | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def retired(self) -> bool:
        """True once the record has left the plan: shown as "Retired"."""
        return self.retired_at is not None


def in_use(statement: S, model: Any, include_retired: bool) -> S:
    """`statement` without retired rows, unless they are asked for."""
    if include_retired:
        return statement
    return statement.where(model.retired_at.is_(None))


def set_retired(row: Any, retired: bool) -> None:
    """Retire `row` (keeping the first time it was retired) or bring it back."""
    if retired and row.retired_at is None:
        row.retired_at = datetime.now(UTC)
    elif not retired:
        row.retired_at = None
