"""API shapes of the KPI service."""

import uuid
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

from common.periods import FinancialYear, Frequency, Period
from services.kpi.rules import (
    Direction,
    Polarity,
    Rag,
    TargetKind,
    TargetType,
    ToleranceKind,
    Unit,
)

_SIX_PLACES = Decimal("0.000001")


def to_number(value: Any) -> Decimal:
    """Read a figure from JSON or a form: numbers, or text like "1,102" or "19%"."""
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
    text = value.strip().replace(",", "").removesuffix("%").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
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
    str, BeforeValidator(lambda v: _financial_year(v) if isinstance(v, str) else v)
]
PeriodText = Annotated[str, BeforeValidator(lambda v: _period_code(v) if isinstance(v, str) else v)]


# Measures ---------------------------------------------------------------------------------------


class MeasureFields(Input):
    definition: str = Field(default="", max_length=4000)
    numerator_definition: str = Field(default="", max_length=2000)
    denominator_definition: str = Field(default="", max_length=2000)
    unit: Unit = Unit.COUNT
    decimal_places: int = Field(default=0, ge=0, le=6)
    polarity: Polarity = Polarity.BIGGER_IS_BETTER
    frequency: Frequency = Frequency.MONTHLY
    target_type: TargetType = TargetType.FLAT
    council_plan: bool = False
    data_provider: str = Field(default="", max_length=200)
    service_area: str = Field(default="", max_length=200)
    national_reference: str = Field(
        default="", max_length=100, description="e.g. an ASCOF measure id"
    )
    baseline_value: Number | None = None
    baseline_period: PeriodText | None = None
    tolerance_kind: ToleranceKind = ToleranceKind.PERCENT
    tolerance: Number = Field(
        default=Decimal(5),
        ge=0,
        description="How far a figure may miss its target and still be Amber rather than Red.",
    )
    population_area: str | None = Field(default=None, max_length=200)
    population_age_band: str | None = Field(default=None, max_length=40)
    active: bool = True


class MeasureCreate(MeasureFields):
    code: str = Field(min_length=1, max_length=40, description="The council's short reference.")
    title: str = Field(min_length=1, max_length=500)


class MeasureUpdate(Input):
    code: str | None = Field(default=None, min_length=1, max_length=40)
    title: str | None = Field(default=None, min_length=1, max_length=500)
    definition: str | None = Field(default=None, max_length=4000)
    numerator_definition: str | None = Field(default=None, max_length=2000)
    denominator_definition: str | None = Field(default=None, max_length=2000)
    unit: Unit | None = None
    decimal_places: int | None = Field(default=None, ge=0, le=6)
    polarity: Polarity | None = None
    frequency: Frequency | None = None
    target_type: TargetType | None = None
    council_plan: bool | None = None
    data_provider: str | None = Field(default=None, max_length=200)
    service_area: str | None = Field(default=None, max_length=200)
    national_reference: str | None = Field(default=None, max_length=100)
    baseline_value: Number | None = None
    baseline_period: PeriodText | None = None
    tolerance_kind: ToleranceKind | None = None
    tolerance: Number | None = Field(default=None, ge=0)
    population_area: str | None = Field(default=None, max_length=200)
    population_age_band: str | None = Field(default=None, max_length=40)
    active: bool | None = None


class MeasureRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    title: str
    definition: str
    numerator_definition: str
    denominator_definition: str
    unit: Unit
    decimal_places: int
    polarity: Polarity
    frequency: Frequency
    target_type: TargetType
    council_plan: bool
    data_provider: str
    service_area: str
    national_reference: str
    baseline_value: Number | None
    baseline_period: str | None
    tolerance_kind: ToleranceKind
    tolerance: Number
    population_area: str | None
    population_age_band: str | None
    active: bool
    version: int


# Targets ----------------------------------------------------------------------------------------


class TargetCreate(Input):
    measure_id: uuid.UUID
    financial_year: FinancialYearText = Field(examples=["2025/26"])
    value: Number = Field(description="The year's target (or, for a reduction, the amount).")
    kind: TargetKind = TargetKind.LEVEL
    profile: list[Number] | None = Field(
        default=None,
        max_length=12,
        description="One target per period of the year, for seasonal targets.",
    )
    note: str = Field(default="", max_length=2000, description="What the council wrote.")


class TargetUpdate(Input):
    value: Number | None = None
    kind: TargetKind | None = None
    profile: list[Number] | None = Field(default=None, max_length=12)
    note: str | None = Field(default=None, max_length=2000)


class TargetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    measure_id: uuid.UUID
    financial_year: str
    value: Number
    kind: TargetKind
    profile: list[Number] | None
    note: str
    version: int


# Actuals ----------------------------------------------------------------------------------------


class ActualFigures(Input):
    value: Number | None = Field(default=None, description="The figure, or leave it out and…")
    numerator: Number | None = Field(default=None, description="…send what it is made of.")
    denominator: Number | None = None
    commentary: str = Field(default="", max_length=4000)


class ActualCreate(ActualFigures):
    measure_id: uuid.UUID
    period: str = Field(
        max_length=20, description='A month "2025-04", quarter "2025/26 Q1" or year "2025/26".'
    )


class ActualUpdate(Input):
    value: Number | None = None
    numerator: Number | None = None
    denominator: Number | None = None
    commentary: str | None = Field(default=None, max_length=4000)


class ActualReturn(Input):
    reason: str = Field(min_length=1, max_length=2000, description="What to change, and why.")


class ActualRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    measure_id: uuid.UUID
    period: str
    status: str
    value: Number
    numerator: Number | None
    denominator: Number | None
    commentary: str
    return_reason: str
    approved_value: Number | None = Field(description="The figure reported: latest approved.")
    approved_revision: int | None
    version: int


class RevisionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    action: str
    status: str
    value: Number
    numerator: Number | None
    denominator: Number | None
    commentary: str
    reason: str
    changed_by: str
    created_at: datetime


class BulkRow(ActualFigures):
    measure_id: uuid.UUID | None = None
    measure_code: str | None = Field(default=None, max_length=40)
    period: str = Field(max_length=20)
    version: int | None = Field(
        default=None,
        ge=1,
        le=2_000_000_000,
        description="To correct an existing actual: the version you read.",
    )


class BulkRequest(Input):
    rows: list[BulkRow] = Field(max_length=5000)
    submit: bool = Field(default=False, description="Submit every row for approval.")


class BulkResult(BaseModel):
    created: int
    updated: int
    actuals: list[ActualRead]


# Populations and benchmarks --------------------------------------------------------------------


class PopulationCreate(Input):
    area: str = Field(min_length=1, max_length=200)
    age_band: str = Field(min_length=1, max_length=40, examples=["65+", "all ages"])
    financial_year: FinancialYearText
    population: int = Field(gt=0, le=2_000_000_000)
    source: str = Field(default="", max_length=1000)


class PopulationUpdate(Input):
    population: int | None = Field(default=None, gt=0, le=2_000_000_000)
    source: str | None = Field(default=None, max_length=1000)


class PopulationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    area: str
    age_band: str
    financial_year: str
    population: int
    source: str
    version: int


class BenchmarkCreate(Input):
    measure_id: uuid.UUID
    financial_year: FinancialYearText
    comparator: str = Field(
        min_length=1, max_length=40, examples=["national", "regional", "nearest neighbours"]
    )
    value: Number
    source: str = Field(default="", max_length=1000)


class BenchmarkUpdate(Input):
    value: Number | None = None
    source: str | None = Field(default=None, max_length=1000)


class BenchmarkRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    measure_id: uuid.UUID
    financial_year: str
    comparator: str
    value: Number
    source: str
    version: int


# Reporting --------------------------------------------------------------------------------------


class Status(BaseModel):
    """A measure in one period: what was compared, and what it says."""

    period: str
    label: str
    target: Number | None
    actual: Number | None = Field(description="The figure judged: year to date when cumulative.")
    period_actual: Number | None = Field(description="The period's own reported figure.")
    rag: Rag
    direction_previous: Direction
    direction_last_year: Direction


class ScorecardRow(Status):
    measure: MeasureRead
    trend: list[Number | None]
    trend_periods: list[str]
    entry: ActualRead | None = Field(description="The period's actual in any state, if any.")


class Scorecard(BaseModel):
    period: str
    items: list[ScorecardRow]
    total: int
    limit: int
    offset: int
    counts: dict[str, int]


class SeriesPoint(Status):
    status: str | None
    commentary: str


class Series(BaseModel):
    measure: MeasureRead
    points: list[SeriesPoint]
    targets: list[TargetRead]
    benchmarks: list[BenchmarkRead]
