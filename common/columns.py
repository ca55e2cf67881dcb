"""Columns, keys and relationships that the services' tables declare alike, written once.

SQLAlchemy reads a whole column from an `Annotated` type, so `id: Mapped[Id]` is the column and
`Mapped[Money | None]` its nullable kind. A row that belongs to another row of its council (a
budget line's forecasts, a measure's targets, a project's milestones) takes its keys from
`belongs_to`, and the parent that owns such rows loads them with `owned_rows`.
"""

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import Constraint, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Relationship, mapped_column, relationship

from common.db import ORG_ID, council_foreign_key

Id = Annotated[uuid.UUID, mapped_column(primary_key=True, default=uuid.uuid4)]
"""A row's id: a random UUID, unique on its own (a tenant table keys it with `org_id`)."""

MONEY = Numeric(14, 2)
"""Pounds and pence, exact, up to £999,999,999,999.99."""

Money = Annotated[Decimal, mapped_column(MONEY)]
"""An amount of money (`MONEY`)."""

FinancialYearText = Annotated[str, mapped_column(String(7))]
"""A financial year as it is written: "2025/26" (common/periods.py reads it)."""


def belongs_to(
    parent_key: str, parent: str, *, one_per: Sequence[str] = ()
) -> tuple[Constraint, ...]:
    """The `__table_args__` of a row of `parent` (its id in `parent_key`): the parent is of the
    same council and takes the row with it when it goes; with `one_per`, a parent has at most one
    row for each value of those columns.

    >>> # belongs_to("budget_line_id", "finance.budget_lines", one_per=["financial_year"])
    """
    keys: tuple[Constraint, ...] = (council_foreign_key(parent_key, parent, ondelete="CASCADE"),)
    if one_per:
        keys = (UniqueConstraint(ORG_ID, parent_key, *one_per), *keys)
    return keys


def owned_rows(order_by: str, *, back_populates: str = "line") -> Relationship[Any]:
    """A parent's rows (`belongs_to`), loaded with it in `order_by` order, saved with it and
    deleted with it or when they leave it."""
    return relationship(
        back_populates=back_populates,
        cascade="all, delete-orphan",
        order_by=order_by,
        lazy="selectin",
    )
