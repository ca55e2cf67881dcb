"""The finance service app."""

from fastapi import FastAPI

from common.db import Database
from common.http import ServiceClients
from common.service_app import create_service_app
from common.settings import Settings
from services.finance.benefits.router import router as benefits_router
from services.finance.budgets.router import router as budgets_router
from services.finance.imports.router import router as imports_router
from services.finance.imports.router import saved_mappings
from services.finance.library.router import router as library_router
from services.finance.reconciliations.router import router as reconciliations_router
from services.finance.savings.router import router as savings_router
from services.finance.tasks.router import router as tasks_router


def create_app(
    settings: Settings | None = None,
    database: Database | None = None,
    clients: ServiceClients | None = None,
) -> FastAPI:
    return create_service_app(
        "finance",
        title="ASC Tracker finance service",
        description="Budget monitoring and savings tracking.",
        routers=[
            budgets_router,
            savings_router,
            benefits_router,
            imports_router,
            saved_mappings,
            library_router,
            reconciliations_router,
            tasks_router,
        ],
        settings=settings,
        database=database,
        clients=clients,
    )
