"""API shapes of populations."""

import uuid

from pydantic import BaseModel, ConfigDict, Field

from services.kpi.fields import FinancialYearText, Input


class PopulationCreate(Input):
    area: str = Field(min_length=1, max_length=200)
    age_band: str = Field(min_length=1, max_length=40, examples=["65+", "all ages"])
    financial_year: FinancialYearText
    population: int = Field(gt=0, le=2_000_000_000)
    source: str = Field(default="", max_length=1000)


class PopulationUpdate(Input):
    population: int | None = Field(default=None, gt=0, le=2_000_000_000)
    source: str | None = Field(default=None, max_length=1000)


class PopulationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    area: str
    age_band: str
    financial_year: str
    population: int
    source: str
    version: int
