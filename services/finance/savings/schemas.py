"""API shapes of savings tracking."""

import uuid
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from common.money import Money
from common.retiring import RetiredRead
from services.finance.library.rules import Theme
from services.finance.savings.rules import Brag
from services.finance.schemas import (
    INPUT,
    MonthCode,
    MonthlyReturnIn,
    YearFiguresIn,
    YearFiguresRead,
    one_per_year,
)


class Category(StrEnum):
    CARE_PACKAGE_REVIEWS = "care_package_reviews"
    REABLEMENT = "reablement"
    PREVENTION = "prevention"
    DIRECT_PAYMENTS = "direct_payments"
    COMMISSIONING_AND_PROCUREMENT = "commissioning_and_procurement"
    FEES_AND_MARKET = "fees_and_market"
    INCOME_AND_CHARGING = "income_and_charging"
    STAFFING_AND_STRUCTURES = "staffing_and_structures"
    TECHNOLOGY_ENABLED_CARE = "technology_enabled_care"
    DEMAND_MANAGEMENT = "demand_management"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class SavingType(StrEnum):
    CASHABLE = "cashable"
    NON_CASHABLE = "non_cashable"
    COST_AVOIDANCE = "cost_avoidance"

    @property
    def label(self) -> str:
        return {"non_cashable": "Non-cashable"}.get(self.value) or self.value.replace(
            "_", " "
        ).capitalize()


class Recurrence(StrEnum):
    RECURRING = "recurring"
    ONE_OFF = "one_off"


class Confidence(StrEnum):
    """Delivery confidence as RAG."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Status(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    IN_DELIVERY = "in_delivery"
    DELIVERED = "delivered"
    WRITTEN_OFF = "written_off"


class TargetIn(YearFiguresIn):
    in_year: Money = Field(description="The saving to land in this financial year.")
    full_year_effect: Money | None = Field(
        default=None, description="The saving over a whole year; the in-year target if left out."
    )


def _distinct(ids: list[uuid.UUID] | None) -> list[uuid.UUID] | None:
    return list(dict.fromkeys(ids)) if ids is not None else None


class SavingsLineCreate(BaseModel):
    model_config = INPUT

    reference: str = Field(min_length=1, max_length=40, description='e.g. "ASC-SAV-01"')
    title: str = Field(min_length=1, max_length=500)
    description: str = Field(default="", max_length=8000)
    project_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=20, description="Projects in the projects service."
    )
    owner_team: str = Field(default="", max_length=200, description="The service lead team.")
    category: Category
    saving_type: SavingType = SavingType.CASHABLE
    recurrence: Recurrence = Recurrence.RECURRING
    delivery_confidence: Confidence = Confidence.AMBER
    status: Status = Status.PROPOSED
    written_off_reason: str = Field(default="", max_length=4000)
    mitigates_line_id: uuid.UUID | None = Field(
        default=None, description="The slipping savings line this one replaces or mitigates."
    )
    kpi_measure_id: uuid.UUID | None = Field(
        default=None, description="The KPI (a measure of the kpi service) the saving depends on."
    )
    theme: Theme | None = Field(
        default=None,
        description="The savings library's theme; left out, the one the line's words suggest.",
    )
    targets: list[TargetIn] = Field(default_factory=list)

    _years = field_validator("targets")(one_per_year)
    _ids = field_validator("project_ids")(_distinct)


class SavingsLineUpdate(BaseModel):
    """Fields sent replace those stored; `targets` sets the years it names and keeps the rest."""

    model_config = INPUT

    reference: str | None = Field(default=None, min_length=1, max_length=40)
    title: str | None = Field(default=None, min_length=1, max_length=500)
    description: str | None = Field(default=None, max_length=8000)
    project_ids: list[uuid.UUID] | None = Field(default=None, max_length=20)
    owner_team: str | None = Field(default=None, max_length=200)
    category: Category | None = None
    saving_type: SavingType | None = None
    recurrence: Recurrence | None = None
    delivery_confidence: Confidence | None = None
    status: Status | None = None
    written_off_reason: str | None = Field(default=None, max_length=4000)
    mitigates_line_id: uuid.UUID | None = None
    kpi_measure_id: uuid.UUID | None = None
    theme: Theme | None = Field(
        default=None,
        description="Confirm or change the savings library's theme; null goes back to the one "
        "the line's words suggest.",
    )
    targets: list[TargetIn] | None = None

    _years = field_validator("targets")(one_per_year)
    _ids = field_validator("project_ids")(_distinct)


class TargetRead(YearFiguresRead):
    in_year: Money
    full_year_effect: Money


class ActivityMeasureCreate(BaseModel):
    model_config = INPUT

    name: str = Field(min_length=1, max_length=500, description='e.g. "Care package reviews"')
    unit: str = Field(default="", max_length=80, description='e.g. "reviews"')
    planned: int = Field(ge=0, le=10_000_000, description="The volume planned, e.g. the cohort.")
    done: int = Field(default=0, ge=0, le=10_000_000)


class ActivityMeasureUpdate(BaseModel):
    model_config = INPUT

    name: str | None = Field(default=None, min_length=1, max_length=500)
    unit: str | None = Field(default=None, max_length=80)
    planned: int | None = Field(default=None, ge=0, le=10_000_000)
    done: int | None = Field(default=None, ge=0, le=10_000_000)


class ActivityMeasureRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    savings_line_id: uuid.UUID
    name: str
    unit: str
    planned: int
    done: int
    percent_done: str | None = Field(description='One decimal place, e.g. "11.9".')
    version: int


class YearProgress(BaseModel):
    """A line in one financial year: its target and its latest monthly return."""

    financial_year: str
    target: Money
    full_year_effect: Money
    achieved_to_date: Money | None
    forecast_for_year: Money | None
    slippage: Money | None
    latest_month: MonthCode | None
    latest_note: str = Field(description="The note of that latest return.")
    brag: Brag = Field(
        description="Blue delivered, Green on track, Amber at risk (amber confidence, or a "
        "forecast short of the target), Red undeliverable or written off."
    )
    brag_label: str = Field(description='e.g. "At risk (Amber)".')


class SavingsLineRead(RetiredRead):
    id: uuid.UUID
    reference: str
    title: str
    description: str
    project_ids: list[uuid.UUID]
    owner_team: str
    category: Category
    saving_type: SavingType
    recurrence: Recurrence
    delivery_confidence: Confidence
    status: Status
    written_off_reason: str
    mitigates_line_id: uuid.UUID | None
    kpi_measure_id: uuid.UUID | None
    mitigated_by: list[uuid.UUID] = Field(description="Lines that replace or mitigate this one.")
    theme: Theme = Field(description="The savings library's theme.")
    theme_label: str
    theme_confirmed: bool = Field(
        description="A person set or confirmed the theme; otherwise the line's words suggest it."
    )
    targets: list[TargetRead]
    activity_measures: list[ActivityMeasureRead]
    progress: list[YearProgress]
    version: int


class TrackerRow(SavingsLineRead):
    selected: YearProgress = Field(description="Progress in the financial year asked for.")


class ProgressFigures(BaseModel):
    """The figures that sum up the progress of some savings lines (rules.progress_totals)."""

    lines: int
    target: Money
    full_year_effect: Money
    achieved_to_date: Money
    forecast_for_year: Money
    slippage: Money
    lines_without_return: int


class _OfType(BaseModel):
    saving_type: SavingType
    label: str


# pydantic puts the fields of the last base first: the type, then its figures.
class TypeTotals(ProgressFigures, _OfType):
    """The totals of one type of saving."""


class TotalsRead(ProgressFigures):
    """`target` to `slippage` add every type together, cost avoidance included: quote the
    cashable figures of `by_type` as the savings."""

    by_type: list[TypeTotals] = Field(
        description="Cashable, non-cashable and cost avoidance, each on its own."
    )
    cashable_percent_delivered: str | None = Field(
        description='Cashable achieved to date as a % of the cashable target, e.g. "25.0".'
    )
    cashable_percent_forecast: str | None = Field(
        description="Cashable forecast for the year as a % of the cashable target."
    )
    brag: dict[str, int] = Field(description="How many lines are blue, green, amber and red.")


class TrackerPage(BaseModel):
    """One page of the savings tracker, with totals across every line the filters match."""

    items: list[TrackerRow]
    total: int
    limit: int
    offset: int
    financial_year: str
    totals: TotalsRead


class TotalsGroup(TotalsRead):
    key: str
    label: str


class SavingsTotals(BaseModel):
    financial_year: str | None
    by: str
    groups: list[TotalsGroup]
    overall: TotalsRead


Confirm = Annotated[
    bool,
    Field(
        description="Confirms a forecast more than double the line's target (a note must say why)."
    ),
]
"""A savings return's say-so for a forecast more than double the target: refused without it."""


class EntryCreate(MonthlyReturnIn):
    achieved_to_date: Money
    forecast_for_year: Money
    note: str = Field(default="", max_length=4000)
    confirm: Confirm = False


class EntryUpdate(BaseModel):
    model_config = INPUT

    achieved_to_date: Money | None = None
    forecast_for_year: Money | None = None
    note: str | None = Field(default=None, max_length=4000)
    confirm: Confirm = False


class EntryRead(BaseModel):
    id: uuid.UUID = Field(description="The return's id: its changes in the audit trail name it.")
    month: MonthCode
    financial_year: str
    achieved_to_date: Money
    forecast_for_year: Money
    target: Money | None
    slippage: Money | None
    note: str
    version: int


class SavingsMonth(BaseModel):
    """One month of the year: the totals of every line's latest return by then."""

    month: MonthCode
    achieved_to_date: Money | None = Field(description="None: no line has a return by then.")
    forecast_for_year: Money | None
    lines_with_return: int


class SavingsTrend(BaseModel):
    """One type of saving month by month through a financial year, against its target."""

    financial_year: str
    saving_type: SavingType
    lines: int
    target: Money = Field(description="The in-year target of every line of the type.")
    months: list[SavingsMonth] = Field(
        description="April to March; months after the latest return have no figures."
    )
