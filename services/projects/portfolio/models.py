"""Tables of programmes, workstreams and projects, and the portfolio summary."""

import uuid
from datetime import date

from sqlalchemy import Date, String, Text, Uuid
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from common.columns import Id, Money
from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin, council_foreign_key
from common.retiring import RetiredMixin
from services.projects.base import Base


class Programme(DistributedTenantMixin, VersionedMixin, TimestampMixin, Base):
    """A programme, or a workstream of one (`parent_id`), that groups projects."""

    __tablename__ = "programmes"
    __table_args__ = (council_foreign_key("parent_id", "projects.programmes", ondelete="RESTRICT"),)

    id: Mapped[Id]
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[uuid.UUID | None] = mapped_column(index=True)


class Project(DistributedTenantMixin, VersionedMixin, TimestampMixin, RetiredMixin, Base):
    """A project of the change portfolio, with the council's own wording kept beside our reading."""

    __tablename__ = "projects"
    __table_args__ = (
        council_foreign_key("programme_id", "projects.programmes", ondelete="RESTRICT"),
    )

    id: Mapped[Id]
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    programme_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    start_month: Mapped[date | None] = mapped_column(Date)
    start_text: Mapped[str] = mapped_column(String(300), default="")
    end_month: Mapped[date | None] = mapped_column(Date)
    end_text: Mapped[str] = mapped_column(String(300), default="")
    budget_amount: Mapped[Money | None]
    budget_basis: Mapped[str | None] = mapped_column(String(20))
    funding_source: Mapped[str | None] = mapped_column(String(200))
    budget_text: Mapped[str] = mapped_column(String(300), default="")
    resources: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    objective_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)
    council_plan: Mapped[bool] = mapped_column(default=False)
    lead_team: Mapped[str] = mapped_column(String(200), default="")
    # The senior responsible owner: the person accountable for the project's benefits.
    sro: Mapped[str] = mapped_column(String(200), default="")
    stage: Mapped[str] = mapped_column(String(20), default="proposed")
    rag: Mapped[str | None] = mapped_column(String(10))
    rag_reason: Mapped[str] = mapped_column(Text, default="")
    schedule_rag: Mapped[str | None] = mapped_column(String(10))
    schedule_rag_reason: Mapped[str] = mapped_column(Text, default="")
    cost_rag: Mapped[str | None] = mapped_column(String(10))
    cost_rag_reason: Mapped[str] = mapped_column(Text, default="")
    scope_rag: Mapped[str | None] = mapped_column(String(10))
    scope_rag_reason: Mapped[str] = mapped_column(Text, default="")
