"""Tables of the improvement plan's actions by area of accountability."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from common.columns import Id
from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin
from common.retiring import RetiredMixin
from services.projects.base import Base


class ImprovementAction(DistributedTenantMixin, VersionedMixin, TimestampMixin, RetiredMixin, Base):
    """An action of the service's improvement plan, under an area of accountability."""

    __tablename__ = "improvement_actions"

    id: Mapped[Id]
    action: Mapped[str] = mapped_column(Text)
    area: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    # The clock, not the transaction's start: which of the actions of one import came first
    # names their area (rules.action_counts).
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
    # The day it was completed (None while open, or for actions completed before it was kept).
    completed_on: Mapped[date | None] = mapped_column(Date)
