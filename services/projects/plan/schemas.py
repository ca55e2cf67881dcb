"""API shapes of council plan priorities and the service plan's objectives."""

import uuid

from pydantic import Field

from common.retiring import RetiredRead
from services.projects.schemas import Input, Read, Short


class PriorityCreate(Input):
    title: str = Field(min_length=1, max_length=500)
    position: int = Field(default=0, ge=0, le=1000)


class PriorityUpdate(Input):
    title: str | None = Field(default=None, min_length=1, max_length=500)
    position: int | None = Field(default=None, ge=0, le=1000)


class PriorityRead(RetiredRead, Read):
    id: uuid.UUID
    title: str
    position: int
    version: int


class ObjectiveCreate(Input):
    number: int = Field(ge=1, le=1000, description="The objective's number in the plan.")
    statement: str = Field(min_length=1, max_length=4000)
    council_plan: bool = Field(default=False, description="Is it a Council Plan objective?")
    priority_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    kpi_measure_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=50, description="Ids of measures in the KPI service."
    )
    owner: Short = ""


class ObjectiveUpdate(Input):
    number: int | None = Field(default=None, ge=1, le=1000)
    statement: str | None = Field(default=None, min_length=1, max_length=4000)
    council_plan: bool | None = None
    priority_ids: list[uuid.UUID] | None = Field(default=None, max_length=50)
    kpi_measure_ids: list[uuid.UUID] | None = Field(default=None, max_length=50)
    owner: Short | None = None


class ObjectiveRead(RetiredRead, Read):
    id: uuid.UUID
    number: int
    statement: str
    council_plan: bool
    priority_ids: list[uuid.UUID]
    kpi_measure_ids: list[uuid.UUID]
    owner: str
    version: int
