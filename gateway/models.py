"""Tables of the `identity` schema, owned by the gateway."""

import uuid

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from common.db import TimestampMixin, schema_metadata


class Base(DeclarativeBase):
    metadata = schema_metadata("identity")


class Organisation(TimestampMixin, Base):
    """A council: the tenant every record in every schema belongs to."""

    __tablename__ = "organisations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
