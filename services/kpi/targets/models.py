"""The table of targets."""

import uuid
from decimal import Decimal

from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from common.db import DistributedTenantMixin, TimestampMixin, VersionedMixin, council_foreign_key
from services.kpi.base import NUMBER, Base


class Target(DistributedTenantMixin, VersionedMixin, TimestampMixin, Base):
    """A measure's target for one financial year, with an optional profile by period."""

    __tablename__ = "targets"
    __table_args__ = (
        UniqueConstraint("org_id", "measure_id", "financial_year"),
        council_foreign_key("measure_id", "kpi.measures", ondelete="CASCADE"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    measure_id: Mapped[uuid.UUID] = mapped_column(index=True)
    financial_year: Mapped[str] = mapped_column(String(7))
    value: Mapped[Decimal] = mapped_column(NUMBER)
    kind: Mapped[str] = mapped_column(String(20), default="level")
    profile: Mapped[list[str] | None] = mapped_column(JSON, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
