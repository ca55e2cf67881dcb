"""Tables of highlight reports, a project's monthly report with its history kept."""

import uuid
from datetime import date

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from common.columns import Id, belongs_to
from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin
from services.projects.base import Base


class HighlightReport(DistributedTenantMixin, VersionedMixin, TimestampMixin, Base):
    """A project's report for one reporting period; earlier reports are kept as history."""

    __tablename__ = "highlight_reports"
    __table_args__ = belongs_to("project_id", "projects.projects", one_per=["period"])

    id: Mapped[Id]
    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    period: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[date] = mapped_column(Date)
    rag: Mapped[str] = mapped_column(String(10))
    summary: Mapped[str] = mapped_column(Text)
    achievements: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    issues: Mapped[str] = mapped_column(Text, default="")
    decisions_needed: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
