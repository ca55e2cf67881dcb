"""The tables of actuals and their revisions."""

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.columns import Id, belongs_to
from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin
from services.kpi.base import NUMBER, Base


class Actual(DistributedTenantMixin, VersionedMixin, TimestampMixin, Base):
    """A measure's figure for one period: the revision being worked on, and the one reported.

    Each change appends an `ActualRevision`; nothing here is ever the only copy of a figure.
    """

    __tablename__ = "actuals"
    __table_args__ = belongs_to("measure_id", "kpi.measures", one_per=["period"])

    id: Mapped[Id]
    measure_id: Mapped[uuid.UUID] = mapped_column(index=True)
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


class ActualRevision(DistributedTenantMixin, TimestampMixin, Base):
    """One state of an actual, as someone left it: never updated, never deleted."""

    __tablename__ = "actual_revisions"
    __table_args__ = belongs_to("actual_id", "kpi.actuals", one_per=["number"])

    id: Mapped[Id]
    actual_id: Mapped[uuid.UUID] = mapped_column(index=True)
    number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    value: Mapped[Decimal] = mapped_column(NUMBER)
    numerator: Mapped[Decimal | None] = mapped_column(NUMBER, default=None)
    denominator: Mapped[Decimal | None] = mapped_column(NUMBER, default=None)
    commentary: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_by: Mapped[str] = mapped_column(String(200))
    self_approved: Mapped[bool] = mapped_column(default=False, server_default="false")
    """Approved by the person who submitted it, as the council allows one-person teams."""
    closed_period_role: Mapped[str | None] = mapped_column(String(32), default=None)
    """Changed after its period closed, by an approver acting in this role (reason: `reason`)."""
