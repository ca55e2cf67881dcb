"""API shapes of the scorecard and a measure's series."""

from pydantic import BaseModel, Field

from services.kpi.actuals.schemas import ActualRead
from services.kpi.benchmarks.schemas import BenchmarkRead
from services.kpi.fields import Number
from services.kpi.measures.schemas import MeasureRead
from services.kpi.scorecard.rules import Direction, Rag
from services.kpi.targets.schemas import TargetRead


class Status(BaseModel):
    """A measure in one period: what was compared, and what it says."""

    period: str
    label: str
    target: Number | None
    actual: Number | None = Field(description="The figure judged: year to date when cumulative.")
    period_actual: Number | None = Field(description="The period's own reported figure.")
    rag: Rag
    direction_previous: Direction
    direction_last_year: Direction


class ScorecardRow(Status):
    measure: MeasureRead
    trend: list[Number | None]
    trend_periods: list[str]
    entry: ActualRead | None = Field(description="The period's actual in any state, if any.")


class Scorecard(BaseModel):
    period: str
    items: list[ScorecardRow]
    total: int
    limit: int
    offset: int
    counts: dict[str, int]


class SeriesPoint(Status):
    status: str | None
    commentary: str


class Series(BaseModel):
    measure: MeasureRead
    points: list[SeriesPoint]
    targets: list[TargetRead]
    benchmarks: list[BenchmarkRead]
