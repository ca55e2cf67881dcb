"""Field types and the base input shape every sub-domain's API shapes use: exact figures read
as councils write them, financial years and periods."""

import uuid
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, WithJsonSchema

from common import periods
from common.periods import FinancialYear, Period
from common.quantities import read_amount

_SIX_PLACES = Decimal("0.000001")


def to_number(value: Any) -> Decimal:
    """Read a figure from JSON, a form or a table: numbers, or text as `common.quantities` reads
    it ("1,102", "19%", "(4.2)", "110k", "£2.45 million")."""
    if isinstance(value, bool):
        raise ValueError("Enter a number, not true or false")
    if isinstance(value, Decimal) and value.is_finite() and value == value.quantize(_SIX_PLACES):
        return value  # from the database: already exact
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, int | Decimal):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("Enter a number, like 12 or 12.5")
    try:
        number = read_amount(value) if value.strip() else Decimal("NaN")
    except ValueError:
        number = Decimal("NaN")
    if not number.is_finite():  # also "nan" and "infinity", which Decimal would accept
        raise ValueError(f'"{value.strip()}" is not a number: enter a number, like 12.5')
    if abs(number) >= Decimal(10) ** 14:
        raise ValueError("That number is too big")
    if number != number.quantize(Decimal("0.000001")):
        raise ValueError("Use no more than 6 decimal places")
    return number


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


Number = Annotated[
    Decimal,
    BeforeValidator(to_number),
    PlainSerializer(_plain, return_type=str, when_used="json"),
    WithJsonSchema(
        {"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "examples": ["78.5"]},
        mode="serialization",
    ),
]
"""An exact decimal figure; sent as a string so no digits are lost."""


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _financial_year(value: str) -> str:
    return FinancialYear.parse(value).label


def _period_code(value: str | None) -> str | None:
    return None if value is None else Period.parse(value).code


FinancialYearText = Annotated[
    periods.FinancialYearText,
    BeforeValidator(lambda v: _financial_year(v) if isinstance(v, str) else v),
]
"""A financial year, normalised to "2025/26"."""
PeriodText = Annotated[
    periods.PeriodText, BeforeValidator(lambda v: _period_code(v) if isinstance(v, str) else v)
]
"""A period code, normalised ("2025/26 q1" is "2025/26 Q1")."""


class MeasureYearRead(BaseModel):
    """What a measure's record for one financial year (a target, a benchmark) begins with."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    measure_id: uuid.UUID
    financial_year: str
