"""Platform administration pages: the councils on this deployment, adding one with its first
administrator, disabling and enabling one.

Platform administrators only (they have no council, so no other page is theirs: the web app
sends them here). Every change goes through the platform API, which checks again.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from web.clients.gateway import ApiError
from web.clients.platform_api_client import PlatformApi
from web.rendering import render, render_once
from web.views.admin import _errors, _site
from web.views.auth import page_caller, when

router = APIRouter(prefix="/platform")
FIELDS = ("name", "slug", "admin_email", "admin_name")
THEIRS = ("/platform", "/account/", "/session/", "/sign-in", "/reset-password", "/static/")
"""Pages a platform administrator may open: these, their own account, and signing in."""


def send_platform_admins_to_their_pages(app: FastAPI) -> None:
    """Every council page sends a platform administrator to the councils instead: they have no
    council (the API would refuse them each of its reads anyway)."""

    @app.middleware("http")
    async def elsewhere(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        path = request.url.path
        if not path.startswith(THEIRS) and path not in ("/healthz", "/readyz"):
            caller = page_caller(request)
            if caller is not None and caller.platform_admin:
                response = RedirectResponse("/platform", status_code=303)
                if request.headers.get("hx-request") == "true":
                    response.headers["HX-Redirect"] = "/platform"
                return response
        return await call_next(request)


def require_platform_admin(request: Request) -> None:
    caller = page_caller(request)
    if caller is None or not caller.platform_admin:
        raise StarletteHTTPException(403, "Only a platform administrator can see this page.")


PlatformAdmin = Depends(require_platform_admin)


def _context(**extra: Any) -> dict[str, Any]:
    # No council: the header shows none, and the menu is the platform's.
    return {"me": None, "platform": True, "nav": "platform", "when": when, **extra}


@router.get("", response_class=HTMLResponse, dependencies=[PlatformAdmin])
async def councils(request: Request, api: PlatformApi) -> HTMLResponse:
    listed = await api.councils()
    return render(request, "platform/councils.html", _context(title="Councils", councils=listed))


@router.get("/councils/new", response_class=HTMLResponse, dependencies=[PlatformAdmin])
async def new_council(request: Request) -> HTMLResponse:
    context = _context(title="Add a council", council={}, errors={})
    return render(request, "platform/council_form.html", context)


@router.post("/councils/new", response_class=HTMLResponse, dependencies=[PlatformAdmin])
async def create_council(request: Request, api: PlatformApi) -> Response:
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in FIELDS}
    body = {k: v for k, v in values.items() if v or k != "admin_name"}
    try:
        created = await api.add_council(body)
    except ApiError as error:
        context = _context(title="Add a council", council=values, errors=_errors(error))
        return render(request, "platform/council_form.html", context, status_code=422)
    context = _context(
        title="Council added",
        created=created,
        link=_site(request) + created.password_reset.path,
        expires=when(created.password_reset.expires_at),
    )
    # Shown once, on this response only: only the link's digest is stored.
    return render_once(request, "platform/council_created.html", context)


@router.get("/councils/{org_id}", response_class=HTMLResponse, dependencies=[PlatformAdmin])
async def council(org_id: str, request: Request, api: PlatformApi) -> HTMLResponse:
    found = await api.council(org_id)
    return render(request, "platform/council.html", _context(title=found.name, council=found))


@router.post("/councils/{org_id}/disable", dependencies=[PlatformAdmin])
async def disable_council(org_id: str, api: PlatformApi) -> Response:
    await api.disable_council(org_id)
    return RedirectResponse(f"/platform/councils/{org_id}", status_code=303)


@router.post("/councils/{org_id}/enable", dependencies=[PlatformAdmin])
async def enable_council(org_id: str, api: PlatformApi) -> Response:
    await api.enable_council(org_id)
    return RedirectResponse(f"/platform/councils/{org_id}", status_code=303)
