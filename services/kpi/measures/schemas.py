"""API shapes of measures."""

import uuid
from decimal import Decimal

from pydantic import ConfigDict, Field

from common.periods import Frequency
from common.retiring import RetiredRead
from services.kpi.fields import FinancialYearText, Input, Number, PeriodText
from services.kpi.measures.rules import Polarity, ToleranceKind, Unit
from services.kpi.targets.rules import TargetKind, TargetType


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


class MeasureTarget(Input):
    """A target set with a new measure: the same fields as a target of its own."""

    financial_year: FinancialYearText = Field(examples=["2025/26"])
    value: Number = Field(description="The year's target (or, for a reduction, the amount).")
    kind: TargetKind = TargetKind.LEVEL
    profile: list[Number] | None = Field(default=None, max_length=12)
    note: str = Field(default="", max_length=2000)


class MeasureCreate(MeasureFields):
    code: str = Field(min_length=1, max_length=40, description="The council's short reference.")
    title: str = Field(min_length=1, max_length=500)
    targets: list[MeasureTarget] = Field(
        default_factory=list,
        max_length=10,
        description="Targets by financial year, set with the measure in one change.",
    )


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


class MeasureRead(RetiredRead):
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
