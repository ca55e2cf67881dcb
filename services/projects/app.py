"""The projects service app."""

from fastapi import FastAPI

from common.db import Database
from common.http import ServiceClients
from common.service_app import create_service_app
from common.settings import Settings
from services.projects.imports.router import router as imports_router
from services.projects.router import ROUTERS


def create_app(
    settings: Settings | None = None,
    database: Database | None = None,
    clients: ServiceClients | None = None,
) -> FastAPI:
    return create_service_app(
        "projects",
        title="ASC Tracker projects service",
        description=(
            "Objectives, projects, milestones, highlight reports, RAID and improvement actions."
        ),
        routers=[*ROUTERS, imports_router],
        settings=settings,
        database=database,
        clients=clients,
    )
