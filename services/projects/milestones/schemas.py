"""API shapes of milestones of projects, with slippage and overdue derived."""

import uuid
from datetime import date

from pydantic import BaseModel, Field

from common.dates import PlanDate
from services.projects.milestones.models import Milestone
from services.projects.milestones.rules import (
    MilestoneStatus,
    days_late,
    due_date,
    is_overdue,
    status_as_at,
)
from services.projects.schemas import Input, Month, Name, Read


class MilestoneCreate(Input):
    project_id: uuid.UUID
    title: Name
    baseline_date: PlanDate
    forecast_date: PlanDate | None = None
    actual_date: PlanDate | None = Field(
        default=None, description="When it was completed; sets the status to completed."
    )
    status: MilestoneStatus | None = Field(
        default=None, description="Defaults to completed with an actual date, else not started."
    )


class MilestoneUpdate(Input):
    title: Name | None = None
    baseline_date: PlanDate | None = None
    forecast_date: PlanDate | None = None
    actual_date: PlanDate | None = None
    status: MilestoneStatus | None = None


class MilestoneRead(Read):
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


def milestone_read(milestone: Milestone, on: date, *, as_at: bool = False) -> MilestoneRead:
    """The milestone on the day `on`; with `as_at`, as it stood then (completed after that day,
    it was still in progress and had no actual date)."""
    status = (
        status_as_at(milestone.status, milestone.actual_date, on) if as_at else milestone.status
    )
    actual = milestone.actual_date
    if as_at and actual is not None and actual > on:
        actual = None
    return MilestoneRead.model_validate(
        {
            **{c.key: getattr(milestone, c.key) for c in Milestone.__table__.columns},
            "status": status,
            "actual_date": actual,
            "due_date": due_date(milestone.baseline_date, milestone.forecast_date),
            "slippage_days": days_late(
                milestone.baseline_date, milestone.forecast_date, actual, on
            ),
            "overdue": is_overdue(
                baseline=milestone.baseline_date,
                forecast=milestone.forecast_date,
                status=status,
                today=on,
            ),
        }
    )
