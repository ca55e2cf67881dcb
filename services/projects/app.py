"""The projects service app."""

from functools import partial

from fastapi import APIRouter, Depends

from common.service_app import create_service_app
from services.projects.deps import plan_editors_write
from services.projects.highlights.router import reports
from services.projects.imports.router import router as imports_router
from services.projects.imports.router import saved_mappings
from services.projects.improvement.router import actions
from services.projects.milestones.router import milestones
from services.projects.plan.router import objectives, priorities
from services.projects.portfolio.router import portfolio, programmes, projects
from services.projects.raid.router import raid
from services.projects.tasks.router import router as tasks_router


def guarded_imports() -> APIRouter:
    """The table imports write whole plans at once: the programme office and administrators
    (and they alone forget the column mappings those imports saved)."""
    guarded = APIRouter(dependencies=[Depends(plan_editors_write("import tables"))])
    guarded.include_router(imports_router)
    guarded.include_router(saved_mappings)
    return guarded


create_app = partial(
    create_service_app,
    "projects",
    title="ASC Tracker projects service",
    description=(
        "Objectives, projects, milestones, highlight reports, RAID and improvement actions."
    ),
    routers=[
        priorities,
        objectives,
        programmes,
        projects,
        milestones,
        reports,
        raid,
        actions,
        portfolio,
        guarded_imports(),
        tasks_router,
    ],
)
"""`create_app(settings=…, database=…, clients=…)`: what is left out, `create_service_app`
makes from the environment."""
