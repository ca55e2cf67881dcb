"""API shapes of programmes, workstreams and projects, and the portfolio summary."""

import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from common.money import Money
from common.retiring import RetiredRead
from services.projects.portfolio.rules import BudgetBasis, Rag, Stage
from services.projects.schemas import Input, Month, Name, Read, Short, Text


class ProgrammeCreate(Input):
    name: Name
    description: Text = ""
    parent_id: uuid.UUID | None = Field(
        default=None, description="The programme this is a workstream of."
    )


class ProgrammeUpdate(Input):
    name: Name | None = None
    description: Text | None = None
    parent_id: uuid.UUID | None = None


class ProgrammeRead(Read):
    id: uuid.UUID
    name: str
    description: str
    parent_id: uuid.UUID | None
    version: int


class ProjectCreate(Input):
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
    sro: Short = Field(default="", description="The senior responsible owner, by name or role.")
    stage: Stage = Stage.PROPOSED
    rag: Rag | None = None
    rag_reason: Text = ""
    schedule_rag: Rag | None = None
    schedule_rag_reason: Text = ""
    cost_rag: Rag | None = None
    cost_rag_reason: Text = ""
    scope_rag: Rag | None = None
    scope_rag_reason: Text = ""


class ProjectUpdate(Input):
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
    sro: Short | None = None
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


class ProjectRead(RetiredRead, Read):
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
    sro: str
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
    overdue: bool = Field(
        default=False, description="Derived: still in delivery after the end of its end month."
    )
    slippage_days: int | None = Field(
        default=None, description="Derived: the greatest slippage of its milestones, in days."
    )


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
    as_at: date | None = Field(
        default=None, description="The day the figures are as at; today when None."
    )
    projects: int
    projects_overdue: int = Field(
        default=0, description="Projects still in delivery after the end of their end month."
    )
    by_rag: dict[str, int] = Field(description="Overall RAG; projects with none are not_set.")
    by_stage: dict[str, int]
    milestones_due: int = Field(description="Unfinished milestones due in the window.")
    milestones_overdue: int = Field(description="Of those, the ones already overdue.")
    milestones: list[MilestoneDue]

    model_config = ConfigDict(serialize_by_alias=True)
