"""The table of adoptions: which of a council's measures came from which library definition."""

import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from common.db import TenantMixin, TimestampMixin
from services.kpi.base import Base


class LibraryAdoption(TenantMixin, TimestampMixin, Base):
    """A measure of the plan adopted from the national library: its definition's key and year."""

    __tablename__ = "library_adoptions"
    __table_args__ = (UniqueConstraint("org_id", "library_key"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    measure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("kpi.measures.id", ondelete="CASCADE"), index=True
    )
    library_key: Mapped[str] = mapped_column(String(60))
    framework: Mapped[str] = mapped_column(String(20))
    framework_year: Mapped[str] = mapped_column(String(7))
    national_id: Mapped[str] = mapped_column(String(20))
