"""The finance service app."""

from functools import partial

from common.service_app import create_service_app
from services.finance.benefits.router import router as benefits_router
from services.finance.budgets.router import router as budgets_router
from services.finance.imports.router import router as imports_router
from services.finance.imports.router import saved_mappings
from services.finance.library.router import router as library_router
from services.finance.reconciliations.router import router as reconciliations_router
from services.finance.savings.router import router as savings_router
from services.finance.tasks.router import router as tasks_router

create_app = partial(
    create_service_app,
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
)
"""`create_app(settings=…, database=…, clients=…)`: what is left out, `create_service_app`
makes from the environment."""
