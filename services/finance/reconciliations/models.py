"""Stated totals of imported tables that did not add up: kept beside the tracker the lines went
to until someone marks them explained."""

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.columns import Id
from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin
from services.finance.base import Base


class ReconciliationFlag(DistributedTenantMixin, VersionedMixin, TimestampMixin, Base):
    """One total row of an imported file whose figures differ from the sum of its lines."""

    __tablename__ = "reconciliation_flags"

    id: Mapped[Id]
    tracker: Mapped[str] = mapped_column(String(20), index=True)
    """Where the lines went: "budget" or "savings"."""
    filename: Mapped[str] = mapped_column(Text, default="")
    sheet: Mapped[str] = mapped_column(Text, default="")
    row: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(Text, default="")
    stated: Mapped[dict[str, Any]] = mapped_column(JSONB)
    """Column heading → the figure the total row states (exact, as a decimal string)."""
    lines: Mapped[dict[str, Any]] = mapped_column(JSONB)
    """Column heading → what the lines it totals add up to."""
    message: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text, default="")
    explained_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    explained_by: Mapped[str] = mapped_column(String(200), default="")
