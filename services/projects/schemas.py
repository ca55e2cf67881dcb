"""API shapes of the projects service."""

import uuid

from pydantic import BaseModel, ConfigDict, Field


class PriorityCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=500)
    position: int = Field(default=0, ge=0, le=1000)


class PriorityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    position: int
    version: int
