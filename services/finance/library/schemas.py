"""API shapes of the savings library across councils."""

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from common.money import Money
from services.finance.library.rules import Theme
from services.finance.schemas import INPUT

Source = Literal["published", "council"]


class ThemeRead(BaseModel):
    theme: Theme
    label: str


class LibrarySettingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    share_savings: bool = Field(
        description="This council's savings lines are in the library for other councils (only "
        "their theme, description, amounts, year and status). Off until the council says so."
    )
    council_name: str = Field(description="The name other councils see beside the lines.")
    adult_population: int | None = Field(
        description="The adult population (18+) the library divides by for figures per head."
    )
    version: int


class LibrarySettingSet(BaseModel):
    model_config = INPUT

    share_savings: bool
    council_name: str = Field(default="", max_length=200)
    adult_population: int | None = Field(default=None, ge=1, le=100_000_000)


class LibraryLine(BaseModel):
    """A saving in the library: a published record with its source, or a line a council shares."""

    source: Source
    council: str
    theme: Theme
    theme_label: str
    description: str
    area: str = Field(description="The theme or area as a published table wrote it.")
    financial_year: str
    planned: Money | None
    achieved: Money | None
    status: str
    source_document: str = Field(description="The published document (published records).")
    page: str = Field(description="The page of that document it is on.")
    table_id: uuid.UUID | None = Field(description="The published table it was imported with.")
    your_council: bool = Field(description="One of your own council's shared lines.")


class CouncilYearTotal(BaseModel):
    """One council's savings on the theme in one year: planned and achieved kept apart."""

    council: str
    financial_year: str
    lines: int
    planned: Money
    achieved: Money
    adult_population: int | None
    planned_per_head: Money | None = Field(description="Per head of adult population.")
    achieved_per_head: Money | None = Field(description="Per head of adult population.")


class LibraryPage(BaseModel):
    """What other councils saved: the lines that match, totals by council and year, and each
    published table's stated totals that disagree with its lines."""

    theme: Theme | None
    theme_label: str
    financial_year: str | None
    items: list[LibraryLine]
    total: int
    limit: int
    offset: int
    totals: list[CouncilYearTotal]
    reconciliations: list[dict[str, Any]] = Field(
        description="Stated totals of the published tables shown that disagree with their lines "
        "(stated and lines side by side, with the message)."
    )


class PublishedTableRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    source_document: str
    filename: str
    sheet: str
    imported_by: str
    imported_at: datetime
    lines: int
    reconciliations: list[dict[str, Any]]


class CouncilByTheme(BaseModel):
    council: str
    by_theme: dict[Theme, Money] = Field(description="Theme → amount; themes with none left out.")
    total: Money


class ThemeTable(BaseModel):
    """Councils down, themes across: each council's achieved (or planned) savings on each theme.
    Planned and achieved are never added together."""

    financial_year: str | None
    amount: Literal["achieved", "planned"]
    themes: list[ThemeRead]
    councils: list[CouncilByTheme]
