"""Tables of RAID logs (risks, assumptions, issues and dependencies of projects)."""

import uuid
from datetime import date

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from common.columns import Id, belongs_to
from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin
from services.projects.base import Base


class RaidItem(DistributedTenantMixin, VersionedMixin, TimestampMixin, Base):
    """A risk, assumption, issue or dependency of a project; its score is derived."""

    __tablename__ = "raid_items"
    __table_args__ = belongs_to("project_id", "projects.projects")

    id: Mapped[Id]
    project_id: Mapped[uuid.UUID] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    likelihood: Mapped[int]
    impact: Mapped[int]
    owner: Mapped[str] = mapped_column(String(200), default="")
    mitigation: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    review_date: Mapped[date | None] = mapped_column(Date)
