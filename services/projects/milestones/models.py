"""Tables of milestones of projects, with slippage and overdue derived."""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Date, String, func
from sqlalchemy.orm import Mapped, mapped_column

from common.columns import Id, belongs_to
from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin
from services.projects.base import Base


class Milestone(DistributedTenantMixin, VersionedMixin, TimestampMixin, Base):
    """A dated point in a project; slippage and overdue are derived from its dates."""

    __tablename__ = "milestones"
    __table_args__ = belongs_to("project_id", "projects.projects")

    id: Mapped[Id]
    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(300))
    baseline_date: Mapped[date] = mapped_column(Date)
    forecast_date: Mapped[date | None] = mapped_column(Date)
    actual_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="not_started")


def due_column() -> Any:
    """When a milestone is now expected, in SQL: its forecast, else its baseline."""
    return func.coalesce(Milestone.forecast_date, Milestone.baseline_date)
