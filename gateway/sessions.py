"""Signing in and out. The web app's sign-in page posts here through the gateway's API and
passes the cookie this sets on to the browser; sign-out is a plain form post to the gateway."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from common import crud
from common.audit import declare_no_change
from common.db import Database
from common.errors import AppError, FieldError, Forbidden, Unauthorized, ValidationFailed
from common.pagination import Page, PageDep, paginate
from common.settings import Settings
from gateway.accounts import (
    SignInRefused,
    check_password,
    digest,
    end_session,
    hash_password,
    password_matches,
    start_session,
    unscoped,
)
from gateway.auth import now_of, session_cookie_name, set_session_cookie
from gateway.events import security_event
from gateway.hardening import client_address
from gateway.models import User, UserSession
from gateway.passwords import require_acceptable_password
from gateway.schemas import MySession, PasswordChange, ReEnteredPassword, SessionRead, SignIn

router = APIRouter(tags=["sessions"])


class Locked(AppError, status=429): ...


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(_settings)]


@router.post("/api/v1/sessions", status_code=201, response_model=SessionRead)
def sign_in(
    body: SignIn, request: Request, response: Response, settings: SettingsDep
) -> SessionRead:
    """Check an email and password and start a session (sets the session cookie)."""
    database: Database = request.app.state.database
    now = now_of(request)
    address = client_address(request.scope)
    # Many accounts tried from one place (credential stuffing) meet this before any lockout.
    if (wait := request.app.state.rate_limiters["sign_in"].take(address)) is not None:
        security_event("sign_in_rate_limited", warning=True, address=address)
        raise Locked(
            f"Too many attempts to sign in from here. Try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )
    with unscoped(database.session(None)) as session:
        try:
            user = check_password(
                session, email=body.email, password=body.password, address=address, now=now
            )
        except SignInRefused as refused:
            session.commit()  # the failed guess counts
            event = "sign_in_locked" if refused.locked else "sign_in_failed"
            security_event(event, warning=True, email=body.email.strip().lower(), address=address)
            if refused.locked:
                raise Locked(str(refused), headers={"Retry-After": "300"}) from None
            raise Unauthorized(str(refused)) from None
        if old := request.cookies.get(session_cookie_name(settings)):
            end_session(session, old)  # a sign-in always gets a new id; the old one is dead
        new = start_session(session, user, settings=settings, now=now)
        session.commit()
    declare_no_change("sign-in")  # a security event: sessions are not in the audit trail
    security_event("sign_in", user_id=str(user.id), org_id=str(user.org_id), address=address)
    set_session_cookie(response, settings, new.secret)
    return SessionRead(csrf_token=new.csrf_token, expires_at=new.expires_at)


def _end(request: Request, response: Response, settings: Settings) -> None:
    declare_no_change("sign-out")  # a security event: sessions are not in the audit trail
    name = session_cookie_name(settings)
    if secret := request.cookies.get(name):
        database: Database = request.app.state.database
        with unscoped(database.session(None)) as session:
            end_session(session, secret)
            session.commit()
        caller = request.state.caller
        security_event("sign_out", user_id=caller.user_id if caller else None)
    response.delete_cookie(
        name, path="/", httponly=True, samesite="lax", secure=settings.https_only
    )


@router.post("/api/v1/me/password", status_code=204)
def change_password(body: PasswordChange, request: Request, settings: SettingsDep) -> Response:
    """Change your own password (the current one is needed). Your other sessions end; this one
    goes on."""
    caller = request.state.caller
    if caller is None or caller.csrf is None:
        raise Forbidden("Only a signed-in person can change their password.")
    database: Database = request.app.state.database
    with database.session(caller.org_id) as session:
        session.info["caller"] = caller  # for the audit trail
        user = session.get(User, uuid.UUID(caller.user_id))
        if user is None:
            raise Forbidden("Only a signed-in person can change their password.")
        if not password_matches(user.password_hash, body.current_password):
            security_event("password_change_refused", warning=True, user_id=caller.user_id)
            raise ValidationFailed(
                "Your current password is not right.",
                errors=[FieldError("current_password", "Your current password is not right")],
            )
        require_acceptable_password(body.new_password, email=user.email, field="new_password")
        user.password_hash = hash_password(body.new_password)
        keep = digest(request.cookies.get(session_cookie_name(settings), ""))
        session.execute(
            delete(UserSession).where(UserSession.user_id == user.id, UserSession.id_digest != keep)
        )
        session.commit()
    security_event("password_changed", user_id=caller.user_id)
    return Response(status_code=204)


def _signed_in_user(request: Request, session: Session) -> User:
    caller = request.state.caller
    user = session.get(User, uuid.UUID(caller.user_id)) if caller and caller.csrf else None
    if user is None:
        raise Forbidden("Only a person signed in with a session can do this.")
    return user


@router.get("/api/v1/me/sessions", response_model=Page[MySession])
def my_sessions(request: Request, settings: SettingsDep, page: PageDep) -> Page[MySession]:
    """Where you are signed in, last used first: each session's start, last use and end."""
    database: Database = request.app.state.database
    here = digest(request.cookies.get(session_cookie_name(settings), ""))
    with unscoped(database.session(None)) as session:
        user = _signed_in_user(request, session)
        latest = (
            select(UserSession)
            .where(UserSession.user_id == user.id)
            .order_by(UserSession.last_seen_at.desc(), UserSession.id_digest)
        )
        rows, total = paginate(session, latest, page)
        mine = [
            MySession(
                created_at=row.created_at,
                last_seen_at=row.last_seen_at,
                expires_at=row.expires_at,
                current=row.id_digest == here,
            )
            for row in rows
        ]
        return crud.page_of(mine, total, page)


@router.post("/api/v1/me/sessions/end-others", status_code=204)
def end_my_other_sessions(
    body: ReEnteredPassword, request: Request, settings: SettingsDep
) -> Response:
    """Sign out everywhere but here; your password is asked again first."""
    database: Database = request.app.state.database
    here = digest(request.cookies.get(session_cookie_name(settings), ""))
    with unscoped(database.session(None)) as session:
        user = _signed_in_user(request, session)
        if not password_matches(user.password_hash, body.password):
            raise ValidationFailed(
                "Your password is not right.",
                errors=[FieldError("password", "Your password is not right")],
            )
        session.execute(
            delete(UserSession).where(UserSession.user_id == user.id, UserSession.id_digest != here)
        )
        session.commit()
    declare_no_change("sign-out")  # a security event: sessions are not in the audit trail
    security_event("other_sessions_ended", user_id=str(user.id))
    return Response(status_code=204)


@router.delete("/api/v1/sessions/current", status_code=204)
def sign_out_api(request: Request, settings: SettingsDep) -> Response:
    """End the session of the cookie sent with this request."""
    response = Response(status_code=204)
    _end(request, response, settings)
    return response


@router.post("/sign-out", include_in_schema=False)
def sign_out(request: Request, settings: SettingsDep) -> Response:
    """The header's sign-out button: end the session and go to the sign-in page."""
    response = RedirectResponse("/sign-in", status_code=303)
    _end(request, response, settings)
    return response
