"""Tables of savings tracking."""

import uuid
from datetime import date

from sqlalchemy import Date, String, Text, UniqueConstraint, Uuid
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.columns import FinancialYearText, Id, Money, belongs_to, owned_rows
from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin, council_foreign_key
from common.retiring import RetiredMixin
from services.finance.base import Base


class SavingsLine(DistributedTenantMixin, VersionedMixin, TimestampMixin, RetiredMixin, Base):
    """One saving the directorate has committed to, with its targets and monthly progress."""

    __tablename__ = "savings_lines"
    __table_args__ = (
        UniqueConstraint("org_id", "reference"),
        council_foreign_key("mitigates_line_id", "finance.savings_lines", ondelete="SET NULL"),
    )

    id: Mapped[Id]
    reference: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    # Ids of projects in the projects service: no foreign key across schemas, checked over HTTP.
    project_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)
    owner_team: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(40))
    saving_type: Mapped[str] = mapped_column(String(20))
    recurrence: Mapped[str] = mapped_column(String(20))
    delivery_confidence: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    written_off_reason: Mapped[str] = mapped_column(Text, default="")
    mitigates_line_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    # The KPI the saving depends on: a measure of the kpi service, checked over HTTP.
    kpi_measure_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    # The savings library's theme as a person set it; None: the one its words suggest.
    theme: Mapped[str | None] = mapped_column(String(40), default=None)

    targets: Mapped[list["SavingsTarget"]] = owned_rows("SavingsTarget.financial_year")
    entries: Mapped[list["SavingsEntry"]] = owned_rows("SavingsEntry.month")
    activity_measures: Mapped[list["ActivityMeasure"]] = owned_rows("ActivityMeasure.created_at")


class SavingsTarget(DistributedTenantMixin, TimestampMixin, Base):
    """A savings line's target for one financial year: in-year and full-year effect."""

    __tablename__ = "savings_targets"
    __table_args__ = belongs_to(
        "savings_line_id", "finance.savings_lines", one_per=["financial_year"]
    )

    id: Mapped[Id]
    savings_line_id: Mapped[uuid.UUID] = mapped_column(index=True)
    financial_year: Mapped[FinancialYearText]
    in_year: Mapped[Money]
    full_year_effect: Mapped[Money]

    line: Mapped[SavingsLine] = relationship(back_populates="targets")


class SavingsEntry(DistributedTenantMixin, VersionedMixin, TimestampMixin, Base):
    """What a service lead reported for a savings line in one month."""

    __tablename__ = "savings_entries"
    __table_args__ = belongs_to("savings_line_id", "finance.savings_lines", one_per=["month"])

    id: Mapped[Id]
    savings_line_id: Mapped[uuid.UUID] = mapped_column(index=True)
    month: Mapped[date] = mapped_column(Date)
    financial_year: Mapped[FinancialYearText]
    achieved_to_date: Mapped[Money]
    forecast_for_year: Mapped[Money]
    note: Mapped[str] = mapped_column(Text, default="")

    line: Mapped[SavingsLine] = relationship(back_populates="entries")


class ActivityMeasure(DistributedTenantMixin, VersionedMixin, TimestampMixin, Base):
    """The volume that drives a saving: e.g. a review cohort of 3,813 with 452 done."""

    __tablename__ = "activity_measures"
    __table_args__ = belongs_to("savings_line_id", "finance.savings_lines")

    id: Mapped[Id]
    savings_line_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(80), default="")
    planned: Mapped[int] = mapped_column()
    done: Mapped[int] = mapped_column()

    line: Mapped[SavingsLine] = relationship(back_populates="activity_measures")
