"""API shapes of the national measure library, adoption and benchmark import."""

import uuid
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from services.kpi.fields import Input
from services.kpi.library.rules import LibraryMeasure


class LibraryMeasureRead(LibraryMeasure):
    model_config = ConfigDict(from_attributes=True)

    adopted_measure_id: uuid.UUID | None = Field(
        default=None, description="The caller's measure adopted from this definition, if any."
    )


class AdoptRequest(Input):
    keys: list[str] = Field(min_length=1, max_length=100, examples=[["ascof-2023-24:2C"]])
    data_provider: str = Field(default="", max_length=200)
    service_area: str = Field(default="Adult Social Care", max_length=200)


class AdoptionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    measure_id: uuid.UUID
    library_key: str
    framework: str
    framework_year: str
    national_id: str


class BenchmarkImportRow(BaseModel):
    row: int
    area_code: str
    area_name: str
    financial_year: str | None
    value: Decimal | None
    outcome: str = Field(description="new, update, unchanged, skip or error")
    message: str


class BenchmarkImportResult(BaseModel):
    measure_id: uuid.UUID
    applied: bool
    counts: dict[str, int]
    rows: list[BenchmarkImportRow]
    problems: list[str]
