"""API shapes of targets."""

import uuid

from pydantic import Field

from services.kpi.fields import FinancialYearText, Input, MeasureYearRead, Number
from services.kpi.targets.rules import TargetKind


class TargetCreate(Input):
    measure_id: uuid.UUID
    financial_year: FinancialYearText = Field(examples=["2025/26"])
    value: Number = Field(description="The year's target (or, for a reduction, the amount).")
    kind: TargetKind = TargetKind.LEVEL
    profile: list[Number] | None = Field(
        default=None,
        max_length=12,
        description="One target per period of the year, for seasonal targets.",
    )
    note: str = Field(default="", max_length=2000, description="What the council wrote.")


class TargetUpdate(Input):
    value: Number | None = None
    kind: TargetKind | None = None
    profile: list[Number] | None = Field(default=None, max_length=12)
    note: str | None = Field(default=None, max_length=2000)


class TargetRead(MeasureYearRead):
    value: Number
    kind: TargetKind
    profile: list[Number] | None
    note: str
    version: int
