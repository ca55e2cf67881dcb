"""The KPI service app."""

from functools import partial

from common.service_app import create_service_app
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

create_app = partial(
    create_service_app,
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
)
"""`create_app(settings=…, database=…, clients=…)`: what is left out, `create_service_app`
makes from the environment."""
