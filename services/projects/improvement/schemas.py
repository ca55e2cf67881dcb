"""API shapes of the improvement plan's actions by area of accountability."""

import uuid
from datetime import date

from pydantic import BaseModel, Field

from services.projects.improvement.rules import ActionStatus
from services.projects.schemas import Input, Read, Short


class ImprovementActionCreate(Input):
    action: str = Field(min_length=1, max_length=4000)
    area: str = Field(
        min_length=1, max_length=200, description='e.g. "Strategic decisions", "Quality assurance".'
    )
    owner: Short = ""
    due_date: date | None = None
    status: ActionStatus = ActionStatus.NOT_STARTED


class ImprovementActionUpdate(Input):
    action: str | None = Field(default=None, min_length=1, max_length=4000)
    area: str | None = Field(default=None, min_length=1, max_length=200)
    owner: Short | None = None
    due_date: date | None = None
    status: ActionStatus | None = None


class ImprovementActionRead(Read):
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
