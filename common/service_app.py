"""The one way a back-end service app is assembled: the same health, errors, logs and state."""

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse

from common.audit import AUDIT_TABLES, AuditTallyMiddleware, audit_router
from common.conditional import ConditionalGet
from common.db import Database, make_engine
from common.errors import PROBLEM_RESPONSES, Problem, install_error_handlers, problem
from common.http import ServiceClients
from common.identity import signing_key_problem
from common.logs import install_request_logging
from common.openapi import document_http_contract, operation_id
from common.settings import Settings, get_settings


def require_signing_key(settings: Settings) -> None:
    """Refuse to start with a short or guessable key, or tokens meant to outlive the maximum."""
    if problem := signing_key_problem(settings.identity_signing_key.get_secret_value()):
        raise RuntimeError(f"{problem} (`make run` makes one for you.)")
    if settings.identity_token_ttl_seconds > settings.identity_token_max_ttl_seconds:
        raise RuntimeError(
            "IDENTITY_TOKEN_TTL_SECONDS must not exceed IDENTITY_TOKEN_MAX_TTL_SECONDS."
        )


def api_app(
    *,
    title: str,
    description: str,
    settings: Settings,
    database: Database,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]],
    **options: Any,
) -> FastAPI:
    """A FastAPI app made as every part of the API is: version 1.0.0, no docs pages of its own
    (the gateway serves them, for the merged document), operation ids from the route functions'
    names, and its settings and database in its state."""
    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        **options,
    )
    app.state.settings = settings
    app.state.database = database
    return app


def create_service_app(
    name: str,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    settings: Settings | None = None,
    database: Database | None = None,
    clients: ServiceClients | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    require_signing_key(settings)
    if database is None:
        database = Database(
            make_engine(
                settings.database_url,
                role=settings.database_role,
                transaction_pooling=settings.database_transaction_pooling,
            )
        )
    db = database

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.clients.close()
        db.dispose()

    app = api_app(
        title=title,
        description=description,
        settings=settings,
        database=database,
        lifespan=lifespan,
    )
    app.state.name = name
    app.state.clients = clients or ServiceClients(settings)
    install_error_handlers(app, public_prefix=f"/api/v1/{name}")
    app.add_middleware(AuditTallyMiddleware)
    app.add_middleware(ConditionalGet)
    install_request_logging(app)
    app.include_router(health_router(database))
    for router in routers:
        app.include_router(router, responses=PROBLEM_RESPONSES)
    if name in AUDIT_TABLES:
        app.include_router(audit_router(name), responses=PROBLEM_RESPONSES)
    _document_problem(app)
    return app


def health_router(database: Database | None) -> APIRouter:
    router = APIRouter(tags=["health"], include_in_schema=False)

    @router.get("/healthz")
    def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @router.get("/readyz")
    def readyz() -> JSONResponse:
        """The process can serve: its database answers."""
        if database is not None:
            try:
                database.ping()
            except Exception:
                return problem(503, "Service Unavailable", "The database is not reachable.")
        return JSONResponse({"status": "ready"})

    return router


def _document_problem(app: FastAPI) -> None:
    original = app.openapi

    def openapi() -> dict[str, object]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = document_http_contract(app, original())
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = Problem.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        components.update(components["Problem"].pop("$defs", {}))
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
