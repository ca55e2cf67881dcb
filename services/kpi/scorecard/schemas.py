"""API shapes of the scorecard and a measure's series."""

from datetime import date

from pydantic import BaseModel, Field

from services.kpi.actuals.schemas import ActualRead
from services.kpi.benchmarks.schemas import BenchmarkRead
from services.kpi.fields import Number
from services.kpi.measures.schemas import MeasureRead
from services.kpi.scorecard.rules import Direction, Rag, Travel
from services.kpi.targets.schemas import TargetRead


class Status(BaseModel):
    """A measure in one period: what was compared, and what it says."""

    period: str
    label: str
    target: Number | None
    actual: Number | None = Field(description="The figure judged: year to date when cumulative.")
    period_actual: Number | None = Field(description="The period's own reported figure.")
    actual_display: str | None = Field(
        description="`actual` as shown: rounded to the measure's decimal places."
    )
    target_display: str | None = Field(
        description="`target` as shown: rounded to the measure's decimal places."
    )
    period_actual_display: str | None = Field(
        description="`period_actual` as shown: rounded to the measure's decimal places."
    )
    rag: Rag
    direction_previous: Direction
    direction_last_year: Direction


class ScorecardRow(Status):
    year_end_forecast: Number | None = Field(
        description="Where the year is heading on its trajectory so far: a cumulative measure at "
        "its rate to date, a flat one along the straight line through this year's figures."
    )
    year_end_forecast_display: str | None
    year_end_rag: Rag = Field(description="The RAG the forecast gives against the year-end target.")
    measure: MeasureRead
    trend: list[Number | None]
    trend_periods: list[str]
    entry: ActualRead | None = Field(description="The period's actual in any state, if any.")


class Scorecard(BaseModel):
    period: str
    as_at: date | None = Field(default=None, description="The day the figures are as at, if asked.")
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


class AreaStatus(BaseModel):
    """One service area's measures by RAG in the period and the period before, and which way
    the area is heading."""

    service_area: str = Field(description='"" for measures with no service area.')
    measures: int
    counts: dict[str, int] = Field(description="Active measures by RAG in the period.")
    previous_counts: dict[str, int] = Field(
        description="The same measures by RAG, each in its own period before."
    )
    improved: int = Field(description="Measures whose RAG moved up (Red → Amber → Green).")
    worsened: int = Field(description="Measures whose RAG moved down.")
    direction: Travel


class ServiceAreas(BaseModel):
    period: str
    label: str
    previous_label: str = Field(description="The month before, as the direction compares to.")
    areas: list[AreaStatus]
