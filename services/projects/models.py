"""Tables of the `projects` schema (the one `Base`; every table of the schema is here).

Links to rows of this schema that a record holds several of (an objective's priorities, a
project's objectives) are arrays of ids, checked on write; KPI measures live in the kpi schema and
are checked over HTTP, never by foreign key.
"""

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, Text, UniqueConstraint, Uuid
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from common.db import TenantMixin, TimestampMixin, VersionedMixin, schema_metadata


class Base(DeclarativeBase):
    metadata = schema_metadata("projects")


class Priority(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """A council plan priority."""

    __tablename__ = "priorities"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)


class Objective(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """A service plan objective: what the service commits to, and how we will know."""

    __tablename__ = "objectives"
    __table_args__ = (UniqueConstraint("org_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    number: Mapped[int]
    statement: Mapped[str] = mapped_column(Text)
    council_plan: Mapped[bool] = mapped_column(default=False)
    priority_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)
    kpi_measure_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)
    owner: Mapped[str] = mapped_column(String(200), default="")


class Programme(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """A programme, or a workstream of one (`parent_id`), that groups projects."""

    __tablename__ = "programmes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="RESTRICT"), index=True
    )


class Project(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """A project of the change portfolio, with the council's own wording kept beside our reading."""

    __tablename__ = "projects"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    programme_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="RESTRICT"), index=True
    )
    start_month: Mapped[date | None] = mapped_column(Date)
    start_text: Mapped[str] = mapped_column(String(300), default="")
    end_month: Mapped[date | None] = mapped_column(Date)
    end_text: Mapped[str] = mapped_column(String(300), default="")
    budget_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    budget_basis: Mapped[str | None] = mapped_column(String(20))
    funding_source: Mapped[str | None] = mapped_column(String(200))
    budget_text: Mapped[str] = mapped_column(String(300), default="")
    resources: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    objective_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)
    council_plan: Mapped[bool] = mapped_column(default=False)
    lead_team: Mapped[str] = mapped_column(String(200), default="")
    stage: Mapped[str] = mapped_column(String(20), default="proposed")
    rag: Mapped[str | None] = mapped_column(String(10))
    rag_reason: Mapped[str] = mapped_column(Text, default="")
    schedule_rag: Mapped[str | None] = mapped_column(String(10))
    schedule_rag_reason: Mapped[str] = mapped_column(Text, default="")
    cost_rag: Mapped[str | None] = mapped_column(String(10))
    cost_rag_reason: Mapped[str] = mapped_column(Text, default="")
    scope_rag: Mapped[str | None] = mapped_column(String(10))
    scope_rag_reason: Mapped[str] = mapped_column(Text, default="")


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


class HighlightReport(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """A project's report for one reporting period; earlier reports are kept as history."""

    __tablename__ = "highlight_reports"
    __table_args__ = (UniqueConstraint("project_id", "period"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[date] = mapped_column(Date)
    rag: Mapped[str] = mapped_column(String(10))
    summary: Mapped[str] = mapped_column(Text)
    achievements: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    issues: Mapped[str] = mapped_column(Text, default="")
    decisions_needed: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")


class RaidItem(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """A risk, assumption, issue or dependency of a project; its score is derived."""

    __tablename__ = "raid_items"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    likelihood: Mapped[int]
    impact: Mapped[int]
    owner: Mapped[str] = mapped_column(String(200), default="")
    mitigation: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    review_date: Mapped[date | None] = mapped_column(Date)


class ImprovementAction(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """An action of the service's improvement plan, under an area of accountability."""

    __tablename__ = "improvement_actions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    action: Mapped[str] = mapped_column(Text)
    area: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
