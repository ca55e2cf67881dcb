"""Signing in, and what every page needs to know about who is viewing it (name, CSRF token).

The page is the web app's; the password check and the cookie are the gateway's
(`POST /api/v1/sessions`), whose Set-Cookie this view passes on to the browser.
"""

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import pass_context
from markupsafe import Markup, escape

from common.errors import AppError
from common.identity import IDENTITY_HEADER, Caller, caller_from_token
from common.kept_forms import KeptForm, cookie_name, unseal
from common.settings import Settings
from web.clients.gateway import ApiError, gateway_client
from web.clients.gateway_api_client import GatewayApiClient, gateway_api_client
from web.clients.models import PasswordResetLink
from web.rendering import TEMPLATES, render
from web.views.dashboard import PageContext

router = APIRouter()


def page_caller(request: Request) -> Caller | None:
    """The person viewing the page, as the gateway vouches for them (None if signed out)."""
    if hasattr(request.state, "page_caller"):
        cached: Caller | None = request.state.page_caller
        return cached
    caller = None
    if token := request.headers.get(IDENTITY_HEADER):
        try:
            caller = caller_from_token(token, request.app.state.settings, audience="web")
        except AppError:
            caller = None
    request.state.page_caller = caller
    return caller


@pass_context
def csrf_token(context: Any) -> str:
    """This session's CSRF token (empty when nobody is signed in)."""
    request = context.get("request")
    caller = page_caller(request) if request is not None else None
    return caller.csrf or "" if caller else ""


@pass_context
def csrf_field(context: Any) -> Markup:
    """The hidden input every POST form carries: `{{ csrf_field() }}` inside the <form>."""
    token = csrf_token(context)
    if not token:
        return Markup("")
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(escape(token))


@pass_context
def signed_in(context: Any) -> Caller | None:
    request = context.get("request")
    return page_caller(request) if request is not None else None


@pass_context
def kept_form(context: Any) -> dict[str, Any] | None:
    """The form this person posted after their session ended, to put back on this page."""
    request = context.get("request")
    kept: KeptForm | None = getattr(request.state, "kept_form", None) if request else None
    return {"action": kept.action, "fields": kept.fields} if kept else None


@pass_context
def idle_seconds(context: Any) -> int:
    """How long a session may go unused (the timeout warning counts down to it)."""
    request = context.get("request")
    settings: Settings = request.app.state.settings
    return int(settings.session_idle_minutes * 60)


TEMPLATES.env.globals["csrf_field"] = csrf_field
TEMPLATES.env.globals["csrf_token"] = csrf_token
TEMPLATES.env.globals["signed_in"] = signed_in
TEMPLATES.env.globals["kept_form"] = kept_form
TEMPLATES.env.globals["idle_seconds"] = idle_seconds


def install_kept_forms(app: FastAPI) -> None:
    """Hand a kept form (common.kept_forms) to the page it came from, once, and only to the
    person who typed it; anyone else signing in on that browser has it thrown away."""

    @app.middleware("http")
    async def kept_forms(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        settings: Settings = request.app.state.settings
        name = cookie_name(https_only=settings.https_only)
        if not (value := request.cookies.get(name)):
            return await call_next(request)
        kept = unseal(value, settings.identity_signing_key.get_secret_value())
        caller = page_caller(request)
        done = kept is None
        if kept and caller and request.method == "GET" and "hx-request" not in request.headers:
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            if kept.user_id != caller.user_id:
                done = True
            elif kept.page == here:
                request.state.kept_form = kept
                done = True
        response = await call_next(request)
        if done:
            response.delete_cookie(
                name, path="/", httponly=True, samesite="lax", secure=settings.https_only
            )
        return response


@router.post("/session/keep-alive", status_code=204)
async def keep_alive(request: Request) -> Response:
    """The timeout warning's "Stay signed in": passing the gateway has noted the session's use."""
    return Response(status_code=204 if page_caller(request) else 401)


def _account(request: Request) -> GatewayApiClient:
    """The gateway's own endpoints (signing in, passwords, sessions), as the person viewing."""
    return gateway_api_client(gateway_client(request))


def _account_page(
    request: Request, name: str, context: dict[str, Any], errors: dict[str, str]
) -> HTMLResponse:
    """One of the person's own account pages; sent back with errors, it answers 422."""
    return render(request, name, context | {"errors": errors}, status_code=422 if errors else 200)


def _sso(request: Request) -> bool:
    return bool(request.app.state.settings.oidc_issuer)


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path on this site only (never `//elsewhere`)."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return "/"


def _kept_waiting(request: Request) -> bool:
    settings: Settings = request.app.state.settings
    value = request.cookies.get(cookie_name(https_only=settings.https_only))
    return bool(value and unseal(value, settings.identity_signing_key.get_secret_value()))


SIGN_IN_COOKIE = "asc_sign_in"
SIGN_IN_FORM_EXPIRED = "This sign-in form has expired. Enter your email address and password again"


def _sign_in_cookie_name(request: Request) -> str:
    return ("__Host-" if request.app.state.settings.https_only else "") + SIGN_IN_COOKIE


def _sign_in_token(request: Request, nonce: str) -> str:
    key = request.app.state.settings.identity_signing_key.get_secret_value()
    return hmac.new(key.encode(), f"sign-in:{nonce}".encode(), hashlib.sha256).hexdigest()


def _sign_in_form_is_ours(request: Request, token: str) -> bool:
    """Login CSRF: the form must carry the token that goes with this browser's sign-in cookie,
    which another site can neither read nor (its value being keyed) forge."""
    nonce = request.cookies.get(_sign_in_cookie_name(request), "")
    return bool(nonce) and hmac.compare_digest(token, _sign_in_token(request, nonce))


def _render_sign_in(
    request: Request, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """The sign-in page, with a fresh sign-in token and the cookie it goes with."""
    nonce = secrets.token_urlsafe(32)
    context = {"me": None, "sso": _sso(request), **context}
    context["sign_in_token"] = _sign_in_token(request, nonce)
    response = render(request, "auth/sign_in.html", context, status_code=status_code)
    response.set_cookie(
        _sign_in_cookie_name(request),
        nonce,
        max_age=60 * 60,
        path="/",
        secure=request.app.state.settings.https_only,
        httponly=True,
        samesite="strict",
    )
    return response


@router.get("/sign-in", response_class=HTMLResponse)
async def sign_in_page(request: Request, next: str = "/", ended: bool = False) -> HTMLResponse:
    context = {
        "next": safe_next(next),
        "errors": {},
        "ended": ended,
        "kept": _kept_waiting(request),
    }
    return _render_sign_in(request, context)


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in(
    request: Request,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
    sign_in_token: Annotated[str, Form()] = "",
) -> Response:
    errors: dict[str, str] = {}
    status = 400
    if not _sign_in_form_is_ours(request, sign_in_token):
        errors["email"] = SIGN_IN_FORM_EXPIRED
    elif not email.strip():
        errors["email"] = "Enter your email address"
    if not password:
        errors["password"] = "Enter your password"
    if not errors:
        try:
            cookies = await _account(request).sign_in(email, password)
        except ApiError as error:
            detail = error.problem.get("detail") or "Enter a correct email address and password."
            errors["email"] = str(detail)
            status = error.status
        else:
            response = RedirectResponse(safe_next(next), status_code=303)
            for value in cookies:
                response.headers.append("set-cookie", value)
            response.delete_cookie(_sign_in_cookie_name(request), path="/")
            return response
    context = {
        "next": safe_next(next),
        "errors": errors,
        "email": email,
        "kept": _kept_waiting(request),
    }
    return _render_sign_in(request, context, status_code=status)


def _new_password_errors(new_password: str, confirm_password: str) -> dict[str, str]:
    """What is wrong with a new password typed twice (the gateway checks the rest)."""
    if len(new_password) < 12:
        return {"new_password": "Enter a new password of at least 12 characters"}
    if new_password != confirm_password:
        return {"confirm_password": "The two new passwords do not match"}
    return {}


@router.get("/account/password", response_class=HTMLResponse)
async def password_page(request: Request, page: PageContext, done: bool = False) -> HTMLResponse:
    context = {**page, "done": done, "title": "Change your password"}
    return _account_page(request, "auth/password.html", context, {})


@router.post("/account/password", response_class=HTMLResponse)
async def change_password(
    request: Request,
    page: PageContext,
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    confirm_password: Annotated[str, Form()] = "",
) -> Response:
    errors: dict[str, str] = {}
    if not current_password:
        errors["current_password"] = "Enter your current password"
    errors |= _new_password_errors(new_password, confirm_password)
    if not errors:
        try:
            await _account(request).change_password(current_password, new_password)
        except ApiError as error:
            errors = error.field_errors() or {"current_password": str(error.problem.get("detail"))}
        else:
            return RedirectResponse("/account/password?done=true", status_code=303)
    context = {**page, "done": False, "title": "Change your password"}
    return _account_page(request, "auth/password.html", context, errors)


_SESSIONS = "Where you are signed in"
T = TypeVar("T")


async def _own(read: Awaitable[T]) -> T | None:
    """Something of the signed-in person's own; None when they signed in some other way than
    as a person with a password (an API key, or `DEV_IDENTITY` in development)."""
    try:
        return await read
    except ApiError as error:
        if error.status != 403:
            raise
        return None


@router.get("/account/sessions", response_class=HTMLResponse)
async def sessions_page(request: Request, page: PageContext) -> HTMLResponse:
    return await _sessions(request, page, {}, done=request.query_params.get("done") == "true")


async def _sessions(
    request: Request, page: dict[str, Any], errors: dict[str, str], *, done: bool = False
) -> HTMLResponse:
    mine = await _own(_account(request).my_sessions())
    if mine is None:
        context = {**page, "sessions": None, "done": False, "title": _SESSIONS}
        return _account_page(request, "auth/sessions.html", context, {})
    context = {**page, "sessions": mine, "done": done, "title": _SESSIONS}
    return _account_page(request, "auth/sessions.html", context, errors)


@router.post("/account/sessions", response_class=HTMLResponse)
async def end_other_sessions(
    request: Request, page: PageContext, password: Annotated[str, Form()] = ""
) -> Response:
    if not password:
        return await _sessions(request, page, {"password": "Enter your password"})
    try:
        await _account(request).end_other_sessions(password)
    except ApiError as error:
        return await _sessions(request, page, error.field_errors() or {"password": "Not done"})
    return RedirectResponse("/account/sessions?done=true", status_code=303)


def when(moment: str) -> str:
    """An API timestamp as people in England read it: `3:15pm on 25 November 2026`."""
    local = datetime.fromisoformat(moment).astimezone(ZoneInfo("Europe/London"))
    return f"{local:%-I:%M%p}".lower() + f" on {local.day} {local:%B %Y}"


def _reset_page(
    request: Request, token: str, *, errors: dict[str, str], link: PasswordResetLink | None = None
) -> HTMLResponse:
    context = {
        "me": None,
        "token": token,
        "link": link,
        "expires": when(link.expires_at) if link else "",
        "errors": errors,
        "title": "Set a new password",
    }
    response = render(
        request, "auth/reset_password.html", context, status_code=422 if errors else 200
    )
    # The token is in this page's address: never send it on to another site.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _gone(request: Request, detail: str) -> HTMLResponse:
    response = render(
        request,
        "auth/reset_password.html",
        {"me": None, "gone": detail, "errors": {}, "title": "This link no longer works"},
        status_code=410,
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.get("/reset-password", response_class=HTMLResponse)
async def reset_password_page(request: Request, token: str = "") -> HTMLResponse:
    """The page a password reset link opens: whose password, until when, and the form."""
    try:
        link = await _account(request).password_reset_link(token)
    except ApiError as error:
        return _gone(request, str(error.problem.get("detail") or "This link does not work."))
    return _reset_page(request, token, errors={}, link=link)


@router.post("/reset-password", response_class=HTMLResponse)
async def reset_password(
    request: Request,
    token: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    confirm_password: Annotated[str, Form()] = "",
) -> Response:
    api = _account(request)
    errors = _new_password_errors(new_password, confirm_password)
    if not errors:
        try:
            await api.use_password_reset(token, new_password)
        except ApiError as error:
            if error.status == 410:
                return _gone(request, str(error.problem.get("detail")))
            errors = error.field_errors() or {"new_password": str(error.problem.get("detail"))}
        else:
            response = render(
                request,
                "auth/reset_password.html",
                {"me": None, "done": True, "errors": {}, "title": "Your password has been set"},
            )
            response.headers["Referrer-Policy"] = "no-referrer"
            return response
    try:
        link = await api.password_reset_link(token)
    except ApiError as error:
        return _gone(request, str(error.problem.get("detail") or "This link does not work."))
    return _reset_page(request, token, errors=errors, link=link)


_REMINDERS = "Your reminders"
_CHOICES = {"on": True, "off": False}


@router.get("/account/reminders", response_class=HTMLResponse)
async def reminders_page(request: Request, page: PageContext, done: str = "") -> HTMLResponse:
    """Whether the person gets reminder emails, and the choice to change it."""
    return await _reminders(request, page, {}, done=done if done in _CHOICES else "")


async def _reminders(
    request: Request,
    page: dict[str, Any],
    errors: dict[str, str],
    *,
    done: str = "",
    chosen: str = "",
) -> HTMLResponse:
    mine = await _own(_account(request).my_reminders())
    caller = page_caller(request)
    context = {
        **page,
        "title": _REMINDERS,
        "reminders": mine,
        "chosen": chosen or ("" if mine is None else "on" if mine.enabled else "off"),
        "council_off": caller is not None and not caller.deadlines.reminders_enabled,
        "done": done,
    }
    return _account_page(request, "auth/reminders.html", context, errors)


@router.post("/account/reminders", response_class=HTMLResponse)
async def change_reminders(
    request: Request, page: PageContext, reminders: Annotated[str, Form()] = ""
) -> Response:
    """Turn the person's own reminder emails on or off."""
    if reminders not in _CHOICES:
        errors = {"reminders": "Select whether you want reminder emails"}
        return await _reminders(request, page, errors)
    try:
        await _account(request).set_my_reminders(_CHOICES[reminders])
    except ApiError as error:
        message = error.field_errors().get("enabled") or str(error.problem.get("detail", ""))
        return await _reminders(request, page, {"reminders": message}, chosen=reminders)
    return RedirectResponse(f"/account/reminders?done={reminders}", status_code=303)
