"""The gateway app: authenticates, routes `/api/v1/<service>/...`, serves the web UI at `/`."""

import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http.cookiejar import Cookie, CookieJar, DefaultCookiePolicy
from typing import Any

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from common.audit import AuditTallyMiddleware
from common.db import Database, make_engine
from common.errors import PROBLEM_RESPONSES, install_error_handlers, problem
from common.identity import sign_identity
from common.logs import install_request_logging
from common.service_app import health_router, require_signing_key
from common.settings import SERVICES, Settings, get_settings
from gateway import admin, resets, sessions, sso
from gateway.accounts import utcnow
from gateway.auth import Authenticator, development_authenticator, sign_in_authenticator
from gateway.guard import install_guard
from gateway.hardening import (
    BodySizeLimit,
    RateLimitByAddress,
    RateLimiter,
    SecurityHeaders,
    docs_content_security_policy,
)
from gateway.idempotency import HEADER as IDEMPOTENCY_HEADER
from gateway.idempotency import idempotent
from gateway.openapi import merged_openapi
from gateway.proxy import forward
from gateway.router import router

WEB = "web"


def create_app(
    settings: Settings | None = None,
    database: Database | None = None,
    transports: dict[str, httpx.AsyncBaseTransport] | None = None,
    authenticator: Authenticator | None = None,
) -> FastAPI:
    """`transports` replaces the network for named upstreams (in-process tests); `authenticator`
    replaces sign-in (tests, or `DEV_IDENTITY=true` in development)."""
    settings = settings or get_settings()
    require_signing_key(settings)
    database = database or Database(make_engine(settings.database_url, pool_size=5))
    if authenticator is None:
        authenticator = (
            development_authenticator(settings)
            if settings.dev_identity
            else sign_in_authenticator(settings, database)
        )
    transports = transports or {}
    base_urls = {name: settings.service_url(name) for name in SERVICES} | {WEB: settings.web_url}
    # Generous pools: the gateway multiplexes every caller onto these connections.
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
    upstreams = {
        name: httpx.AsyncClient(
            base_url=url,
            transport=transports.get(name),
            timeout=settings.upstream_timeout_seconds,
            limits=limits,
            # Shared by every caller: a Set-Cookie passing through must never be kept and replayed.
            cookies=CookieJar(policy=_KeepNoCookies()),
        )
        for name, url in base_urls.items()
    }

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        for client in upstreams.values():
            await client.aclose()
        database.dispose()

    app = FastAPI(
        title="ASC Tracker API",
        description="Adult Social Care service plan: KPIs, projects, savings and budgets.",
        version="1.0.0",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.upstreams = upstreams
    app.state.clock = utcnow
    """Replaceable in tests, to reach a session's idle or absolute end without waiting."""
    install_error_handlers(app)
    # Counted in PostgreSQL, so that every gateway process shares each limit.
    key_limiter = RateLimiter(database, "key", settings.rate_limit_per_key_per_minute)
    address_limiter = RateLimiter(database, "address", settings.rate_limit_per_address_per_minute)
    app.state.rate_limiters = {
        "key": key_limiter,
        "address": address_limiter,
        "sign_in": RateLimiter(
            database, "sign_in", settings.sign_in_attempts_per_address_per_minute
        ),
    }
    # Added innermost first: the request passes logging, headers, body limit, address limit, then
    # the guard (authentication, per-key limit, CSRF, roles) before any route.
    install_guard(app, authenticator, key_limiter)
    app.add_middleware(
        RateLimitByAddress, limiter=address_limiter, trusted_proxies=settings.trusted_proxies
    )
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        import_max_bytes=settings.import_body_bytes(),
    )
    app.add_middleware(SecurityHeaders, https_only=settings.https_only)
    app.add_middleware(AuditTallyMiddleware)
    install_request_logging(app)  # outermost: the request id is set before anything else runs
    app.include_router(health_router(database))
    app.include_router(router, responses=PROBLEM_RESPONSES)
    app.include_router(sessions.router, responses=PROBLEM_RESPONSES)
    app.include_router(admin.router, responses=PROBLEM_RESPONSES)
    app.include_router(resets.router, responses=PROBLEM_RESPONSES)
    app.include_router(sso.router)

    def own_openapi() -> dict[str, Any]:
        from fastapi.openapi.utils import get_openapi

        return get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )

    @app.get("/api/v1/openapi.json", include_in_schema=False)
    async def openapi() -> JSONResponse:
        services = {name: upstreams[name] for name in SERVICES}
        return JSONResponse(await merged_openapi(own_openapi(), services))

    @app.get("/api/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        page = get_swagger_ui_html(openapi_url="/api/v1/openapi.json", title="ASC Tracker API")
        # Swagger UI comes from its CDN: this page alone gets a policy that allows that.
        page.headers["Content-Security-Policy"] = docs_content_security_policy(
            bytes(page.body).decode()
        )
        return page

    @app.api_route(
        "/api/v1/{service}/{path:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
        include_in_schema=False,
    )
    async def to_service(service: str, path: str, request: Request) -> Response:
        if service not in SERVICES:
            return problem(404, "Not Found", "There is no such API.", instance=request.url.path)

        async def send() -> Response:
            return await forward(
                request,
                upstreams[service],
                upstream_name=service,
                path="/" + path,
                identity_token=_token(request, settings),
            )

        caller = request.state.caller
        if request.method == "POST" and IDEMPOTENCY_HEADER in request.headers and caller:
            return await idempotent(request, caller, database, send)
        return await send()

    @app.api_route(
        "/{path:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"],
        include_in_schema=False,
    )
    async def to_web(path: str, request: Request) -> Response:
        if path.startswith("api/"):
            return problem(404, "Not Found", "There is no such API.", instance=request.url.path)
        return await forward(
            request,
            upstreams[WEB],
            upstream_name=WEB,
            path="/" + path,
            identity_token=_token(request, settings, with_csrf=True),
        )

    return app


class _KeepNoCookies(DefaultCookiePolicy):
    def set_ok(self, cookie: Cookie, request: urllib.request.Request) -> bool:
        return False


def _token(request: Request, settings: Settings, *, with_csrf: bool = False) -> str | None:
    caller = request.state.caller
    if caller is None:
        return None
    if not with_csrf:
        caller = caller.model_copy(update={"csrf": None})  # only the web app renders it
    return sign_identity(
        caller,
        settings.identity_signing_key.get_secret_value(),
        ttl_seconds=settings.identity_token_ttl_seconds,
    )
