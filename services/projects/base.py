"""The one declarative base of the `projects` schema; every sub-domain's tables use it."""

from sqlalchemy.orm import DeclarativeBase

from common.db import schema_metadata


class Base(DeclarativeBase):
    metadata = schema_metadata("projects")
