"""API shapes of the finance service."""

import uuid

from pydantic import BaseModel, ConfigDict, Field


class BudgetLineCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=500)
    cost_centre: str = Field(default="", max_length=40)


class BudgetLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    cost_centre: str
    version: int
