"""The table of adoptions: which of a council's measures came from which library definition."""

import uuid

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from common.columns import Id
from common.db import DistributedTenantMixin, TimestampMixin, council_foreign_key
from services.kpi.base import Base


class LibraryAdoption(DistributedTenantMixin, TimestampMixin, Base):
    """A measure of the plan adopted from the national library: its definition's key and year."""

    __tablename__ = "library_adoptions"
    __table_args__ = (
        UniqueConstraint("org_id", "library_key"),
        council_foreign_key("measure_id", "kpi.measures", ondelete="CASCADE"),
    )

    id: Mapped[Id]
    measure_id: Mapped[uuid.UUID] = mapped_column(index=True)
    library_key: Mapped[str] = mapped_column(String(60))
    framework: Mapped[str] = mapped_column(String(20))
    framework_year: Mapped[str] = mapped_column(String(7))
    national_id: Mapped[str] = mapped_column(String(20))
