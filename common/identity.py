"""Who is calling: the identity the gateway vouches for, and how services check it.

The gateway authenticates each request and forwards the caller to a service as a short-lived token
in the `X-ASC-Identity` header, signed with HMAC-SHA256 under a key only the gateway and the
services share. A service trusts nothing else: a request with no token, a forged one, an expired
one, one made for another part (its audience) or one made to live longer than the configured
maximum is refused with 401, so reaching a service directly gives nothing.
"""

import base64
import hashlib
import hmac
import json
import math
import time
import uuid
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from common.deadlines import Deadlines
from common.errors import Forbidden, Unauthorized
from common.settings import Settings

IDENTITY_HEADER = "x-asc-identity"
MIN_KEY_CHARACTERS = 32
MIN_KEY_BITS = 128
"""A signing key must look like at least this much randomness (see `estimated_key_bits`)."""
CLOCK_SKEW_SECONDS = 5
NO_COUNCIL = uuid.UUID(int=0)
"""The organisation of a platform administrator: none. No council has this id, so even a query
scoped to it (or row-level security keyed to it) finds nothing."""
PLATFORM_REFUSAL = "A platform administrator cannot read or change any council's records."
PLATFORM_ONLY = "Only a platform administrator may do this."
PLATFORM_DATA: tuple[tuple[str, str], ...] = (
    ("POST", "/api/v1/finance/library/published-tables/import"),
    ("DELETE", "/api/v1/finance/library/published-tables/"),
)
"""The service operations (method, path or path prefix) on platform data, which belong to no
council: published tables of councils' savings. Only a platform administrator sends them (the
gateway signs an identity for a service for these alone), and their session sees no council's
rows (`common.db.platform_session`)."""
PAGE_PASS_HEADER = "x-asc-page-pass"
"""The gateway's pass for one page's API calls, which the web app relays (gateway/pagepass.py)."""


class Role(StrEnum):
    ADMIN = "admin"
    PROGRAMME_OFFICE = "programme_office"
    SERVICE_LEAD = "service_lead"
    DATA_PROVIDER = "data_provider"
    FINANCE = "finance"
    VIEWER = "viewer"


class Caller(BaseModel):
    """The authenticated caller as every service sees it."""

    model_config = ConfigDict(frozen=True)

    org_id: uuid.UUID
    user_id: str
    display_name: str = ""
    roles: frozenset[Role] = frozenset()
    team: str | None = None
    client: str = "web"
    """How the caller reached us: "web", "api-key:<id>", "service"..."""
    csrf: str | None = None
    """The CSRF token of the caller's signed-in session (web only; None for keys and services)."""
    self_approval: bool = False
    """Their council lets one-person teams approve figures they submitted themselves."""
    deadlines: Deadlines = Deadlines()
    """Their council's deadlines (due dates, period close, reminders)."""

    platform_admin: bool = False
    """A platform administrator: outside every council (`org_id` is `NO_COUNCIL`), with no
    council role. They add and disable councils; every service refuses them outright."""

    @model_validator(mode="after")
    def _platform_admin_is_in_no_council(self) -> "Caller":
        if self.platform_admin != (self.org_id == NO_COUNCIL) or (
            self.platform_admin and self.roles
        ):
            raise ValueError(
                "A platform administrator belongs to no council and has no role in one."
            )
        return self

    def has_any(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def estimated_key_bits(key: str) -> float:
    """How many bits of randomness `key` seems to hold: its length times the Shannon entropy of
    its characters. A generous estimate (it cannot see patterns), but enough to catch keys typed
    by hand.

    >>> estimated_key_bits("a" * 32)
    0.0
    >>> estimated_key_bits("0123456789abcdef" * 2)
    128.0
    """
    if not key:
        return 0.0
    counts = [key.count(character) for character in set(key)]
    entropy = -sum(n / len(key) * math.log2(n / len(key)) for n in counts)
    return round(len(key) * entropy, 6) + 0.0


def signing_key_problem(key: str) -> str | None:
    """Why `key` may not sign identities, or None if it may."""
    if len(key) < MIN_KEY_CHARACTERS:
        return f"IDENTITY_SIGNING_KEY must be at least {MIN_KEY_CHARACTERS} characters."
    if estimated_key_bits(key) < MIN_KEY_BITS:
        return (
            "IDENTITY_SIGNING_KEY is too easy to guess: it repeats too few characters. "
            "Use a random one, e.g. `openssl rand -hex 32`."
        )
    return None


def sign_identity(
    caller: Caller, key: str, *, audience: str, ttl_seconds: int, now: float | None = None
) -> str:
    """Mint the token the gateway forwards to `audience` (a service's or the web app's name):
    `<payload>.<signature>`, both base64url."""
    issued = int(now if now is not None else time.time())
    payload = {
        "caller": caller.model_dump(mode="json"),
        "aud": audience,
        "iat": issued,
        "exp": issued + ttl_seconds,
    }
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    signature = hmac.new(key.encode(), body.encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(signature)}"


def verify_identity(
    token: str, key: str, *, audience: str, max_ttl_seconds: int, now: float | None = None
) -> Caller:
    """Return the caller a token vouches for to `audience`, or raise Unauthorized."""
    try:
        body, signature = token.split(".")
        expected = hmac.new(key.encode(), body.encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(signature)):
            raise Unauthorized("The identity token is not signed by the gateway.")
        payload = json.loads(_unb64(body))
        if not isinstance(payload, dict):
            raise TypeError
        issued, expires = int(payload["iat"]), int(payload["exp"])
    except (ValueError, TypeError, KeyError) as error:
        raise Unauthorized("The identity token is malformed.") from error
    now = now if now is not None else time.time()
    if payload.get("aud") != audience:
        raise Unauthorized("The identity token was made for another part of the system.")
    if expires - issued > max_ttl_seconds or issued > now + CLOCK_SKEW_SECONDS:
        raise Unauthorized("The identity token lives longer than this service accepts.")
    if expires < now:
        raise Unauthorized("The identity token has expired.")
    try:
        return Caller.model_validate(payload.get("caller"))
    except ValidationError as error:
        raise Unauthorized("The identity token is malformed.") from error


def caller_from_token(token: str, settings: Settings, *, audience: str) -> Caller:
    """`verify_identity` with this deployment's key and maximum lifetime."""
    return verify_identity(
        token,
        settings.identity_signing_key.get_secret_value(),
        audience=audience,
        max_ttl_seconds=settings.identity_token_max_ttl_seconds,
    )


def get_caller(request: Request) -> Caller:
    """FastAPI dependency: the verified caller of this request (401 otherwise)."""
    if isinstance(cached := getattr(request.state, "caller", None), Caller):
        return cached
    token = request.headers.get(IDENTITY_HEADER)
    if not token:
        raise Unauthorized("This service is reached through the gateway only.")
    caller = caller_from_token(token, request.app.state.settings, audience=request.app.state.name)
    if caller.platform_admin:
        # The gateway never signs one for a service; were one to arrive, it still gets nothing.
        raise Forbidden(PLATFORM_REFUSAL)
    request.state.caller = caller
    return caller


CallerDep = Annotated[Caller, Depends(get_caller)]


def is_platform_data(method: str, path: str) -> bool:
    """Whether `method path` (as the gateway sees it) is an operation on platform data.

    >>> is_platform_data("DELETE", "/api/v1/finance/library/published-tables/1")
    True
    >>> is_platform_data("GET", "/api/v1/finance/library/published-tables")
    False
    """
    return any(
        method.upper() == m and (path == p or (p.endswith("/") and path.startswith(p)))
        for m, p in PLATFORM_DATA
    )


def get_platform_admin(request: Request) -> Caller:
    """FastAPI dependency of the platform-data operations: the verified caller, who must be a
    platform administrator (401 without an identity, 403 for anyone else)."""
    token = request.headers.get(IDENTITY_HEADER)
    if not token:
        raise Unauthorized("This service is reached through the gateway only.")
    caller = caller_from_token(token, request.app.state.settings, audience=request.app.state.name)
    if not caller.platform_admin:
        raise Forbidden(PLATFORM_ONLY)
    request.state.caller = caller
    return caller


PlatformAdminDep = Annotated[Caller, Depends(get_platform_admin)]


def require_roles(*roles: Role) -> Callable[[Caller], Caller]:
    """Dependency factory: the caller must hold one of `roles`, else 403."""

    def check(caller: CallerDep) -> Caller:
        if not caller.has_any(*roles):
            raise Forbidden("Your role does not allow this.")
        return caller

    return check
