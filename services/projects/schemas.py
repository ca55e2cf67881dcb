"""Field types and base shapes every sub-domain's API shapes (`<subdomain>/schemas.py`) use."""

from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
)

from common.periods import Frequency, MonthText, Period
from services.projects.portfolio.rules import parse_month


def _to_month(value: Any) -> Any:
    if isinstance(value, date):
        return value.replace(day=1)
    if isinstance(value, str):
        month = parse_month(value)
        if month is None:
            raise ValueError(f'"{value}" is not a month; write it like "2025-04"')
        return month
    return value


Month = Annotated[
    date,
    BeforeValidator(_to_month),
    PlainSerializer(lambda d: f"{d:%Y-%m}", return_type=str, when_used="json"),
    WithJsonSchema(
        {"type": "string", "pattern": r"^\d{4}-\d{2}$", "examples": ["2025-04"]},
    ),
]
"""A month ("2025-04"); also accepts "April 2025". Stored as its first day."""

NO_NUL = r"^[^\x00]*$"
"""A query-parameter pattern: PostgreSQL text cannot hold NUL, so it is refused as bad input."""

Text = Annotated[str, Field(max_length=4000)]
Name = Annotated[str, Field(min_length=1, max_length=300)]
Short = Annotated[str, Field(max_length=200)]
Score = Annotated[int, Field(ge=1, le=5)]


def _no_nul(value: Any) -> Any:
    # PostgreSQL text cannot hold NUL; refuse it as bad input rather than fail on saving.
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("Text cannot contain the NUL character")
    if isinstance(value, list):
        for item in value:
            _no_nul(item)
    return value


class Input(BaseModel):
    """An input shape: unknown fields refused, text trimmed and free of NUL."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _text_without_nul(cls, value: Any) -> Any:
        return _no_nul(value)


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _monthly_period(value: Any) -> Any:
    if isinstance(value, str):
        period = Period.parse(value)
        if period.frequency is not Frequency.MONTHLY:
            raise ValueError('Highlight reports are monthly; write the month like "2025-04"')
        return period.code
    return value


PeriodCode = Annotated[MonthText, BeforeValidator(_monthly_period)]
