"""API shapes of benchmarks."""

import uuid

from pydantic import Field

from services.kpi.fields import FinancialYearText, Input, MeasureYearRead, Number


class BenchmarkCreate(Input):
    measure_id: uuid.UUID
    financial_year: FinancialYearText
    comparator: str = Field(
        min_length=1, max_length=40, examples=["national", "regional", "nearest neighbours"]
    )
    value: Number
    source: str = Field(default="", max_length=1000)


class BenchmarkUpdate(Input):
    value: Number | None = None
    source: str | None = Field(default=None, max_length=1000)


class BenchmarkRead(MeasureYearRead):
    comparator: str
    value: Number
    source: str
    version: int
