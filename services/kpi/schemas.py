"""API shapes of the KPI service."""

import uuid

from pydantic import BaseModel, ConfigDict, Field


class MeasureCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=40, description="The council's short reference.")
    title: str = Field(min_length=1, max_length=500)
    definition: str = Field(default="", max_length=4000)


class MeasureUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str | None = Field(default=None, min_length=1, max_length=40)
    title: str | None = Field(default=None, min_length=1, max_length=500)
    definition: str | None = Field(default=None, max_length=4000)


class MeasureRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    title: str
    definition: str
    version: int
