"""The gateway's checks on every request, after the hardening layers and before any route:
who is calling, whether they are sending too much, whether a browser form is really theirs (CSRF),
and whether their role allows the operation."""

import hmac
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.exc import DBAPIError

from common.errors import AppError, database_unavailable, internal_error, problem
from common.identity import PLATFORM_REFUSAL, Caller, is_platform_data
from common.settings import SERVICES
from gateway.access import SAFE_METHODS, key_allows, role_allows
from gateway.auth import Authenticator
from gateway.events import security_event
from gateway.hardening import BatchedRateLimiter, Limiter, Standing
from gateway.kept import keep_posted_form, page_posted_from
from gateway.pagepass import PagePasses

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
    "/accessibility",  # the accessibility statement: for anyone, before signing in too
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


@dataclass(frozen=True)
class Limits:
    """The per-credential limit, and what the guard needs to count a page's inner calls once."""

    per_credential: BatchedRateLimiter
    per_address: Limiter
    passes: PagePasses


def install_guard(app: FastAPI, authenticate: Authenticator, limits: Limits) -> None:
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
        except DBAPIError as error:
            # Sessions and keys live in PostgreSQL: while it restarts nobody can be recognised.
            if unavailable := database_unavailable(error, path):
                return unavailable
            raise
        request.state.caller = caller
        if caller is None:
            if getattr(request.state, "page_pass", None) is not None:
                # A pass skips a count only for the person it names: here there is nobody.
                wait = await limits.per_address.take_async(request.state.client_address)
                if wait is not None:
                    return _too_many(path, wait)
            if is_public(path):
                return await _answered(request, call_next)
            return await _sign_in_first(request)
        wait = await _counted(request, caller, limits)
        quota = limits.per_credential.standing(_credential(caller), wait=wait)
        if wait is not None:
            security_event("rate_limited", warning=True, user_id=caller.user_id, path=path)
            return _with_quota(_too_many(path, wait), quota, path)
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
            return _with_quota(problem(403, "Forbidden", refusal, instance=path), quota, path)
        return _with_quota(await _answered(request, call_next), quota, path)


def _credential(caller: Caller) -> str:
    return f"{caller.client}|{caller.user_id}"


def _with_quota(response: Response, quota: Standing | None, path: str) -> Response:
    """The caller's standing against their limit, on an answer of the API (not on pages)."""
    if quota is not None and path.startswith("/api/"):
        response.headers.update(quota.headers())
    return response


async def _counted(request: Request, caller: Caller, limits: Limits) -> int | None:
    """Count this request against the caller's limit (None: allowed; else seconds to wait).

    A call made by the web app for a page already counted, under that person's own page pass,
    is not counted again; a pass that is not the caller's buys nothing, and the address limit
    the hardening layer left to us is counted here too."""
    token = getattr(request.state, "page_pass", None)
    if token is not None:
        if limits.passes.use(token, caller):
            return None
        wait = await limits.per_address.take_async(request.state.client_address)
        if wait is not None:
            return wait
    return await limits.per_credential.take_async(_credential(caller))


def _too_many(path: str, wait: int) -> Response:
    return problem(
        429,
        "Too Many Requests",
        f"Too many requests. Try again in {wait} seconds.",
        instance=path,
        headers={"Retry-After": str(wait)},
    )


async def _answered(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """The route's response; an exception becomes a plain 500 here, inside the hardening layers,
    so that even this answer carries the security headers (and never a trace)."""
    try:
        return await call_next(request)
    except Exception as error:
        if unavailable := database_unavailable(error, request.url.path):
            return unavailable
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
    if service_of(path) and caller.platform_admin:
        # Platform data (published tables) is theirs alone; no council's records ever are.
        return None if is_platform_data(method, path) else PLATFORM_REFUSAL
    if service_of(path) and not role_allows(caller.roles, method, path):
        return ROLE_REFUSAL
    return None


async def _sign_in_first(request: Request) -> Response:
    path = request.url.path
    if path.startswith("/api/"):
        return problem(
            401,
            "Unauthorized",
            "Sign in, or send an API key in the Authorization header.",
            instance=path,
            headers={"WWW-Authenticate": 'Bearer realm="asc-tracker"'},
        )
    if request.method in SAFE_METHODS:
        here = path + (f"?{request.url.query}" if request.url.query else "")
    else:
        here = page_posted_from(request)  # back to the form's page, with what was typed
    target = SIGN_IN + "?next=" + quote(here, safe="")
    if getattr(request.state, "ended_session_of", None):
        target += "&ended=true"  # the sign-in page says why
    if request.headers.get("hx-request") == "true":
        # htmx would follow a 303 and swap the whole sign-in page into a fragment: HX-Redirect
        # makes it load the sign-in page as the page.
        response: Response = Response(status_code=401, headers={"HX-Redirect": target})
    else:
        response = RedirectResponse(target, status_code=303)
    if request.method not in SAFE_METHODS:
        await keep_posted_form(request, response, page=here)
    return response
