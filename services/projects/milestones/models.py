"""Tables of milestones of projects, with slippage and overdue derived."""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Date, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from common.db import TenantMixin, TimestampMixin, VersionedMixin
from services.projects.base import Base


class Milestone(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """A dated point in a project; slippage and overdue are derived from its dates."""

    __tablename__ = "milestones"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    baseline_date: Mapped[date] = mapped_column(Date)
    forecast_date: Mapped[date | None] = mapped_column(Date)
    actual_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="not_started")


def due_column() -> Any:
    """When a milestone is now expected, in SQL: its forecast, else its baseline."""
    return func.coalesce(Milestone.forecast_date, Milestone.baseline_date)
