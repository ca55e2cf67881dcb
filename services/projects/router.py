"""Every HTTP route of the projects service, by sub-domain."""

from services.projects.highlights.router import reports
from services.projects.improvement.router import actions
from services.projects.milestones.router import milestones
from services.projects.plan.router import objectives, priorities
from services.projects.portfolio.router import portfolio, programmes, projects
from services.projects.raid.router import raid

ROUTERS = (
    priorities,
    objectives,
    programmes,
    projects,
    milestones,
    reports,
    raid,
    actions,
    portfolio,
)
