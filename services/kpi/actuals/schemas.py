"""API shapes of actuals, their revisions and bulk submission."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from common.periods import PeriodText
from services.kpi.actuals.rules import ActualStatus
from services.kpi.fields import Input, Number


class ActualFigures(Input):
    value: Number | None = Field(default=None, description="The figure, or leave it out and…")
    numerator: Number | None = Field(default=None, description="…send what it is made of.")
    denominator: Number | None = None
    commentary: str = Field(default="", max_length=4000)
    reason: str | None = Field(
        default=None,
        max_length=2000,
        description="Why a figure of a closed period changes (approvers only, then required).",
    )


class ActualCreate(ActualFigures):
    measure_id: uuid.UUID
    period: PeriodText = Field(
        max_length=20, description='A month "2025-04", quarter "2025/26 Q1" or year "2025/26".'
    )


class ActualUpdate(Input):
    value: Number | None = None
    numerator: Number | None = None
    denominator: Number | None = None
    commentary: str | None = Field(default=None, max_length=4000)
    reason: str | None = Field(
        default=None,
        max_length=2000,
        description="Why a figure of a closed period changes (approvers only, then required).",
    )


class ActualReturn(Input):
    reason: str = Field(min_length=1, max_length=2000, description="What to change, and why.")


class ActualRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    measure_id: uuid.UUID
    period: str
    status: ActualStatus
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
    status: ActualStatus
    value: Number
    numerator: Number | None
    denominator: Number | None
    commentary: str
    reason: str
    changed_by: str
    self_approved: bool
    closed_period_role: str | None = Field(
        description="Changed after its period closed, by an approver in this role."
    )
    created_at: datetime


class BulkRow(ActualFigures):
    measure_id: uuid.UUID | None = None
    measure_code: str | None = Field(default=None, max_length=40)
    period: PeriodText = Field(max_length=20)
    version: int | None = Field(
        default=None,
        ge=1,
        le=2_000_000_000,
        description="To correct an existing actual: the version you read.",
    )


BULK_MAX_ROWS = 5000


class BulkRequest(Input):
    rows: list[BulkRow] = Field(max_length=BULK_MAX_ROWS)
    submit: bool = Field(default=False, description="Submit every row for approval.")


class BulkResult(BaseModel):
    created: int
    updated: int
    actuals: list[ActualRead]
