"""Administration pages: people and their roles, API keys, the organisation's name.

Admins only. Every change goes through the gateway's administration API, which checks again.
"""

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from common.identity import Role
from web.clients.audit_api_client import record_history
from web.clients.gateway import ApiError, Gateway
from web.clients.gateway_api_client import GatewayApi
from web.rendering import render, render_once
from web.views.auth import page_caller, when
from web.views.dashboard import PageContext

router = APIRouter(prefix="/admin")

ROLE_NAMES = {
    Role.ADMIN: "Administrator",
    Role.PROGRAMME_OFFICE: "Programme office",
    Role.SERVICE_LEAD: "Service lead",
    Role.DATA_PROVIDER: "Data provider",
    Role.FINANCE: "Finance",
    Role.VIEWER: "Viewer",
}
SERVICE_NAMES = {"kpi": "KPIs", "projects": "Projects", "finance": "Savings and budget"}


def require_admin(request: Request) -> None:
    caller = page_caller(request)
    if caller is None or Role.ADMIN not in caller.roles:
        raise StarletteHTTPException(403, "Only an administrator can see this page.")


Admin = Depends(require_admin)


def _context(page: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        **page,
        "nav": "admin",
        "role_names": ROLE_NAMES,
        "service_names": SERVICE_NAMES,
        **extra,
    }


@router.get("", response_class=HTMLResponse, dependencies=[Admin])
async def admin_home(request: Request, page: PageContext) -> HTMLResponse:
    return render(request, "admin/index.html", _context(page, title="Administration"))


@router.get("/users", response_class=HTMLResponse, dependencies=[Admin])
async def users(request: Request, page: PageContext, api: GatewayApi) -> HTMLResponse:
    people = await api.users()
    return render(request, "admin/users.html", _context(page, title="Users", users=people))


def _user_form(form: Any) -> dict[str, Any]:
    return {
        "email": str(form.get("email", "")).strip(),
        "display_name": str(form.get("display_name", "")).strip(),
        "team": str(form.get("team", "")).strip() or None,
        "roles": [str(r) for r in form.getlist("roles")],
        "password": str(form.get("password", "")),
        "disabled": form.get("disabled") == "yes",
    }


def _errors(error: ApiError) -> dict[str, str]:
    errors = error.field_errors()
    if not errors:
        errors = {"form": str(error.problem.get("detail") or "The change was not saved.")}
    return errors


@router.get("/users/new", response_class=HTMLResponse, dependencies=[Admin])
async def new_user(request: Request, page: PageContext) -> HTMLResponse:
    values = {"roles": [Role.VIEWER.value]}
    return render(
        request, "admin/user_form.html", _context(page, title="Add a user", user=values, errors={})
    )


@router.post("/users/new", response_class=HTMLResponse, dependencies=[Admin])
async def create_user(request: Request, page: PageContext, api: GatewayApi) -> Response:
    values = _user_form(await request.form())
    body = {k: values[k] for k in ("email", "display_name", "team", "roles", "password")}
    try:
        await api.add_user(body)
    except ApiError as error:
        context = _context(page, title="Add a user", user=values, errors=_errors(error))
        return render(request, "admin/user_form.html", context, status_code=422)
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/users/{user_id}", response_class=HTMLResponse, dependencies=[Admin])
async def edit_user(
    user_id: str, request: Request, page: PageContext, api: GatewayApi, gateway: Gateway
) -> HTMLResponse:
    user = await api.user(user_id)
    history = await record_history(gateway, "", "users", user_id)
    context = _context(
        page, title="Change a user", user=user, errors={}, editing=True, record_history=history
    )
    return render(request, "admin/user_form.html", context)


@router.post("/users/{user_id}", response_class=HTMLResponse, dependencies=[Admin])
async def update_user(
    user_id: str, request: Request, page: PageContext, api: GatewayApi
) -> Response:
    form = await request.form()
    values = _user_form(form)
    body: dict[str, Any] = {
        "display_name": values["display_name"],
        "team": values["team"],
        "roles": values["roles"],
        "disabled": values["disabled"],
    }
    if values["password"]:
        body["password"] = values["password"]
    version = str(form.get("version", ""))
    try:
        await api.change_user(user_id, version, body)
    except ApiError as error:
        values |= {"id": user_id, "version": version}
        context = _context(
            page, title="Change a user", user=values, errors=_errors(error), editing=True
        )
        return render(request, "admin/user_form.html", context, status_code=422)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{user_id}/sign-out", dependencies=[Admin])
async def sign_user_out(user_id: str, api: GatewayApi) -> Response:
    await api.sign_user_out(user_id)
    return RedirectResponse(f"/admin/users/{user_id}", status_code=303)


def _site(request: Request) -> str:
    """This site's address as the admin's browser sees it (its Origin or Referer), for a link
    they pass on; empty if the browser sent neither."""
    for header in ("origin", "referer"):
        value = request.headers.get(header, "")
        scheme, _, rest = value.partition("://")
        host = rest.split("/", 1)[0]
        if scheme in ("http", "https") and host:
            return f"{scheme}://{host}"
    return ""


@router.post("/users/{user_id}/password-reset", response_class=HTMLResponse, dependencies=[Admin])
async def password_reset(
    user_id: str, request: Request, page: PageContext, api: GatewayApi
) -> Response:
    user = await api.user(user_id)
    try:
        made = await api.make_password_reset(user_id)
    except ApiError as error:
        context = _context(
            page, title="Change a user", user=user, errors=_errors(error), editing=True
        )
        return render(request, "admin/user_form.html", context, status_code=422)
    context = _context(
        page,
        title="Link to set a password made",
        user=user,
        link=_site(request) + made.path,
        expires=when(made.expires_at),
    )
    # Shown once, on this response only: only its digest is stored.
    return render_once(request, "admin/password_reset_created.html", context)


@router.get("/api-keys", response_class=HTMLResponse, dependencies=[Admin])
async def api_keys(request: Request, page: PageContext, api: GatewayApi) -> HTMLResponse:
    keys = await api.api_keys()
    context = _context(page, title="API keys", keys=keys, errors={}, key={"services": []})
    return render(request, "admin/api_keys.html", context)


@router.post("/api-keys", response_class=HTMLResponse, dependencies=[Admin])
async def create_api_key(request: Request, page: PageContext, api: GatewayApi) -> Response:
    form = await request.form()
    values = {
        "name": str(form.get("name", "")).strip(),
        "access": str(form.get("access", "")),
        "services": [str(s) for s in form.getlist("services")],
        "role": str(form.get("role", "")) or None,
        "team": str(form.get("team", "")).strip() or None,
        "expires_on": str(form.get("expires_on", "")).strip() or None,
    }
    try:
        created = await api.add_api_key(values)
    except ApiError as error:
        keys = await api.api_keys()
        context = _context(page, title="API keys", keys=keys, errors=_errors(error), key=values)
        return render(request, "admin/api_keys.html", context, status_code=422)
    # Shown once, on this response only: it is never stored and cannot be shown again.
    response = render(
        request, "admin/api_key_created.html", _context(page, title="API key created", key=created)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/api-keys/{key_id}/revoke", dependencies=[Admin])
async def revoke_api_key(key_id: str, api: GatewayApi) -> Response:
    await api.revoke_api_key(key_id)
    return RedirectResponse("/admin/api-keys", status_code=303)


@router.get("/organisation", response_class=HTMLResponse, dependencies=[Admin])
async def organisation(request: Request, page: PageContext, api: GatewayApi) -> HTMLResponse:
    current = await api.organisation()
    context = _context(page, title="Organisation", organisation=current, errors={})
    return render(request, "admin/organisation.html", context)


@router.post("/organisation", response_class=HTMLResponse, dependencies=[Admin])
async def change_organisation(request: Request, page: PageContext, api: GatewayApi) -> Response:
    """The council's name, and whether a one-person team may approve its own figures."""
    form = await request.form()
    name = str(form.get("name", "")).strip()
    self_approval = form.get("allow_self_approval") == "true"
    version = str(form.get("version", ""))
    try:
        await api.change_organisation(name=name, allow_self_approval=self_approval, version=version)
    except ApiError as error:
        kept = {"name": name, "allow_self_approval": self_approval, "version": version}
        context = _context(page, title="Organisation", organisation=kept, errors=_errors(error))
        return render(request, "admin/organisation.html", context, status_code=422)
    return RedirectResponse("/admin", status_code=303)
