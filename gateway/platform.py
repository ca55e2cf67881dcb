"""Platform administration: the councils on this deployment. A platform administrator adds a
council with its first administrator, disables or enables one, and sees each one's usage.

A platform administrator is a user of no council (`NO_COUNCIL`, no role in any), made only from
the command line:

    python -m gateway.platform create-admin --email platform@example.org

(the password is read from the terminal, or from standard input, never from the arguments).
They reach this API and its pages alone: the gateway refuses them every service and council
operation, never signs an identity for a service for them, and the services refuse one anyway
(`common/identity.py:get_caller`).
"""

import argparse
import getpass
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from common import crud
from common.audit import declare_no_change
from common.db import Database, committed, make_engine
from common.errors import FieldError, NotFound, ValidationFailed
from common.identity import NO_COUNCIL, PLATFORM_ONLY, Caller, Role
from common.pagination import Page, PageDep, paginate
from common.read_shapes import read_shape
from common.settings import get_settings
from gateway import resets
from gateway.accounts import hash_password, normalise_email, unscoped
from gateway.auth import now_of, signed_in_caller
from gateway.events import security_event
from gateway.models import ApiKey, Organisation, User, UserSession
from gateway.passwords import require_acceptable_password
from gateway.platform_schemas import (
    CouncilAdminRead,
    CouncilCreate,
    CouncilCreated,
    CouncilRead,
    CouncilUsage,
)
from gateway.schemas import _email

router = APIRouter(prefix="/api/v1/platform", tags=["platform"])


platform_admin = signed_in_caller(lambda caller: caller.platform_admin, PLATFORM_ONLY)
PlatformAdminDep = Annotated[Caller, Depends(platform_admin)]


def platform_session(request: Request, caller: PlatformAdminDep) -> Iterator[Session]:
    """A unit of work over every council's identity rows (never a service's), recorded in the
    audit trail of the council each row belongs to, as done by this platform administrator."""
    database: Database = request.app.state.database
    with unscoped(database.session(None)) as session, committed(session, caller):
        yield session


DbDep = Annotated[Session, Depends(platform_session, scope="function")]


def _usage(session: Session, now: datetime) -> dict[uuid.UUID, CouncilUsage]:
    """Each council's usage, in two grouped queries whatever the number of councils."""
    people = session.execute(
        select(
            User.org_id,
            func.count(),
            func.count().filter(User.disabled.is_(False)),
            func.max(User.last_signed_in_at),
        ).group_by(User.org_id)
    ).all()
    live_keys = session.execute(
        select(ApiKey.org_id, func.count())
        .where(
            ApiKey.revoked_at.is_(None),
            ApiKey.expires_at.is_(None) | (ApiKey.expires_at > now),
        )
        .group_by(ApiKey.org_id)
    ).all()
    keys = dict(live_keys)
    usage = {
        org_id: CouncilUsage(
            people=total, active_people=active, api_keys=keys.get(org_id, 0), last_sign_in_at=last
        )
        for org_id, total, active, last in people
    }
    for org_id, count in keys.items():
        usage.setdefault(org_id, _no_usage().model_copy(update={"api_keys": count}))
    return usage


def _no_usage() -> CouncilUsage:
    return CouncilUsage(people=0, active_people=0, api_keys=0, last_sign_in_at=None)


def _read(organisation: Organisation, usage: dict[uuid.UUID, CouncilUsage]) -> CouncilRead:
    return read_shape(CouncilRead, organisation, usage=usage.get(organisation.id) or _no_usage())


def _council(session: Session, org_id: uuid.UUID) -> Organisation:
    organisation = session.get(Organisation, org_id)
    if organisation is None or org_id == NO_COUNCIL:
        raise NotFound("There is no such council.")
    return organisation


@router.get("/councils", response_model=Page[CouncilRead])
def list_councils(session: DbDep, request: Request, page: PageDep) -> Page[CouncilRead]:
    """Every council on the deployment, by name, with its usage: people, working API keys and
    the last sign-in (from the identity schema only: no council's records are read)."""
    usage = _usage(session, now_of(request))
    by_name = select(Organisation).order_by(Organisation.name, Organisation.id)
    councils, total = paginate(session, by_name, page)
    return crud.page_of([_read(organisation, usage) for organisation in councils], total, page)


@router.get("/councils/{org_id}", response_model=CouncilRead)
def get_council(org_id: uuid.UUID, session: DbDep, request: Request) -> CouncilRead:
    return _read(_council(session, org_id), _usage(session, now_of(request)))


@router.post("/councils", response_model=CouncilCreated, status_code=201)
def create_council(
    body: CouncilCreate, session: DbDep, caller: PlatformAdminDep, request: Request
) -> CouncilCreated:
    """Add a council and its first administrator, who gets a one-time link (24 hours) to set
    their own password: the response is the only time it is shown."""
    problems = []
    if session.scalar(select(Organisation.id).where(Organisation.slug == body.slug)):
        problems.append(FieldError("slug", "A council with that code already exists"))
    if session.scalar(
        select(Organisation.id).where(func.lower(Organisation.name) == body.name.strip().lower())
    ):
        problems.append(FieldError("name", "A council with that name already exists"))
    if session.scalar(select(User.id).where(User.email == body.admin_email)):
        problems.append(FieldError("admin_email", "That email address is already in use"))
    if problems:
        raise ValidationFailed(problems[0]["message"] + ".", errors=problems)
    organisation = Organisation(id=uuid.uuid4(), slug=body.slug, name=body.name.strip())
    session.add(organisation)
    session.flush()
    admin = User(
        org_id=organisation.id,
        email=body.admin_email,
        display_name=body.admin_name.strip(),
        roles=[Role.ADMIN.value],
        password_hash=None,  # set by the admin themselves, with the link
    )
    session.add(admin)
    session.flush()
    link = resets.make_link(session, admin, by=caller.user_id, now=now_of(request))
    session.refresh(organisation)
    security_event(
        "council_created",
        by=caller.user_id,
        org_id=str(organisation.id),
        slug=organisation.slug,
        admin_user_id=str(admin.id),
    )
    return CouncilCreated(
        council=_read(organisation, _usage(session, now_of(request))),
        admin=read_shape(CouncilAdminRead, admin),
        password_reset=link,
    )


@router.post("/councils/{org_id}/disable", response_model=CouncilRead)
def disable_council(
    org_id: uuid.UUID, session: DbDep, caller: PlatformAdminDep, request: Request
) -> CouncilRead:
    """Stop a council using the service at once: its people are signed out and cannot sign in,
    its API keys stop working. Its records stay, and enabling it brings everything back."""
    organisation = _council(session, org_id)
    if organisation.disabled_at is None:
        organisation.disabled_at = now_of(request)
        session.flush()
        session.execute(
            delete(UserSession)
            .where(UserSession.org_id == org_id)
            .execution_options(synchronize_session=False)
        )
        security_event("council_disabled", by=caller.user_id, org_id=str(org_id))
    else:
        declare_no_change("unchanged")
    return _read(organisation, _usage(session, now_of(request)))


@router.post("/councils/{org_id}/enable", response_model=CouncilRead)
def enable_council(
    org_id: uuid.UUID, session: DbDep, caller: PlatformAdminDep, request: Request
) -> CouncilRead:
    """Let a disabled council's people sign in and its keys work again."""
    organisation = _council(session, org_id)
    if organisation.disabled_at is not None:
        organisation.disabled_at = None
        session.flush()
        security_event("council_enabled", by=caller.user_id, org_id=str(org_id))
    else:
        declare_no_change("unchanged")
    return _read(organisation, _usage(session, now_of(request)))


# The command line ---------------------------------------------------------------------------


class CommandFailed(Exception):
    """What went wrong, for the person at the terminal."""


def create_admin(database: Database, *, email: str, name: str, password: str) -> User:
    """Make a platform administrator (a user of no council, with no council role)."""
    try:
        email = _email(normalise_email(email))
    except ValueError as error:
        raise CommandFailed(str(error)) from None
    try:
        require_acceptable_password(password, email=email, field="password")
    except ValidationFailed as error:
        raise CommandFailed(error.errors[0]["message"] if error.errors else error.detail) from None
    # Emails are unique on the deployment: the check looks in every council, and the new row is
    # stamped with no council.
    with unscoped(database.session(NO_COUNCIL)) as session:
        if session.scalar(select(User.id).where(User.email == email)) is not None:
            raise CommandFailed("That email address is already in use.")
        user = User(email=email, display_name=name, roles=[], password_hash=hash_password(password))
        session.add(user)
        session.commit()
    security_event("platform_admin_created", user_id=str(user.id))
    return user


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")  # piped in: one line, as it stands
    first = getpass.getpass("Password (at least 12 characters): ")
    if getpass.getpass("The same password again: ") != first:
        raise CommandFailed("The two passwords are not the same.")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway.platform")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser(
        "create-admin",
        help="make a platform administrator, who adds and disables councils; the password is "
        "asked for, or read from standard input",
    )
    create.add_argument("--email", required=True)
    create.add_argument("--name", default="Platform administrator")
    arguments = parser.parse_args(argv)
    try:
        password = _read_password()
        database = Database(make_engine(get_settings().database_url))
        try:
            user = create_admin(
                database, email=arguments.email, name=arguments.name, password=password
            )
        finally:
            database.dispose()
    except CommandFailed as failed:
        sys.stderr.write(f"Not created: {failed}\n")
        return 1
    sys.stdout.write(f"Platform administrator {user.email} created. Sign in at /sign-in.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
