"""The gateway's checks on every request, after the hardening layers and before any route:
who is calling, whether they are sending too much, whether a browser form is really theirs (CSRF),
and whether their role allows the operation."""

import hmac
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse

from common.errors import AppError, internal_error, problem
from common.identity import Caller
from common.settings import SERVICES
from gateway.access import SAFE_METHODS, key_allows, role_allows
from gateway.auth import Authenticator
from gateway.events import security_event
from gateway.hardening import RateLimiter

log = logging.getLogger(__name__)
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SIGN_IN = "/sign-in"
ROLE_REFUSAL = "Your role does not allow this operation."
KEY_REFUSAL = "This API key is not allowed to do this."
_PUBLIC_EXACT = {
    SIGN_IN,
    "/sign-in/sso",
    "/sign-in/sso/callback",
    "/healthz",
    "/readyz",
    "/favicon.ico",
    "/api/docs",
    "/api/v1/openapi.json",
    "/api/v1/sessions",
    "/reset-password",  # the page a password reset link opens, and the API it calls
    "/api/v1/password-resets/lookup",
    "/api/v1/password-resets/use",
}
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def is_public(path: str) -> bool:
    return path in _PUBLIC_EXACT or path.startswith("/static/")


def service_of(path: str) -> str | None:
    """The service an `/api/v1/<service>/...` path goes to, if any."""
    parts = path.split("/", 4)
    if len(parts) >= 4 and parts[1:3] == ["api", "v1"] and parts[3] in SERVICES:
        return parts[3]
    return None


async def presented_csrf(request: Request) -> str:
    if token := request.headers.get(CSRF_HEADER):
        return token
    if request.headers.get("content-type", "").startswith(_FORMS):
        await request.body()  # kept, so the route still receives the whole body
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


def install_guard(app: FastAPI, authenticate: Authenticator, limiter: RateLimiter) -> None:
    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        path = request.url.path
        request.state.key_scope = None
        try:
            caller = await authenticate(request)
        except AppError as error:
            security_event("credential_refused", warning=True, path=path, reason=error.detail)
            return problem(error.status, error.title, error.detail, instance=path)
        request.state.caller = caller
        if caller is None:
            if is_public(path):
                return await _answered(request, call_next)
            return _sign_in_first(request)
        wait = await limiter.take_async(f"{caller.client}|{caller.user_id}")
        if wait is not None:
            security_event("rate_limited", warning=True, user_id=caller.user_id, path=path)
            return problem(
                429,
                "Too Many Requests",
                f"Too many requests. Try again in {wait} seconds.",
                instance=path,
                headers={"Retry-After": str(wait)},
            )
        if refusal := await _refusal(request, caller):
            security_event(
                "access_refused",
                warning=True,
                user_id=caller.user_id,
                org_id=str(caller.org_id),
                method=request.method,
                path=path,
                reason=refusal,
            )
            return problem(403, "Forbidden", refusal, instance=path)
        return await _answered(request, call_next)


async def _answered(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """The route's response; an exception becomes a plain 500 here, inside the hardening layers,
    so that even this answer carries the security headers (and never a trace)."""
    try:
        return await call_next(request)
    except Exception:
        log.exception("unhandled error")
        return internal_error(request.url.path)


async def _refusal(request: Request, caller: Caller) -> str | None:
    """Why this caller may not send this request, or None."""
    method, path = request.method, request.url.path
    if caller.csrf is not None and method not in SAFE_METHODS:
        token = await presented_csrf(request)
        if not hmac.compare_digest(token.encode(), caller.csrf.encode()):
            return "The form has expired or did not come from this site. Reload and try again."
    if request.state.key_scope is not None:
        services, read_write = request.state.key_scope
        if not key_allows(services, read_write, method, path):
            return KEY_REFUSAL
    if service_of(path) and not role_allows(caller.roles, method, path):
        return ROLE_REFUSAL
    return None


def _sign_in_first(request: Request) -> Response:
    path = request.url.path
    if path.startswith("/api/"):
        return problem(
            401,
            "Unauthorized",
            "Sign in, or send an API key in the Authorization header.",
            instance=path,
            headers={"WWW-Authenticate": 'Bearer realm="asc-tracker"'},
        )
    target = SIGN_IN
    if request.method in SAFE_METHODS:
        here = path + (f"?{request.url.query}" if request.url.query else "")
        target += "?next=" + quote(here, safe="")
    response = RedirectResponse(target, status_code=303)
    if request.headers.get("hx-request") == "true":
        response.headers["HX-Redirect"] = target
    return response
