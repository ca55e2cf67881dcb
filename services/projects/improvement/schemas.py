"""API shapes of the improvement plan's actions by area of accountability."""

import uuid
from datetime import date

from pydantic import BaseModel, Field

from common.dates import PlanDate
from common.retiring import RetiredRead
from services.projects.improvement.rules import ActionStatus
from services.projects.schemas import Input, Read, Short


class ImprovementActionCreate(Input):
    action: str = Field(min_length=1, max_length=4000)
    area: str = Field(
        min_length=1, max_length=200, description='e.g. "Strategic decisions", "Quality assurance".'
    )
    owner: Short = ""
    due_date: PlanDate | None = None
    status: ActionStatus = ActionStatus.NOT_STARTED
    completed_on: date | None = Field(
        default=None, description="The day it was completed; today when completed without one."
    )


class ImprovementActionUpdate(Input):
    action: str | None = Field(default=None, min_length=1, max_length=4000)
    area: str | None = Field(default=None, min_length=1, max_length=200)
    owner: Short | None = None
    due_date: PlanDate | None = None
    status: ActionStatus | None = None
    completed_on: date | None = None


class ImprovementActionRead(RetiredRead, Read):
    id: uuid.UUID
    action: str
    area: str
    area_label: str = Field(
        description="Derived: the area as first written (labels differing only in case or "
        "spacing are one area)."
    )
    owner: str
    due_date: date | None
    status: ActionStatus
    completed_on: date | None
    version: int
    open: bool = Field(description="Derived: not yet completed.")
    overdue: bool = Field(description="Derived: still open and its due date has passed.")


class AreaSummary(BaseModel):
    area: str = Field(description="As first written; labels differing only in case are one.")
    open: int
    closed: int
    total: int
    overdue: int


class ImprovementPlanSummary(BaseModel):
    as_at: date | None = Field(description="The day the counts are as at; today when None.")
    open: int
    closed: int
    total: int
    overdue: int
    areas: list[AreaSummary]
