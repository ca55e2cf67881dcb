"""The gateway app: authenticates, routes `/api/v1/<service>/...`, serves the web UI at `/`."""

import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http.cookiejar import Cookie, CookieJar, DefaultCookiePolicy
from typing import Any

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from common.audit import AuditTallyMiddleware
from common.db import Database, make_engine
from common.errors import PROBLEM_RESPONSES, install_error_handlers, problem
from common.identity import is_platform_data, sign_identity
from common.logs import install_request_logging
from common.openapi import document_http_contract
from common.service_app import api_app, health_router, require_signing_key
from common.settings import SERVICES, Settings, get_settings
from gateway import admin, owners, platform, reminders, resets, sessions, sso, tasks
from gateway.accounts import digest, utcnow
from gateway.auth import (
    Authenticator,
    development_authenticator,
    presented_key,
    session_cookie_name,
    sign_in_authenticator,
)
from gateway.guard import Limits, install_guard
from gateway.hardening import (
    BatchedRateLimiter,
    BodySizeLimit,
    RateLimitByAddress,
    RateLimiter,
    SecurityHeaders,
    TrustedProxies,
    warn_if_https_only_is_off,
)
from gateway.idempotency import HEADER as IDEMPOTENCY_HEADER
from gateway.idempotency import idempotent
from gateway.openapi import fetch_and_merge
from gateway.pagepass import PAGE_PASS_HEADER, PagePasses, watch_sessions
from gateway.proxy import forward
from gateway.router import router

WEB = "web"
API_DOCS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>ASC Tracker API</title>
  <link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
  <link rel="stylesheet" href="/static/api-docs.css">
</head>
<body>
  <header class="api-docs-header"><h1>ASC Tracker API</h1></header>
  <main id="swagger-ui" data-openapi-url="/api/v1/openapi.json"></main>
  <script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script src="/static/api-docs.js"></script>
</body>
</html>
"""


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
    warn_if_https_only_is_off(settings)
    database = database or Database(
        make_engine(
            settings.database_url,
            pool_size=5,
            transaction_pooling=settings.database_transaction_pooling,
        )
    )
    passes = PagePasses(
        settings.identity_signing_key.get_secret_value(), settings.upstream_timeout_seconds
    )
    watch_sessions(database, passes)
    if authenticator is None:
        authenticator = (
            development_authenticator(settings)
            if settings.dev_identity
            else sign_in_authenticator(settings, database, passes)
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

    app = api_app(
        title="ASC Tracker API",
        description="Adult Social Care service plan: KPIs, projects, savings and budgets.",
        settings=settings,
        database=database,
        lifespan=lifespan,
        openapi_url=None,  # served below: the merged document of the whole API
    )
    app.state.upstreams = upstreams
    app.state.clock = utcnow
    """Replaceable in tests, to reach a session's idle or absolute end without waiting."""
    install_error_handlers(app)
    # Counted in memory and shared through PostgreSQL in batches; sign-in attempts exactly.
    flush = settings.rate_limit_flush_seconds
    key_limiter = BatchedRateLimiter(
        database, "key", settings.rate_limit_per_key_per_minute, flush_seconds=flush
    )
    address_limiter = BatchedRateLimiter(
        database, "address", settings.rate_limit_per_address_per_minute, flush_seconds=flush
    )
    app.state.page_passes = passes
    app.state.rate_limiters = {
        "key": key_limiter,
        "address": address_limiter,
        "sign_in": RateLimiter(
            database, "sign_in", settings.sign_in_attempts_per_address_per_minute
        ),
    }
    # Added innermost first: the request passes logging, headers, body limit, address limit, then
    # the guard (authentication, per-key limit, CSRF, roles) before any route.
    install_guard(app, authenticator, Limits(key_limiter, address_limiter, passes))
    app.add_middleware(
        RateLimitByAddress,
        limiter=address_limiter,
        passes=passes,
    )
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        import_max_bytes=settings.import_body_bytes(),
    )
    app.add_middleware(SecurityHeaders, https_only=settings.https_only)
    app.add_middleware(AuditTallyMiddleware)
    install_request_logging(app)  # the request id is set before anything else runs
    # Outermost: every layer and route sees the client's address as decided here, once.
    app.add_middleware(TrustedProxies, trusted_proxies=settings.trusted_proxies)
    app.include_router(health_router(database))
    app.include_router(router, responses=PROBLEM_RESPONSES)
    app.include_router(tasks.router, responses=PROBLEM_RESPONSES)
    app.include_router(owners.router, responses=PROBLEM_RESPONSES)
    app.include_router(reminders.router, responses=PROBLEM_RESPONSES)
    app.include_router(sessions.router, responses=PROBLEM_RESPONSES)
    app.include_router(admin.router, responses=PROBLEM_RESPONSES)
    app.include_router(resets.router, responses=PROBLEM_RESPONSES)
    app.include_router(platform.router, responses=PROBLEM_RESPONSES)
    app.include_router(sso.router)

    def own_openapi() -> dict[str, Any]:
        from fastapi.openapi.utils import get_openapi

        document = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        return document_http_contract(app, document)

    @app.get("/api/v1/openapi.json", include_in_schema=False)
    async def openapi() -> JSONResponse:
        services = {name: upstreams[name] for name in SERVICES}
        return JSONResponse(await fetch_and_merge(own_openapi(), services))

    @app.get("/api/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        """Swagger UI from the product's own static files, so the page works offline and keeps
        the app's Content-Security-Policy."""
        return HTMLResponse(API_DOCS_PAGE)

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
                identity_token=_token(request, settings, audience=service),
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
        caller = request.state.caller
        return await forward(
            request,
            upstreams[WEB],
            upstream_name=WEB,
            path="/" + path,
            identity_token=_token(request, settings, audience=WEB, with_csrf=True),
            # The page is counted; the web app's API calls for it, under this pass, are not.
            extra_headers={PAGE_PASS_HEADER: _page_pass(request, settings, passes)}
            if caller
            else None,
        )

    return app


class _KeepNoCookies(DefaultCookiePolicy):
    def set_ok(self, cookie: Cookie, request: urllib.request.Request) -> bool:
        return False


def _page_pass(request: Request, settings: Settings, passes: PagePasses) -> str:
    """The pass for this page's inner calls; for a person signed in by a session cookie (not a
    key) it also carries them, bound to that cookie, so their calls are not looked up again."""
    secret = request.cookies.get(session_cookie_name(settings))
    signed_in_by_cookie = secret and request.state.key_scope is None and not presented_key(request)
    session = digest(secret) if secret and signed_in_by_cookie else None
    return passes.mint(request.state.caller, session=session)


def _token(
    request: Request, settings: Settings, *, audience: str, with_csrf: bool = False
) -> str | None:
    """The caller, signed for `audience` alone (a token for kpi is refused by finance)."""
    caller = request.state.caller
    if caller is None or (
        caller.platform_admin
        and audience != WEB
        and not is_platform_data(request.method, request.url.path)
    ):
        return None  # a platform administrator gets an identity for platform data alone
    if not with_csrf:
        caller = caller.model_copy(update={"csrf": None})  # only the web app renders it
    return sign_identity(
        caller,
        settings.identity_signing_key.get_secret_value(),
        audience=audience,
        ttl_seconds=settings.identity_token_ttl_seconds,
    )
