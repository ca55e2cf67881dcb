"""The gateway's own administration API: users, API keys, the organisation's settings, and the
audit trail of every change to them (`GET /api/v1/audit-events`, read only).

Admins only, and always within their own organisation (the session is scoped to it).
"""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, time
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from common import crud
from common.audit import AuditEventRead, audit_page, declare_no_change
from common.concurrency import require_if_match, set_etag
from common.db import unit_of_work
from common.errors import FieldError, NotFound, ValidationFailed
from common.identity import Caller, Role
from common.pagination import Page, PageDep, paginate
from gateway.accounts import deadlines_of, end_sessions_of, hash_password, mint_api_key
from gateway.auth import now_of, signed_in_caller
from gateway.events import security_event
from gateway.models import ApiKey, Organisation, User
from gateway.passwords import require_acceptable_password
from gateway.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    OrganisationRead,
    OrganisationUpdate,
    UserCreate,
    UserRead,
    UserUpdate,
)

router = APIRouter(prefix="/api/v1", tags=["administration"])


admin = signed_in_caller(
    lambda caller: Role.ADMIN in caller.roles, "Only an administrator may do this."
)
AdminDep = Annotated[Caller, Depends(admin)]


def admin_session(request: Request, caller: AdminDep) -> Iterator[Session]:
    with unit_of_work(request.app.state.database, caller) as session:
        yield session


DbDep = Annotated[Session, Depends(admin_session)]


def _user(session: Session, user_id: uuid.UUID) -> User:
    user = session.scalar(select(User).where(User.id == user_id))
    if user is None:
        raise NotFound("There is no such user.")
    return user


@router.get("/users", response_model=Page[UserRead])
def list_users(session: DbDep, page: PageDep) -> Page[UserRead]:
    """Everyone who can sign in to this organisation, by name."""
    items, total = paginate(session, select(User).order_by(User.display_name, User.id), page)
    return crud.page(items, total, page, UserRead)


@router.post("/users", response_model=UserRead, status_code=201)
def create_user(body: UserCreate, session: DbDep, caller: AdminDep) -> User:
    """Add a person with their roles, team and a first password."""
    if session.scalar(select(User.id).where(User.email == body.email)):
        raise _email_taken()
    require_acceptable_password(body.password, email=body.email, field="password")
    user = User(
        email=body.email,
        display_name=body.display_name,
        team=body.team or None,
        roles=sorted({r.value for r in body.roles}),
        password_hash=hash_password(body.password),
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        raise _email_taken() from None  # the address belongs to someone in another council
    security_event(
        "user_created", by=caller.user_id, user_id=str(user.id), roles=user.roles, team=user.team
    )
    return user


def _email_taken() -> ValidationFailed:
    return ValidationFailed(
        "That email address is already in use.",
        errors=[FieldError("email", "That email address is already in use")],
    )


@router.get("/users/{user_id}", response_model=UserRead)
def get_user(user_id: uuid.UUID, session: DbDep, response: Response) -> User:
    user = _user(session, user_id)
    set_etag(response, user.version)
    return user


@router.patch("/users/{user_id}", response_model=UserRead)
def update_user(
    user_id: uuid.UUID,
    body: UserUpdate,
    session: DbDep,
    caller: AdminDep,
    request: Request,
    response: Response,
) -> User:
    """Change a person's roles, team or name, disable them or set a new password. Disabling or
    changing roles signs them out everywhere at once."""
    user = _user(session, user_id)
    require_if_match(request, user.version)
    changes = body.model_dump(exclude_unset=True)
    ends_sessions = False
    if "roles" in changes and changes["roles"] is not None:
        roles = sorted({r.value for r in body.roles or []})
        ends_sessions = roles != sorted(user.roles)
        user.roles = roles
    if changes.get("disabled") is not None:
        ends_sessions = ends_sessions or (body.disabled and not user.disabled) or False
        user.disabled = bool(body.disabled)
    if changes.get("display_name") is not None:
        user.display_name = str(body.display_name)
    if "team" in changes:
        user.team = body.team or None
    if changes.get("password") is not None:
        require_acceptable_password(str(body.password), email=user.email, field="password")
        user.password_hash = hash_password(str(body.password))
        ends_sessions = True
    if not session.is_modified(user):
        declare_no_change("unchanged")
    session.flush()
    if ends_sessions:
        end_sessions_of(session, user.id)
    security_event(
        "user_changed",
        by=caller.user_id,
        user_id=str(user.id),
        fields=sorted(changes),  # names only: never the new password
        roles=user.roles,
        disabled=user.disabled,
        signed_out=ends_sessions,
    )
    set_etag(response, user.version)
    return user


@router.post("/users/{user_id}/sign-out", status_code=204)
def sign_user_out(user_id: uuid.UUID, session: DbDep, caller: AdminDep) -> Response:
    """End every session of one person, wherever they are signed in."""
    user = _user(session, user_id)
    end_sessions_of(session, user.id)
    declare_no_change("sign-out")  # a security event: sessions are not in the audit trail
    security_event("user_signed_out", by=caller.user_id, user_id=str(user.id))
    return Response(status_code=204)


@router.get("/api-keys", response_model=Page[ApiKeyRead])
def list_api_keys(session: DbDep, page: PageDep) -> Page[ApiKeyRead]:
    """Every API key of this organisation, newest first, revoked ones too (never the keys
    themselves)."""
    newest = select(ApiKey).order_by(ApiKey.created_at.desc(), ApiKey.id)
    items, total = paginate(session, newest, page)
    return crud.page(items, total, page, ApiKeyRead)


@router.post("/api-keys", response_model=ApiKeyCreated, status_code=201)
def create_api_key(
    body: ApiKeyCreate, session: DbDep, caller: AdminDep, request: Request
) -> ApiKeyCreated:
    """Make a key for an integrator, acting as one role. The response is the only time the key
    is shown."""
    if problems := body.problems():
        raise ValidationFailed(
            problems[0][1] + ".", errors=[FieldError(field, message) for field, message in problems]
        )
    expires_at = None
    if body.expires_on is not None:
        expires_at = datetime.combine(body.expires_on, time.min, tzinfo=UTC)
        if expires_at <= now_of(request):
            raise ValidationFailed(
                "The expiry date must be in the future.",
                errors=[FieldError("expires_on", "The expiry date must be in the future")],
            )
    new = mint_api_key(
        session,
        name=body.name,
        access=body.access,
        services=list(body.services),
        role=body.role or "viewer",
        team=(body.team or "").strip() or None,
        expires_at=expires_at,
        created_by=caller.display_name or caller.user_id,
    )
    session.refresh(new.row)
    security_event(
        "api_key_created",
        by=caller.user_id,
        key_id=str(new.row.id),
        access=new.row.access,
        services=new.row.services,
        role=new.row.role,
    )
    return ApiKeyCreated(**ApiKeyRead.model_validate(new.row).model_dump(), key=new.secret)


@router.post("/api-keys/{key_id}/revoke", response_model=ApiKeyRead)
def revoke_api_key(key_id: uuid.UUID, session: DbDep, caller: AdminDep, request: Request) -> ApiKey:
    """Stop a key working at once. The record stays, for the history."""
    key = session.scalar(select(ApiKey).where(ApiKey.id == key_id))
    if key is None:
        raise NotFound("There is no such API key.")
    if key.revoked_at is None:
        key.revoked_at = now_of(request)
        session.flush()
        security_event("api_key_revoked", by=caller.user_id, key_id=str(key.id))
    else:
        declare_no_change("unchanged")
    return key


@router.get("/organisation", response_model=OrganisationRead)
def get_organisation(session: DbDep, caller: AdminDep, response: Response) -> OrganisationRead:
    """The council's name, self-approval setting and deadlines, with its version as the ETag."""
    return crud.one(response, _organisation(session, caller), OrganisationRead)


def _organisation(session: Session, caller: Caller) -> Organisation:
    organisation = session.get(Organisation, caller.org_id)
    if organisation is None:
        raise NotFound("Your organisation does not exist.")
    return organisation


@router.patch("/organisation", response_model=OrganisationRead)
def update_organisation(
    body: OrganisationUpdate,
    session: DbDep,
    caller: AdminDep,
    request: Request,
    response: Response,
) -> OrganisationRead:
    """Rename the organisation (council), allow one-person teams to approve their own figures,
    or change its deadlines and reminders. Requires If-Match. People's identities carry the
    change from their next request."""
    organisation = _organisation(session, caller)
    crud.check_version(request, organisation)
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    if (deadlines := changes.pop("deadlines", None)) is not None:
        merged = deadlines_of(organisation).model_copy(update=deadlines)
        organisation.deadlines = merged.model_dump()
    for field, value in changes.items():
        setattr(organisation, field, value)
    if not session.is_modified(organisation):
        declare_no_change("unchanged")
    session.flush()
    security_event("organisation_renamed", by=caller.user_id, org_id=str(caller.org_id))
    return crud.one(response, organisation, OrganisationRead)


@router.get("/audit-events", response_model=Page[AuditEventRead], tags=["audit"])
def list_audit_events(
    session: DbDep,
    caller: AdminDep,
    page: PageDep,
    entity: Annotated[str | None, Query(max_length=100)] = None,
    entity_id: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[AuditEventRead]:
    """Who changed users, roles, teams, API keys and the organisation, and what, newest first;
    filter to one record with entity (users, api_keys, organisations) and entity_id. Passwords
    and key digests appear only as "set" or "changed"."""
    return audit_page(session, "identity", caller.org_id, page, entity=entity, entity_id=entity_id)
