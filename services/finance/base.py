"""The one declarative base of the `finance` schema; every table of the service derives from it."""

from sqlalchemy.orm import DeclarativeBase

from common.db import schema_metadata


class Base(DeclarativeBase):
    metadata = schema_metadata("finance")
