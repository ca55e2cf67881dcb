"""A line's figures one per period (`common.per_period`) and the shared query steps
(`common.queries`), without a database: what they find, refuse and filter."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from common import per_period, queries
from common.errors import NotFound
from services.finance.budgets.models import BudgetAmount, BudgetLine
from services.finance.budgets.schemas import BudgetAmountIn
from services.kpi.populations.models import Population


@dataclass
class Return:
    month: date
    figure: int


def test_the_row_for_a_month_is_found_and_a_missing_month_is_named() -> None:
    rows = [Return(date(2025, 4, 1), 1), Return(date(2025, 5, 1), 2)]
    assert per_period.get_for_month(rows, date(2025, 5, 1), "No return").figure == 2
    with pytest.raises(NotFound, match=r"^This line has no return for June 2025\.$"):
        per_period.get_for_month(rows, date(2025, 6, 1), "This line has no return")


def test_years_given_are_set_or_added_and_the_others_kept() -> None:
    line = BudgetLine(name="Learning Disabilities")
    kept = BudgetAmount(
        financial_year="2024/25", original_budget=Decimal(5), current_budget=Decimal(6)
    )
    changed = BudgetAmount(
        financial_year="2025/26", original_budget=Decimal(1), current_budget=Decimal(1)
    )
    line.amounts = [kept, changed]
    given = [
        BudgetAmountIn(financial_year="2025/26", original_budget="£20", current_budget="£30"),
        BudgetAmountIn(financial_year="2026/27", original_budget="£40"),
    ]
    per_period.set_by_year(
        line, line.amounts, BudgetAmount, given, defaults_from={"current_budget": "original_budget"}
    )
    years = {a.financial_year: (a.original_budget, a.current_budget) for a in line.amounts}
    assert years == {
        "2024/25": (Decimal(5), Decimal(6)),
        "2025/26": (Decimal(20), Decimal(30)),
        "2026/27": (Decimal(40), Decimal(40)),  # the current budget defaults to the original
    }
    assert line.amounts[1] is changed
    assert "updated_at" not in vars(line)  # a line not saved yet has no version to move on


def test_no_years_given_changes_nothing() -> None:
    line = BudgetLine(name="Older People")
    line.amounts = []
    per_period.set_by_year(line, line.amounts, BudgetAmount, None, defaults_from={})
    assert line.amounts == []


def test_only_the_filters_given_narrow_a_list() -> None:
    statement = queries.where_given(
        select(Population),
        (Population.area, "Barnsley"),
        (Population.age_band, None),
        (Population.financial_year, ""),
    )
    where = str(statement.whereclause)
    assert "area" in where
    assert "age_band" not in where
    assert "financial_year" not in where
    assert queries.where_given(select(Population)).whereclause is None
