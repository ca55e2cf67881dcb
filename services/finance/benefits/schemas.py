"""API shapes of benefits worked by formula."""

import uuid
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field

from common.money import Money
from services.finance.benefits.rules import Method, Stage
from services.finance.schemas import INPUT

InputValue = Annotated[Decimal, Field(ge=0, lt=Decimal(10) ** 14, decimal_places=6)]
"""An input as entered: never negative, at most six decimal places (money: two)."""


class MeasureReading(StrEnum):
    """How a KPI's actuals give an input's actual: its newest figure (a running count, such as
    people reviewed so far), or the sum of every period's figure (a count per month)."""

    LATEST = "latest"
    SUM = "sum"


class InputSet(BaseModel):
    model_config = INPUT

    planned: InputValue
    actual: InputValue | None = Field(
        default=None, description="The input so far (e.g. people reviewed so far)."
    )
    measure_id: uuid.UUID | None = Field(
        default=None, description="A KPI whose actuals give this input's actual so far."
    )
    measure_reading: MeasureReading = MeasureReading.LATEST


class BenefitSet(BaseModel):
    """The whole calculation of a line: sent again in full to change any part of it."""

    model_config = INPUT

    method: Method
    stage: Stage = Stage.PLANNED
    spend_line: str = Field(
        default="", max_length=500, description="The named spend line (method spend_reduction)."
    )
    inputs: dict[str, InputSet]
    overlaps_line_id: uuid.UUID | None = Field(
        default=None, description="Another line whose benefit overlaps this one's."
    )
    overlap_percent: Annotated[Decimal, Field(gt=0, le=100, decimal_places=6)] = Decimal(100)


class InputRead(BaseModel):
    name: str
    label: str
    kind: str
    planned: Decimal
    actual: Decimal | None
    measure_id: uuid.UUID | None
    measure_reading: MeasureReading
    actual_from_measure: Decimal | None = Field(
        description="What the KPI's actuals give, when the input is linked to one."
    )


class WorkingRead(BaseModel):
    amount: Money
    words: str


class BenefitRead(BaseModel):
    id: uuid.UUID
    savings_line_id: uuid.UUID
    reference: str
    method: Method
    stage: Stage
    spend_line: str
    inputs: list[InputRead]
    overlaps_line_id: uuid.UUID | None
    overlaps_reference: str | None
    overlap_percent: Decimal
    planned: WorkingRead = Field(description="What the planned inputs give.")
    achieved_to_date: WorkingRead | None = Field(
        description="What the actual inputs give (planned values where no actual is known yet);"
        " none until some input has an actual."
    )
    rounding: str
    warnings: list[str]
    version: int


class OverlapRead(BaseModel):
    amount: Money
    reference: str
    overlaps: str
    words: str


class TotalRead(BaseModel):
    gross: Money
    overlap: Money
    net: Money
    notes: list[OverlapRead]


class BenefitTotals(BaseModel):
    """Three totals, never added together: the size of the prize, what is planned, and what has
    been achieved so far."""

    opportunity: TotalRead
    planned: TotalRead
    achieved: TotalRead
    lines: int
    warnings: list[str]
