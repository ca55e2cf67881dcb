"""Who is calling the gateway: a signed-in session cookie, or an API key in a header.

Development and tests may replace this with a fixed identity (`development_authenticator`, or the
test plugin's own); real sign-in is what the gateway uses when given nothing else.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from common.db import Database
from common.errors import Forbidden, Unauthorized
from common.identity import Caller, Role
from common.settings import Settings
from gateway.accounts import digest, key_caller, session_caller, unscoped
from gateway.models import UserSession
from gateway.pagepass import PagePasses

Authenticator = Callable[[Request], Awaitable[Caller | None]]
SECURE_COOKIE = "__Host-asc_session"
PLAIN_COOKIE = "asc_session"
"""Over plain http (local development) a `__Host-` cookie cannot be set, so the name differs."""


def session_cookie_name(settings: Settings) -> str:
    return SECURE_COOKIE if settings.https_only else PLAIN_COOKIE


def set_session_cookie(response: Response, settings: Settings, secret: str) -> None:
    """Give the browser its session: HttpOnly, SameSite=Lax, Secure (`__Host-`) under https."""
    response.set_cookie(
        session_cookie_name(settings),
        secret,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.https_only,
    )


def presented_key(request: Request) -> str | None:
    """An API key from `Authorization: Bearer` or `X-API-Key`; never from the URL."""
    authorization = request.headers.get("authorization", "")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-api-key") or None


def now_of(request: Request) -> datetime:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


def sign_in_authenticator(
    settings: Settings, database: Database, passes: PagePasses | None = None
) -> Authenticator:
    """Sessions and API keys, checked against the identity schema; a page's inner call, sending
    the session cookie its page was found signed in by, takes the caller from the page's pass
    (see gateway/pagepass.py) instead of looking the session up again."""
    cookie_name = session_cookie_name(settings)

    def by_key(key: str, now: datetime) -> tuple[Caller, frozenset[str], bool] | None:
        with unscoped(database.session(None)) as session:
            found = key_caller(session, key, now=now)
            session.commit()
        if found is None:
            return None
        caller, row = found
        return caller, frozenset(row.services), row.access == "read_write"

    def by_cookie(secret: str, now: datetime) -> tuple[Caller | None, str | None]:
        with unscoped(database.session(None)) as session:
            # Whose session it was, read before an ended one is deleted (the same row
            # session_caller reads, so no extra query): a form posted after it ended is kept
            # for that person only.
            row = session.get(UserSession, digest(secret))
            owner = str(row.user_id) if row else None
            caller = session_caller(session, secret, settings=settings, now=now)
            session.commit()
        return caller, owner

    async def authenticate(request: Request) -> Caller | None:
        now = now_of(request)
        if key := presented_key(request):
            found = await run_in_threadpool(by_key, key, now)
            if found is None:
                raise Unauthorized("The API key is not valid: it is unknown, revoked or expired.")
            caller, services, read_write = found
            request.state.key_scope = (services, read_write)
            return caller
        if secret := request.cookies.get(cookie_name):
            if passes is not None and (
                known := passes.caller_of(getattr(request.state, "page_pass", None), digest(secret))
            ):
                return known
            session_of: tuple[Caller | None, str | None] = await run_in_threadpool(
                by_cookie, secret, now
            )
            if session_of[0] is None:
                request.state.ended_session_of = session_of[1]
            return session_of[0]
        return None

    return authenticate


def development_authenticator(settings: Settings) -> Authenticator:
    """Every request acts as an administrator of the demo council (development only)."""
    caller = Caller(
        org_id=settings.demo_org_id,
        user_id="dev",
        display_name="Development user",
        roles=frozenset({Role.ADMIN}),
        client="web",
    )

    async def authenticate(_request: Request) -> Caller | None:
        return caller

    return authenticate


def signed_in_caller(
    allowed: Callable[[Caller], bool], refusal: str
) -> Callable[[Request], Caller]:
    """A route dependency giving the signed-in caller when `allowed` lets them in: 401 when no
    one is signed in, 403 saying `refusal` to anyone else."""

    def caller_allowed(request: Request) -> Caller:
        caller: Caller | None = request.state.caller
        if caller is None:
            raise Unauthorized("Sign in first.")
        if not allowed(caller):
            raise Forbidden(refusal)
        return caller

    return caller_allowed
