"""Tables of council plan priorities and the service plan's objectives."""

import uuid

from sqlalchemy import String, Text, UniqueConstraint, Uuid
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from common.columns import Id
from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin
from common.retiring import RetiredMixin
from services.projects.base import Base


class Priority(DistributedTenantMixin, VersionedMixin, TimestampMixin, RetiredMixin, Base):
    """A council plan priority."""

    __tablename__ = "priorities"

    id: Mapped[Id]
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)


class Objective(DistributedTenantMixin, VersionedMixin, TimestampMixin, RetiredMixin, Base):
    """A service plan objective: what the service commits to, and how we will know."""

    __tablename__ = "objectives"
    __table_args__ = (UniqueConstraint("org_id", "number"),)

    id: Mapped[Id]
    number: Mapped[int]
    statement: Mapped[str] = mapped_column(Text)
    council_plan: Mapped[bool] = mapped_column(default=False)
    priority_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)
    kpi_measure_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)
    owner: Mapped[str] = mapped_column(String(200), default="")
