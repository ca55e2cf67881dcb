"""Password reset links (ASVS 5.0 6.4.3): an admin makes a one-time link for someone, passes it
on, and that person sets a new password at it.

No email is sent: this deployment has no mail service, and a link an admin hands over (by phone,
Teams, in person) needs no mailbox to be trusted. The link carries 256 random bits; only their
SHA-256 digest is stored. It works once, for 24 hours; making another stops the earlier ones.
Using it ends every session of the person, and signs nobody in: they then sign in as usual.
"""

import uuid
from datetime import datetime, timedelta

from fastapi import APIRouter, Request, Response
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from common.audit import declare_no_change
from common.db import Database
from common.errors import AppError, FieldError, ValidationFailed
from gateway.accounts import (
    caller_of,
    digest,
    end_sessions_of,
    hash_password,
    new_secret,
    unscoped,
)
from gateway.admin import AdminDep, DbDep, _user
from gateway.auth import now_of
from gateway.events import security_event
from gateway.hardening import client_address
from gateway.models import PasswordReset, User
from gateway.passwords import require_acceptable_password
from gateway.schemas import (
    PasswordResetCreated,
    PasswordResetLink,
    PasswordResetToken,
    PasswordResetUse,
)

router = APIRouter(prefix="/api/v1", tags=["administration"])
LIFETIME = timedelta(hours=24)
PAGE = "/reset-password"
GONE = (
    "This link to set a password has expired or has already been used. "
    "Ask an administrator for a new one."
)


class LinkGone(AppError, status=410): ...


@router.post("/users/{user_id}/password-reset", status_code=201)
def issue_password_reset(
    user_id: uuid.UUID, session: DbDep, caller: AdminDep, request: Request
) -> PasswordResetCreated:
    """Make a one-time link for this person to set a new password, valid for 24 hours. The
    response is the only time the link is shown; any earlier link of theirs stops working."""
    user = _user(session, user_id)
    if user.disabled:
        raise ValidationFailed(
            "This person is disabled. Enable them before making a link to set a password.",
            errors=[FieldError("form", "This person is disabled: enable them first")],
        )
    return make_link(session, user, by=caller.user_id, now=now_of(request))


def make_link(session: Session, user: User, *, by: str, now: datetime) -> PasswordResetCreated:
    """A new one-time link for `user` (their earlier ones stop working), shown this once."""
    _forget_links(session, user.id)
    token, token_digest = new_secret()
    reset = PasswordReset(
        token_digest=token_digest,
        user_id=user.id,
        org_id=user.org_id,
        created_by=by,
        created_at=now,
        expires_at=now + LIFETIME,
    )
    session.add(reset)
    session.flush()
    security_event(
        "password_reset_issued", by=by, user_id=str(user.id), expires_at=str(reset.expires_at)
    )
    return PasswordResetCreated(path=f"{PAGE}?token={token}", expires_at=reset.expires_at)


def _forget_links(session: Session, user_id: uuid.UUID) -> None:
    session.execute(
        delete(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
        .execution_options(synchronize_session=False)
    )


def _live_link(
    session: Session, token: str, now: datetime, *, address: str, lock: bool = False
) -> tuple[PasswordReset, User]:
    query = select(PasswordReset).where(PasswordReset.token_digest == digest(token))
    reset = session.scalar(query.with_for_update() if lock else query)
    user = session.get(User, reset.user_id) if reset else None
    reason = None
    if reset is None or user is None:
        reason = "unknown"
    elif reset.used_at is not None:
        reason = "used"
    elif now >= reset.expires_at:
        reason = "expired"
    elif user.disabled:
        reason = "disabled"
    if reason is not None or reset is None or user is None:
        security_event("password_reset_refused", warning=True, reason=reason, address=address)
        raise LinkGone(GONE)
    return reset, user


@router.post("/password-resets/lookup", response_model=PasswordResetLink)
def look_up_password_reset(body: PasswordResetToken, request: Request) -> PasswordResetLink:
    """Whose password a link sets and until when, or 410 if it has expired or been used. (A
    POST, so that the token never sits in a URL the gateway logs.)"""
    declare_no_change("lookup")
    database: Database = request.app.state.database
    address = client_address(request.scope)
    with unscoped(database.session(None)) as session:
        reset, user = _live_link(session, body.token, now_of(request), address=address)
        return PasswordResetLink(email=user.email, expires_at=reset.expires_at)


@router.post("/password-resets/use", status_code=204)
def use_password_reset(body: PasswordResetUse, request: Request) -> Response:
    """Set a new password with a link (once). Every session of the person ends; nobody is signed
    in by this."""
    database: Database = request.app.state.database
    now = now_of(request)
    address = client_address(request.scope)
    with unscoped(database.session(None)) as session:
        reset, user = _live_link(session, body.token, now, address=address, lock=True)
        require_acceptable_password(body.new_password, email=user.email, field="new_password")
        session.info["caller"] = caller_of(user, client="password-reset")  # for the audit trail
        user.password_hash = hash_password(body.new_password)
        reset.used_at = now
        session.flush()
        _forget_links(session, user.id)
        end_sessions_of(session, user.id)
        session.commit()
    security_event("password_reset_used", user_id=str(user.id), address=address)
    return Response(status_code=204)
