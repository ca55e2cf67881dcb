"""API shapes of highlight reports, a project's monthly report with its history kept."""

import uuid
from datetime import date

from pydantic import Field

from services.projects.portfolio.rules import Rag
from services.projects.schemas import Input, PeriodCode, Read, Short, Text


class HighlightReportCreate(Input):
    project_id: uuid.UUID
    period: PeriodCode = Field(description='The reporting month, e.g. "2025-04".')
    rag: Rag
    summary: str = Field(min_length=1, max_length=4000)
    achievements: Text = ""
    next_steps: Text = ""
    issues: Text = ""
    decisions_needed: Text = ""
    author: Short | None = Field(default=None, description="Defaults to the signed-in person.")


class HighlightReportUpdate(Input):
    rag: Rag | None = None
    summary: str | None = Field(default=None, min_length=1, max_length=4000)
    achievements: Text | None = None
    next_steps: Text | None = None
    issues: Text | None = None
    decisions_needed: Text | None = None
    author: Short | None = None


class HighlightReportRead(Read):
    id: uuid.UUID
    project_id: uuid.UUID
    period: str
    period_start: date
    rag: Rag
    summary: str
    achievements: str
    next_steps: str
    issues: str
    decisions_needed: str
    author: str
    version: int
