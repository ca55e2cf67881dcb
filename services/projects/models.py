"""Every table of the `projects` schema, registered on the one `Base` (migrations import this)."""

from services.projects.base import Base
from services.projects.highlights.models import HighlightReport
from services.projects.imports.models import SavedMapping
from services.projects.improvement.models import ImprovementAction
from services.projects.milestones.models import Milestone
from services.projects.plan.models import Objective, Priority
from services.projects.portfolio.models import Programme, Project
from services.projects.raid.models import RaidItem

__all__ = [
    "Base",
    "HighlightReport",
    "ImprovementAction",
    "Milestone",
    "Objective",
    "Priority",
    "Programme",
    "Project",
    "RaidItem",
    "SavedMapping",
]
