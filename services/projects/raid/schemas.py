"""API shapes of RAID logs (risks, assumptions, issues and dependencies of projects)."""

import uuid
from datetime import date

from pydantic import Field

from common.dates import PlanDate
from services.projects.portfolio.rules import Rag
from services.projects.raid.rules import RaidKind, RaidStatus
from services.projects.schemas import Input, Name, Read, Score, Short, Text


class RaidItemCreate(Input):
    project_id: uuid.UUID
    kind: RaidKind
    title: Name
    description: Text = ""
    likelihood: Score
    impact: Score
    owner: Short = ""
    mitigation: Text = ""
    status: RaidStatus = RaidStatus.OPEN
    review_date: PlanDate | None = None


class RaidItemUpdate(Input):
    kind: RaidKind | None = None
    title: Name | None = None
    description: Text | None = None
    likelihood: Score | None = None
    impact: Score | None = None
    owner: Short | None = None
    mitigation: Text | None = None
    status: RaidStatus | None = None
    review_date: PlanDate | None = None


class RaidItemRead(Read):
    id: uuid.UUID
    project_id: uuid.UUID
    kind: RaidKind
    title: str
    description: str
    likelihood: int
    impact: int
    owner: str
    mitigation: str
    status: RaidStatus
    review_date: date | None
    version: int
    score: int = Field(description="Derived: likelihood times impact.")
    severity: Rag = Field(description="Derived: red 15+, amber 8 to 14, green below 8.")
