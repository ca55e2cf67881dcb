"""The KPI service app."""

from fastapi import FastAPI

from common.db import Database
from common.http import ServiceClients
from common.service_app import create_service_app
from common.settings import Settings
from services.kpi.actuals.router import router as actuals_router
from services.kpi.benchmarks.router import router as benchmarks_router
from services.kpi.imports.router import router as imports_router
from services.kpi.imports.router import saved_mappings
from services.kpi.library.router import router as library_router
from services.kpi.measures.router import router as measures_router
from services.kpi.populations.router import router as populations_router
from services.kpi.scorecard.router import router as scorecard_router
from services.kpi.targets.router import router as targets_router
from services.kpi.tasks.router import router as tasks_router


def create_app(
    settings: Settings | None = None,
    database: Database | None = None,
    clients: ServiceClients | None = None,
) -> FastAPI:
    return create_service_app(
        "kpi",
        title="ASC Tracker KPI service",
        description="Measures, targets, actuals, RAG status and trends.",
        routers=[
            measures_router,
            scorecard_router,
            targets_router,
            actuals_router,
            populations_router,
            benchmarks_router,
            imports_router,
            saved_mappings,
            library_router,
            tasks_router,
        ],
        settings=settings,
        database=database,
        clients=clients,
    )
