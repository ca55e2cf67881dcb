"""Who is calling: the identity the gateway vouches for, and how services check it.

The gateway authenticates each request and forwards the caller to a service as a short-lived token
in the `X-ASC-Identity` header, signed with HMAC-SHA256 under a key only the gateway and the
services share. A service trusts nothing else: a request with no token, a forged one or an expired
one is refused with 401, so reaching a service directly gives nothing.
"""

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, ValidationError

from common.errors import Forbidden, Unauthorized

IDENTITY_HEADER = "x-asc-identity"
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

    def has_any(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_identity(caller: Caller, key: str, *, ttl_seconds: int, now: float | None = None) -> str:
    """Mint the token the gateway forwards: `<payload>.<signature>`, both base64url."""
    issued = int(now if now is not None else time.time())
    payload = {"caller": caller.model_dump(mode="json"), "exp": issued + ttl_seconds}
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    signature = hmac.new(key.encode(), body.encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(signature)}"


def verify_identity(token: str, key: str, *, now: float | None = None) -> Caller:
    """Return the caller a token vouches for, or raise Unauthorized."""
    try:
        body, signature = token.split(".")
        expected = hmac.new(key.encode(), body.encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(signature)):
            raise Unauthorized("The identity token is not signed by the gateway.")
        payload = json.loads(_unb64(body))
    except (ValueError, TypeError) as error:
        raise Unauthorized("The identity token is malformed.") from error
    if not isinstance(payload, dict) or int(payload.get("exp", 0)) < (now or time.time()):
        raise Unauthorized("The identity token has expired.")
    try:
        return Caller.model_validate(payload.get("caller"))
    except ValidationError as error:
        raise Unauthorized("The identity token is malformed.") from error


def get_caller(request: Request) -> Caller:
    """FastAPI dependency: the verified caller of this request (401 otherwise)."""
    token = request.headers.get(IDENTITY_HEADER)
    if not token:
        raise Unauthorized("This service is reached through the gateway only.")
    key: str = request.app.state.settings.identity_signing_key.get_secret_value()
    caller = verify_identity(token, key)
    request.state.caller = caller
    return caller


CallerDep = Annotated[Caller, Depends(get_caller)]


def require_roles(*roles: Role) -> Callable[[Caller], Caller]:
    """Dependency factory: the caller must hold one of `roles`, else 403."""

    def check(caller: CallerDep) -> Caller:
        if not caller.has_any(*roles):
            raise Forbidden("Your role does not allow this.")
        return caller

    return check
