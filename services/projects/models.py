"""Tables of the `projects` schema."""

import uuid

from sqlalchemy import Text
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
