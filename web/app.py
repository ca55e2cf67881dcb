"""The web app: server-rendered pages that read and write through the gateway's API."""

import importlib
import pkgutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

import web.views
from common.logs import install_request_logging
from common.service_app import health_router, require_signing_key
from common.settings import Settings, get_settings
from web.clients.gateway import ApiError, UpstreamDown
from web.rendering import render
from web.roles import area_of_path, refusal
from web.views import dashboard, placeholders
from web.views.auth import install_kept_forms
from web.views.platform import send_platform_admins_to_their_pages

STATIC = Path(__file__).parent / "static"


def create_app(
    settings: Settings | None = None,
    gateway_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """`gateway_transport` replaces the network to the gateway (in-process tests)."""
    settings = settings or get_settings()
    require_signing_key(settings)  # it checks the gateway's signature on every page's caller
    gateway = httpx.AsyncClient(
        base_url=settings.gateway_url,
        transport=gateway_transport,
        timeout=settings.upstream_timeout_seconds,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await gateway.aclose()

    app = FastAPI(
        title="ASC Tracker web", openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan
    )
    app.state.settings = settings
    app.state.gateway = gateway
    install_kept_forms(app)
    send_platform_admins_to_their_pages(app)
    install_request_logging(app)  # outermost: the request id is set first
    app.include_router(health_router(None))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(dashboard.router)
    # Every module in web/views with a `router` is a group of pages; placeholders go last so a
    # real page always wins over its placeholder.
    for module_info in pkgutil.iter_modules(web.views.__path__):
        if module_info.name not in {"dashboard", "placeholders"}:
            module = importlib.import_module(f"web.views.{module_info.name}")
            if hasattr(module, "router"):
                app.include_router(module.router)
    app.include_router(placeholders.router)
    install_error_pages(app)
    return app


def install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return render(request, "errors/404.html", {"me": None}, status_code=404)
        if exc.status_code == 403:
            return _forbidden(request)
        return render(
            request,
            "errors/500.html",
            {"me": None, "message": str(exc.detail)},
            status_code=exc.status_code,
        )

    @app.exception_handler(ApiError)
    async def _refused(request: Request, exc: ApiError) -> Response:
        # A record the API does not know (or another council's, which it will not name) is a
        # page that does not exist, wherever a view lets the API's 404 through; any other
        # refusal a view did not handle is still a failure.
        if exc.status == 401:
            # Nobody the gateway knows (the page was reached without it, or the session ended
            # while the page was being made): the sign-in page, as the gateway would answer.
            return _sign_in_first(request)
        if exc.status == 404:
            return render(request, "errors/404.html", {"me": None}, status_code=404)
        if exc.status == 403:
            return _forbidden(request)
        raise exc

    @app.exception_handler(RequestValidationError)
    async def _bad_address(request: Request, exc: RequestValidationError) -> HTMLResponse:
        # A page's address with an id that is not an id, or a query a link never makes:
        # no such page, never the raw validation JSON.
        return render(request, "errors/404.html", {"me": None}, status_code=404)

    def _forbidden(request: Request) -> HTMLResponse:
        action, area = area_of_path(request.url.path)
        return render(
            request,
            "errors/403.html",
            {"me": None, "message": refusal(action, area)},
            status_code=403,
        )

    def _sign_in_first(request: Request) -> Response:
        target = "/sign-in"
        if request.method in ("GET", "HEAD"):
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            target += "?next=" + quote(here, safe="")
        response = RedirectResponse(target, status_code=303)
        if request.headers.get("hx-request") == "true":
            response.headers["HX-Redirect"] = target
        return response

    @app.exception_handler(UpstreamDown)
    async def _down(request: Request, exc: UpstreamDown) -> HTMLResponse:
        return render(
            request, "errors/unavailable.html", {"me": None, "what": exc.what}, status_code=503
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> HTMLResponse:
        return render(request, "errors/500.html", {"me": None}, status_code=500)
