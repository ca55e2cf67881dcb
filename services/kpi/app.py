"""The KPI service app."""

from fastapi import FastAPI

from common.db import Database
from common.http import ServiceClients
from common.service_app import create_service_app
from common.settings import Settings
from services.kpi.imports.router import router as imports_router
from services.kpi.router import router


def create_app(
    settings: Settings | None = None,
    database: Database | None = None,
    clients: ServiceClients | None = None,
) -> FastAPI:
    return create_service_app(
        "kpi",
        title="ASC Tracker KPI service",
        description="Measures, targets, actuals, RAG status and trends.",
        routers=[router, imports_router],
        settings=settings,
        database=database,
        clients=clients,
    )
