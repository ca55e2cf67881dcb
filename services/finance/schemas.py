"""API field types budgets, savings and imports share: financial years and months as
councils write them, and the query parameters that name them."""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

from common.errors import FieldError, ValidationFailed
from common.periods import FINANCIAL_YEAR_PATTERN, MONTH_PATTERN, FinancialYear, Frequency, Period

T = TypeVar("T")

INPUT = ConfigDict(extra="forbid", str_strip_whitespace=True)
"""The `model_config` of every input shape: an unknown field is refused, text is trimmed."""


def to_financial_year(value: Any) -> str:
    """ "2025/26" or "25/26" → "2025/26"; anything else is refused with the reason."""
    if not isinstance(value, str):
        raise ValueError('a financial year is written like "2025/26"')
    return FinancialYear.parse(value).label


def to_month(value: Any) -> date:
    """ "2025-09" → 1 September 2025 (a date arrives as itself, moved to the 1st)."""
    if isinstance(value, date):
        return value.replace(day=1)
    if not isinstance(value, str):
        raise ValueError('a month is written like "2025-09"')
    try:
        period = Period.parse(value)
    except ValueError:
        raise ValueError(f'"{value}" is not a month; write it like "2025-09"') from None
    if period.frequency is not Frequency.MONTHLY:
        raise ValueError(f'"{value}" is not a month; write it like "2025-09"')
    return period.start


def _query(value: str | None, read: Callable[[str], T], name: str) -> T | None:
    """The query parameter `name` as `read` reads it; None when left out or empty; else a 422
    naming it."""
    if not value:
        return None
    try:
        return read(value)
    except ValueError as error:
        raise ValidationFailed(str(error), errors=[FieldError(name, str(error))]) from None


def month_query(value: str | None) -> date | None:
    """A month query parameter ("2025-09"); None when left out or empty; else a 422 naming it."""
    return _query(value, to_month, "month")


def year_query(value: str | None) -> str | None:
    """A financial year query parameter ("2025/26"); None when left out or empty; else a 422."""
    return _query(value, to_financial_year, "financial_year")


def month_code(month: date) -> str:
    return f"{month:%Y-%m}"


FinancialYearCode = Annotated[
    str,
    BeforeValidator(to_financial_year),
    WithJsonSchema({"type": "string", "pattern": FINANCIAL_YEAR_PATTERN, "examples": ["2025/26"]}),
]
"""A financial year, April to March, normalised to "2025/26"."""

MonthCode = Annotated[
    date,
    BeforeValidator(to_month),
    PlainSerializer(month_code, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": MONTH_PATTERN, "examples": ["2025-09"]}),
]
"""A calendar month, "2025-09", held as its first day."""


def financial_year_of(month: date) -> str:
    return FinancialYear.containing(month).label


class YearFiguresIn(BaseModel):
    """What a line's figures for one financial year (a budget's amounts, a savings target) begin
    with: the year they are for."""

    model_config = INPUT

    financial_year: FinancialYearCode


class YearFiguresRead(BaseModel):
    """What a line's figures for one financial year read back with: the year they are for."""

    model_config = ConfigDict(from_attributes=True)

    financial_year: str


Y = TypeVar("Y", bound=YearFiguresIn)


def one_per_year(items: list[Y] | None) -> list[Y] | None:
    """A validator of a list of a line's yearly figures: each financial year is given once."""
    if items is not None:
        years = [item.financial_year for item in items]
        if len(set(years)) != len(years):
            raise ValueError("give each financial year once")
    return items


class MonthlyReturnIn(BaseModel):
    """What a new monthly return of a line (a budget forecast, a savings return) begins with:
    its month, and the financial year it must fall inside when one is named."""

    model_config = INPUT

    month: MonthCode
    financial_year: FinancialYearCode | None = Field(
        default=None, description="When given, the month must fall inside it."
    )
