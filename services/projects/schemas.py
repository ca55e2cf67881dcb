"""API shapes of the projects service. Derived values appear only in `...Read` shapes."""

import uuid
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

from common.money import Money
from common.periods import Frequency, Period
from services.projects.parsing import BudgetBasis, parse_month
from services.projects.rules import (
    ActionStatus,
    MilestoneStatus,
    Rag,
    RaidKind,
    RaidStatus,
    Stage,
)


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


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _text_without_nul(cls, value: Any) -> Any:
        return _no_nul(value)


class _Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# Priorities ------------------------------------------------------------------------------------


class PriorityCreate(_Input):
    title: str = Field(min_length=1, max_length=500)
    position: int = Field(default=0, ge=0, le=1000)


class PriorityUpdate(_Input):
    title: str | None = Field(default=None, min_length=1, max_length=500)
    position: int | None = Field(default=None, ge=0, le=1000)


class PriorityRead(_Read):
    id: uuid.UUID
    title: str
    position: int
    version: int


# Objectives ------------------------------------------------------------------------------------


class ObjectiveCreate(_Input):
    number: int = Field(ge=1, le=1000, description="The objective's number in the plan.")
    statement: str = Field(min_length=1, max_length=4000)
    council_plan: bool = Field(default=False, description="Is it a Council Plan objective?")
    priority_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    kpi_measure_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=50, description="Ids of measures in the KPI service."
    )
    owner: Short = ""


class ObjectiveUpdate(_Input):
    number: int | None = Field(default=None, ge=1, le=1000)
    statement: str | None = Field(default=None, min_length=1, max_length=4000)
    council_plan: bool | None = None
    priority_ids: list[uuid.UUID] | None = Field(default=None, max_length=50)
    kpi_measure_ids: list[uuid.UUID] | None = Field(default=None, max_length=50)
    owner: Short | None = None


class ObjectiveRead(_Read):
    id: uuid.UUID
    number: int
    statement: str
    council_plan: bool
    priority_ids: list[uuid.UUID]
    kpi_measure_ids: list[uuid.UUID]
    owner: str
    version: int


# Programmes ------------------------------------------------------------------------------------


class ProgrammeCreate(_Input):
    name: Name
    description: Text = ""
    parent_id: uuid.UUID | None = Field(
        default=None, description="The programme this is a workstream of."
    )


class ProgrammeUpdate(_Input):
    name: Name | None = None
    description: Text | None = None
    parent_id: uuid.UUID | None = None


class ProgrammeRead(_Read):
    id: uuid.UUID
    name: str
    description: str
    parent_id: uuid.UUID | None
    version: int


# Projects --------------------------------------------------------------------------------------


class ProjectCreate(_Input):
    name: Name
    description: Text = Field(default="", description="What it will deliver and its benefits.")
    programme_id: uuid.UUID | None = None
    start_month: Month | None = None
    start_text: Short = Field(
        default="", description='The council\'s wording, e.g. "Started in 2024".'
    )
    end_month: Month | None = None
    end_text: Short = ""
    budget_amount: Money | None = None
    budget_basis: BudgetBasis | None = None
    funding_source: Short | None = None
    budget_text: Short = Field(default="", description='The council\'s wording, e.g. "TBC".')
    resources: list[Short] = Field(default_factory=list, max_length=50)
    objective_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    council_plan: bool = False
    lead_team: Short = ""
    stage: Stage = Stage.PROPOSED
    rag: Rag | None = None
    rag_reason: Text = ""
    schedule_rag: Rag | None = None
    schedule_rag_reason: Text = ""
    cost_rag: Rag | None = None
    cost_rag_reason: Text = ""
    scope_rag: Rag | None = None
    scope_rag_reason: Text = ""


class ProjectUpdate(_Input):
    name: Name | None = None
    description: Text | None = None
    programme_id: uuid.UUID | None = None
    start_month: Month | None = None
    start_text: Short | None = None
    end_month: Month | None = None
    end_text: Short | None = None
    budget_amount: Money | None = None
    budget_basis: BudgetBasis | None = None
    funding_source: Short | None = None
    budget_text: Short | None = None
    resources: list[Short] | None = Field(default=None, max_length=50)
    objective_ids: list[uuid.UUID] | None = Field(default=None, max_length=50)
    council_plan: bool | None = None
    lead_team: Short | None = None
    stage: Stage | None = None
    rag: Rag | None = None
    rag_reason: Text | None = None
    schedule_rag: Rag | None = None
    schedule_rag_reason: Text | None = None
    cost_rag: Rag | None = None
    cost_rag_reason: Text | None = None
    scope_rag: Rag | None = None
    scope_rag_reason: Text | None = None


class NextMilestone(BaseModel):
    id: uuid.UUID
    title: str
    due_date: date
    overdue: bool


class ProjectRead(_Read):
    id: uuid.UUID
    name: str
    description: str
    programme_id: uuid.UUID | None
    start_month: Month | None
    start_text: str
    end_month: Month | None
    end_text: str
    budget_amount: Money | None
    budget_basis: BudgetBasis | None
    funding_source: str | None
    budget_text: str
    resources: list[str]
    objective_ids: list[uuid.UUID]
    council_plan: bool
    lead_team: str
    stage: Stage
    rag: Rag | None
    rag_reason: str
    schedule_rag: Rag | None
    schedule_rag_reason: str
    cost_rag: Rag | None
    cost_rag_reason: str
    scope_rag: Rag | None
    scope_rag_reason: str
    version: int
    next_milestone: NextMilestone | None = Field(
        default=None, description="Derived: the unfinished milestone expected soonest."
    )
    slippage_days: int | None = Field(
        default=None, description="Derived: the greatest slippage of its milestones, in days."
    )


# Milestones ------------------------------------------------------------------------------------


class MilestoneCreate(_Input):
    project_id: uuid.UUID
    title: Name
    baseline_date: date
    forecast_date: date | None = None
    actual_date: date | None = Field(
        default=None, description="When it was completed; sets the status to completed."
    )
    status: MilestoneStatus | None = Field(
        default=None, description="Defaults to completed with an actual date, else not started."
    )


class MilestoneUpdate(_Input):
    title: Name | None = None
    baseline_date: date | None = None
    forecast_date: date | None = None
    actual_date: date | None = None
    status: MilestoneStatus | None = None


class MilestoneRead(_Read):
    id: uuid.UUID
    project_id: uuid.UUID
    title: str
    baseline_date: date
    forecast_date: date | None
    actual_date: date | None
    status: MilestoneStatus
    version: int
    due_date: date = Field(description="Derived: the forecast date, else the baseline.")
    slippage_days: int = Field(description="Derived: days late against the baseline.")
    overdue: bool = Field(description="Derived: unfinished and its due date has passed.")


class Timeline(BaseModel):
    project_id: uuid.UUID
    project_name: str
    start_month: Month | None
    end_month: Month | None
    milestones: list[MilestoneRead]


# Highlight reports -----------------------------------------------------------------------------


def _monthly_period(value: Any) -> Any:
    if isinstance(value, str):
        period = Period.parse(value)
        if period.frequency is not Frequency.MONTHLY:
            raise ValueError('Highlight reports are monthly; write the month like "2025-04"')
        return period.code
    return value


PeriodCode = Annotated[str, BeforeValidator(_monthly_period)]


class HighlightReportCreate(_Input):
    project_id: uuid.UUID
    period: PeriodCode = Field(description='The reporting month, e.g. "2025-04".')
    rag: Rag
    summary: str = Field(min_length=1, max_length=4000)
    achievements: Text = ""
    next_steps: Text = ""
    issues: Text = ""
    decisions_needed: Text = ""
    author: Short | None = Field(default=None, description="Defaults to the signed-in person.")


class HighlightReportUpdate(_Input):
    rag: Rag | None = None
    summary: str | None = Field(default=None, min_length=1, max_length=4000)
    achievements: Text | None = None
    next_steps: Text | None = None
    issues: Text | None = None
    decisions_needed: Text | None = None
    author: Short | None = None


class HighlightReportRead(_Read):
    id: uuid.UUID
    project_id: uuid.UUID
    period: str
    period_start: date
    rag: Rag
    summary: str
    achievements: str
    next_steps: str
    issues: str
    decisions_needed: str
    author: str
    version: int


# RAID ------------------------------------------------------------------------------------------


class RaidItemCreate(_Input):
    project_id: uuid.UUID
    kind: RaidKind
    title: Name
    description: Text = ""
    likelihood: Score
    impact: Score
    owner: Short = ""
    mitigation: Text = ""
    status: RaidStatus = RaidStatus.OPEN
    review_date: date | None = None


class RaidItemUpdate(_Input):
    kind: RaidKind | None = None
    title: Name | None = None
    description: Text | None = None
    likelihood: Score | None = None
    impact: Score | None = None
    owner: Short | None = None
    mitigation: Text | None = None
    status: RaidStatus | None = None
    review_date: date | None = None


class RaidItemRead(_Read):
    id: uuid.UUID
    project_id: uuid.UUID
    kind: RaidKind
    title: str
    description: str
    likelihood: int
    impact: int
    owner: str
    mitigation: str
    status: RaidStatus
    review_date: date | None
    version: int
    score: int = Field(description="Derived: likelihood times impact.")
    severity: Rag = Field(description="Derived: red 15+, amber 8 to 14, green below 8.")


# Improvement plan ------------------------------------------------------------------------------


class ImprovementActionCreate(_Input):
    action: str = Field(min_length=1, max_length=4000)
    area: str = Field(
        min_length=1, max_length=200, description='e.g. "Strategic decisions", "Quality assurance".'
    )
    owner: Short = ""
    due_date: date | None = None
    status: ActionStatus = ActionStatus.NOT_STARTED


class ImprovementActionUpdate(_Input):
    action: str | None = Field(default=None, min_length=1, max_length=4000)
    area: str | None = Field(default=None, min_length=1, max_length=200)
    owner: Short | None = None
    due_date: date | None = None
    status: ActionStatus | None = None


class ImprovementActionRead(_Read):
    id: uuid.UUID
    action: str
    area: str
    owner: str
    due_date: date | None
    status: ActionStatus
    version: int
    open: bool = Field(description="Derived: not yet completed.")


class AreaSummary(BaseModel):
    area: str
    open: int
    closed: int
    total: int


class ImprovementPlanSummary(BaseModel):
    open: int
    closed: int
    total: int
    areas: list[AreaSummary]


# Portfolio -------------------------------------------------------------------------------------


class MilestoneDue(BaseModel):
    id: uuid.UUID
    project_id: uuid.UUID
    project_name: str
    title: str
    due_date: date
    overdue: bool
    slippage_days: int


class PortfolioSummary(BaseModel):
    window_from: date = Field(serialization_alias="from")
    window_to: date = Field(serialization_alias="to")
    projects: int
    by_rag: dict[str, int] = Field(description="Overall RAG; projects with none are not_set.")
    by_stage: dict[str, int]
    milestones_due: int = Field(description="Unfinished milestones due in the window.")
    milestones_overdue: int = Field(description="Of those, the ones already overdue.")
    milestones: list[MilestoneDue]

    model_config = ConfigDict(serialize_by_alias=True)
