"""API shapes of reconciliation flags."""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Tracker = Literal["budget", "savings"]


class FlagRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    tracker: Tracker
    filename: str
    sheet: str
    row: int = Field(description="The total's row in the file as the spreadsheet numbers it.")
    label: str
    stated: dict[str, str] = Field(description="Each column's stated total, in pounds.")
    lines: dict[str, str] = Field(description="What the lines above it add up to, in pounds.")
    message: str
    explanation: str
    explained_at: datetime | None
    explained_by: str
    version: int


class FlagExplain(BaseModel):
    model_config = ConfigDict(extra="forbid")

    explanation: str = Field(min_length=1, max_length=4000, description="Why the figures differ.")
