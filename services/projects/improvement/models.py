"""Tables of the improvement plan's actions by area of accountability."""

import uuid
from datetime import date

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from common.db import TenantMixin, TimestampMixin, VersionedMixin
from services.projects.base import Base


class ImprovementAction(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """An action of the service's improvement plan, under an area of accountability."""

    __tablename__ = "improvement_actions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    action: Mapped[str] = mapped_column(Text)
    area: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
