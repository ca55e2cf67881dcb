"""Tables of the `kpi` schema. Every model of the schema lives here, on one `Base`, so the
migration environment sees them all by importing this module."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from common.audit import audit_table
from common.db import TenantMixin, TimestampMixin, VersionedMixin, schema_metadata

NUMBER = Numeric(20, 6)
"""Every figure: exact decimals, enough room for pounds, rates and percentages."""


class Base(DeclarativeBase):
    metadata = schema_metadata("kpi")


audit_events = audit_table(Base.metadata)
"""Who changed what in this schema, and when (common/audit.py records it)."""


class Measure(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """A KPI of the service plan: what is counted, how, by whom and which way is better."""

    __tablename__ = "measures"
    __table_args__ = (UniqueConstraint("org_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    definition: Mapped[str] = mapped_column(Text, default="")
    numerator_definition: Mapped[str] = mapped_column(Text, default="")
    denominator_definition: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(20), default="count")
    decimal_places: Mapped[int] = mapped_column(Integer, default=0)
    polarity: Mapped[str] = mapped_column(String(20), default="bigger_is_better")
    frequency: Mapped[str] = mapped_column(String(20), default="monthly")
    target_type: Mapped[str] = mapped_column(String(20), default="flat")
    council_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    data_provider: Mapped[str] = mapped_column(String(200), default="")
    service_area: Mapped[str] = mapped_column(String(200), default="")
    national_reference: Mapped[str] = mapped_column(String(100), default="")
    baseline_value: Mapped[Decimal | None] = mapped_column(NUMBER, default=None)
    baseline_period: Mapped[str | None] = mapped_column(String(20), default=None)
    tolerance_kind: Mapped[str] = mapped_column(String(20), default="percent")
    tolerance: Mapped[Decimal] = mapped_column(NUMBER, default=Decimal("5"))
    population_area: Mapped[str | None] = mapped_column(String(200), default=None)
    population_age_band: Mapped[str | None] = mapped_column(String(40), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Target(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """A measure's target for one financial year, with an optional profile by period."""

    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("org_id", "measure_id", "financial_year"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    measure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("kpi.measures.id", ondelete="CASCADE"), index=True
    )
    financial_year: Mapped[str] = mapped_column(String(7))
    value: Mapped[Decimal] = mapped_column(NUMBER)
    kind: Mapped[str] = mapped_column(String(20), default="level")
    profile: Mapped[list[str] | None] = mapped_column(JSON, default=None)
    note: Mapped[str] = mapped_column(Text, default="")


class Actual(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """A measure's figure for one period: the revision being worked on, and the one reported.

    Each change appends an `ActualRevision`; nothing here is ever the only copy of a figure.
    """

    __tablename__ = "actuals"
    __table_args__ = (UniqueConstraint("org_id", "measure_id", "period"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    measure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("kpi.measures.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    value: Mapped[Decimal] = mapped_column(NUMBER)
    numerator: Mapped[Decimal | None] = mapped_column(NUMBER, default=None)
    denominator: Mapped[Decimal | None] = mapped_column(NUMBER, default=None)
    commentary: Mapped[str] = mapped_column(Text, default="")
    return_reason: Mapped[str] = mapped_column(Text, default="")
    approved_value: Mapped[Decimal | None] = mapped_column(NUMBER, default=None)
    approved_revision: Mapped[int | None] = mapped_column(Integer, default=None)
    revisions: Mapped[list["ActualRevision"]] = relationship(
        order_by="ActualRevision.number", lazy="raise"
    )


class ActualRevision(TenantMixin, TimestampMixin, Base):
    """One state of an actual, as someone left it: never updated, never deleted."""

    __tablename__ = "actual_revisions"
    __table_args__ = (UniqueConstraint("actual_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    actual_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("kpi.actuals.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    value: Mapped[Decimal] = mapped_column(NUMBER)
    numerator: Mapped[Decimal | None] = mapped_column(NUMBER, default=None)
    denominator: Mapped[Decimal | None] = mapped_column(NUMBER, default=None)
    commentary: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_by: Mapped[str] = mapped_column(String(200))


class Population(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """How many people live in an area, by age band and year: the denominator of a rate."""

    __tablename__ = "populations"
    __table_args__ = (UniqueConstraint("org_id", "area", "age_band", "financial_year"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    area: Mapped[str] = mapped_column(String(200))
    age_band: Mapped[str] = mapped_column(String(40))
    financial_year: Mapped[str] = mapped_column(String(7))
    population: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text, default="")


class Benchmark(TenantMixin, VersionedMixin, TimestampMixin, Base):
    """A comparator's value for a measure in a year (national, regional, nearest neighbours)."""

    __tablename__ = "benchmarks"
    __table_args__ = (UniqueConstraint("org_id", "measure_id", "financial_year", "comparator"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    measure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("kpi.measures.id", ondelete="CASCADE"), index=True
    )
    financial_year: Mapped[str] = mapped_column(String(7))
    comparator: Mapped[str] = mapped_column(String(40))
    value: Mapped[Decimal] = mapped_column(NUMBER)
    source: Mapped[str] = mapped_column(Text, default="")


ALL_MODELS: tuple[type[Any], ...] = (
    Measure,
    Target,
    Actual,
    ActualRevision,
    Population,
    Benchmark,
)
