"""Single sign-on through OpenID Connect (authorization code flow with PKCE), e.g. Entra ID.

`/sign-in/sso` sends the browser to the provider with a fresh state, nonce and PKCE verifier, kept
in a short-lived cookie signed with the gateway's key. `/sign-in/sso/callback` checks the state,
exchanges the code, verifies the ID token (signature, issuer, audience, nonce, expiry), maps the
provider's groups to roles, and starts a session just as a password sign-in does. People are
matched by email within the configured council and created on first sign-in; their roles follow
their groups at every sign-in (no mapped group: refused).
"""

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import select

from common.db import Database
from common.errors import Forbidden, NotFound, Unauthorized
from common.identity import Caller, Role
from common.settings import Settings
from gateway.accounts import start_session, unscoped
from gateway.auth import now_of, set_session_cookie
from gateway.events import security_event
from gateway.hardening import client_address
from gateway.models import User

router = APIRouter(include_in_schema=False)
FLOW_COOKIE = "asc_sso"
FLOW_SECONDS = 600


def roles_for(groups: list[str], mapping: dict[str, str]) -> list[str]:
    """Our roles for the provider's groups.

    >>> roles_for(["asc-admins", "other"], {"asc-admins": "admin"})
    ['admin']
    """
    known = {r.value for r in Role}
    return sorted({mapping[g] for g in groups if mapping.get(g) in known})


def _seal(payload: dict[str, Any], key: str) -> str:
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    mac = hmac.new(key.encode(), body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{mac}"


def _unseal(value: str, key: str) -> dict[str, Any] | None:
    body, _, mac = value.partition(".")
    expected = hmac.new(key.encode(), body.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, expected):
        return None
    payload: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return payload if payload.get("exp", 0) > time.time() else None


def _client(request: Request) -> httpx.AsyncClient:
    """The HTTP client for the provider (its transport is replaceable in tests)."""
    transport: httpx.AsyncBaseTransport | None = getattr(request.app.state, "sso_transport", None)
    return httpx.AsyncClient(transport=transport, timeout=10)


async def _metadata(request: Request, settings: Settings) -> dict[str, Any]:
    async with _client(request) as client:
        answer = await client.get(
            settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration"
        )
        answer.raise_for_status()
        metadata: dict[str, Any] = answer.json()
        return metadata


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    if not settings.oidc_issuer:
        raise NotFound("Single sign-on is not set up.")
    return settings


@router.get("/sign-in/sso")
async def start(request: Request, next: str = "/") -> Response:
    """Send the browser to the identity provider."""
    settings = _settings(request)
    metadata = await _metadata(request, settings)
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(48)
    redirect_uri = str(request.url_for("sso_callback"))
    url = prepare_grant_uri(
        metadata["authorization_endpoint"],
        client_id=settings.oidc_client_id,
        response_type="code",
        redirect_uri=redirect_uri,
        scope="openid email profile",
        state=state,
        nonce=nonce,
        code_challenge=create_s256_code_challenge(verifier),
        code_challenge_method="S256",
    )
    response = RedirectResponse(url, status_code=303)
    safe = next if next.startswith("/") and not next.startswith(("//", "/\\")) else "/"
    flow = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "next": safe,
        "exp": time.time() + FLOW_SECONDS,
    }
    response.set_cookie(
        FLOW_COOKIE,
        _seal(flow, settings.identity_signing_key.get_secret_value()),
        max_age=FLOW_SECONDS,
        path="/sign-in/sso",
        httponly=True,
        samesite="lax",
        secure=settings.https_only,
    )
    return response


@router.get("/sign-in/sso/callback", name="sso_callback")
async def callback(request: Request, code: str = "", state: str = "") -> Response:
    """Finish the provider's sign-in and start a session."""
    settings = _settings(request)
    key = settings.identity_signing_key.get_secret_value()
    flow = _unseal(request.cookies.get(FLOW_COOKIE, ""), key)
    if flow is None or not code or not hmac.compare_digest(state, str(flow["state"])):
        security_event("sso_refused", warning=True, reason="state")
        raise Unauthorized("The sign-in did not complete. Start again from the sign-in page.")
    metadata = await _metadata(request, settings)
    async with _client(request) as client:
        token = await client.post(
            metadata["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": str(request.url_for("sso_callback")),
                "code_verifier": flow["verifier"],
            },
            auth=(settings.oidc_client_id, settings.oidc_client_secret.get_secret_value()),
        )
        jwks = (await client.get(metadata["jwks_uri"])).json()
    if token.status_code != 200 or "id_token" not in token.json():
        security_event("sso_refused", warning=True, reason="token")
        raise Unauthorized("The identity provider did not confirm the sign-in.")
    claims = _verified_claims(token.json()["id_token"], jwks, settings, str(flow["nonce"]))
    email = str(claims.get("email") or "").strip().lower()
    groups = claims.get(settings.oidc_groups_claim) or []
    roles = roles_for([str(g) for g in groups], settings.oidc_group_roles)
    if not email or not roles:
        security_event("sso_refused", warning=True, reason="no role", email=email)
        raise Forbidden("Your account has no role in ASC Tracker. Ask your administrator.")
    org_id = settings.oidc_org_id or settings.demo_org_id
    database: Database = request.app.state.database
    now = now_of(request)
    with unscoped(database.session(None)) as session:
        # The audit trail names the identity provider as who made or changed the account.
        session.info["caller"] = Caller(
            org_id=org_id, user_id="sso", display_name="Single sign-on", client="sso"
        )
        user = session.scalar(select(User).where(User.email == email))
        if user is not None and user.org_id != org_id:
            raise Forbidden("Your account belongs to another organisation.")
        if user is None:
            user = User(
                org_id=org_id,
                email=email,
                display_name=str(claims.get("name") or email),
                roles=roles,
            )
            session.add(user)
        elif user.disabled:
            raise Forbidden("Your account is disabled. Ask your administrator.")
        else:
            user.roles = roles
        session.flush()
        new = start_session(session, user, settings=settings, now=now)
        session.commit()
    address = client_address(request.scope)
    security_event(
        "sign_in", user_id=str(user.id), org_id=str(org_id), method="sso", address=address
    )
    response = RedirectResponse(str(flow["next"]), status_code=303)
    response.delete_cookie(FLOW_COOKIE, path="/sign-in/sso")
    set_session_cookie(response, settings, new.secret)
    return response


def _verified_claims(
    id_token: str, jwks: dict[str, Any], settings: Settings, nonce: str
) -> dict[str, Any]:
    try:
        token = jwt.decode(id_token, KeySet.import_key_set(jwks))  # type: ignore[arg-type]
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": settings.oidc_issuer},
            aud={"essential": True, "value": settings.oidc_client_id},
            nonce={"essential": True, "value": nonce},
            exp={"essential": True},
        ).validate(token.claims)
    except (JoseError, ValueError) as error:
        security_event("sso_refused", warning=True, reason="id token")
        raise Unauthorized("The identity provider's answer could not be verified.") from error
    return dict(token.claims)
