"""API shapes of KPI tasks beyond the shared task item."""

import uuid

from pydantic import BaseModel, Field


class UnreportedMeasure(BaseModel):
    """An active measure with no figure sent for either of its last two ended periods."""

    id: uuid.UUID
    code: str
    title: str
    data_provider: str
    periods: list[str] = Field(description="The two periods with no figure, oldest first.")
