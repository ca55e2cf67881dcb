"""Users, sessions, password guesses and API keys: the gateway's use cases on the identity schema.

Functions take an open SQLAlchemy session and flush but never commit; the caller owns the unit of
work. Secrets (session ids, API keys) are random, shown once, and stored only as SHA-256 digests.
"""

import hashlib
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from common.deadlines import Deadlines
from common.identity import NO_COUNCIL, Caller, Role
from common.settings import Settings
from gateway.models import ApiKey, LoginAttempt, Organisation, User, UserSession
from gateway.passwords import normalise_password

Clock = Callable[[], datetime]
MAX_FAILURES = 10
FAILURE_WINDOW = timedelta(minutes=5)
KEY_PREFIX = "asc_"
_hasher = PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) parameters
# Verified against when the email is unknown, so a guess takes as long either way.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def utcnow() -> datetime:
    return datetime.now(UTC)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret(prefix: str = "") -> tuple[str, str]:
    """A new secret, 256 random bits after `prefix`, and the digest it is stored by."""
    secret = prefix + secrets.token_urlsafe(32)
    return secret, digest(secret)


def hash_password(password: str) -> str:
    return _hasher.hash(normalise_password(password))


def _verifies(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_matches(password_hash: str | None, password: str) -> bool:
    normalised = normalise_password(password)
    if _verifies(password_hash or _DUMMY_HASH, normalised):
        return password_hash is not None
    # A password set before passwords were normalised was hashed as it was typed.
    return (
        password_hash is not None and normalised != password and _verifies(password_hash, password)
    )


def normalise_email(email: str) -> str:
    return email.strip().lower()


def unscoped(session: Session) -> Session:
    """Let `session` read identity rows before the organisation is known (sign-in, cookies)."""
    session.info["all_organisations"] = True
    return session


class SignInRefused(Exception):
    def __init__(self, message: str, *, locked: bool = False) -> None:
        super().__init__(message)
        self.locked = locked


WRONG_CREDENTIALS = "Enter a correct email address and password."
LOCKED = (
    "There have been too many attempts to sign in to this account. Wait 5 minutes and try again."
)


def recent_failures(session: Session, email: str, now: datetime) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(
                LoginAttempt.email == email,
                LoginAttempt.at > now - FAILURE_WINDOW,
                LoginAttempt.succeeded.is_(False),
            )
        )
        or 0
    )


def check_password(
    session: Session, *, email: str, password: str, address: str, now: datetime
) -> User:
    """The user these credentials belong to, or SignInRefused (locked after 10 failures in 5
    minutes, whether or not the account exists, so lockout says nothing about who has one)."""
    email = normalise_email(email)
    if recent_failures(session, email, now) >= MAX_FAILURES:
        raise SignInRefused(LOCKED, locked=True)
    user = session.scalar(select(User).where(User.email == email))
    ok = password_matches(user.password_hash if user else None, password)
    ok = (
        ok and user is not None and not user.disabled and not council_disabled(session, user.org_id)
    )
    # Guesses older than the window count for nothing: keep the table small as it is written.
    session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.email == email, LoginAttempt.at <= now - FAILURE_WINDOW
        )
    )
    session.add(LoginAttempt(email=email, address=address[:64], at=now, succeeded=ok))
    session.flush()
    if not ok or user is None:
        raise SignInRefused(WRONG_CREDENTIALS)
    return user


@dataclass(frozen=True)
class NewSession:
    secret: str
    """The cookie value: shown to the browser once, never stored."""
    csrf_token: str
    expires_at: datetime


def start_session(session: Session, user: User, *, settings: Settings, now: datetime) -> NewSession:
    # Sessions abandoned without signing out are never presented again: clear them out here.
    session.execute(
        delete(UserSession).where(
            (UserSession.expires_at <= now)
            | (UserSession.last_seen_at <= now - timedelta(minutes=settings.session_idle_minutes))
        )
    )
    secret, secret_digest = new_secret()
    row = UserSession(
        id_digest=secret_digest,
        user_id=user.id,
        org_id=user.org_id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=settings.session_absolute_hours),
        csrf_token=secrets.token_urlsafe(32),
    )
    session.add(row)
    session.flush()
    # A plain UPDATE: no new version (an admin's open form stays current) and no audit row.
    session.execute(
        update(User)
        .where(User.id == user.id)
        .values(last_signed_in_at=now)
        .execution_options(synchronize_session=False)
    )
    return NewSession(secret=secret, csrf_token=row.csrf_token, expires_at=row.expires_at)


@dataclass(frozen=True)
class Council:
    """The organisation settings signed into every identity of the council's people."""

    self_approval: bool = False
    deadlines: Deadlines = field(default_factory=Deadlines)


def caller_of(
    user: User, *, client: str = "web", csrf: str | None = None, council: Council | None = None
) -> Caller:
    platform_admin = user.org_id == NO_COUNCIL
    council = council or Council()
    return Caller(
        org_id=user.org_id,
        user_id=str(user.id),
        display_name=user.display_name,
        # A platform administrator holds no council role, whatever their row says.
        roles=frozenset(
            Role(r) for r in user.roles if r in Role.__members__.values() and not platform_admin
        ),
        team=None if platform_admin else user.team,
        client=client,
        csrf=csrf,
        self_approval=council.self_approval,
        deadlines=council.deadlines,
        platform_admin=platform_admin,
    )


def council_of(session: Session, org_id: uuid.UUID) -> Council:
    organisation = session.get(Organisation, org_id)
    if organisation is None:
        return Council()
    return Council(
        self_approval=organisation.allow_self_approval,
        deadlines=deadlines_of(organisation),
    )


def deadlines_of(organisation: Organisation) -> Deadlines:
    """The council's deadlines: what it set (checked by the admin API), defaults for the rest."""
    return Deadlines.model_validate(organisation.deadlines or {})


def council_disabled(session: Session, org_id: uuid.UUID) -> bool:
    """Whether a platform administrator has disabled this council (or it does not exist). A
    platform administrator's own "council" is none, never disabled."""
    if org_id == NO_COUNCIL:
        return False
    organisation = session.get(Organisation, org_id)
    return organisation is None or organisation.disabled_at is not None


def session_caller(
    session: Session, secret: str, *, settings: Settings, now: datetime
) -> Caller | None:
    """The caller of a live session cookie; an idle, expired or orphaned one is ended."""
    row = session.get(UserSession, digest(secret))
    if row is None:
        return None
    user = session.get(User, row.user_id)
    idle = timedelta(minutes=settings.session_idle_minutes)
    if (
        user is None
        or user.disabled
        or council_disabled(session, user.org_id)
        or now >= row.expires_at
        or now - row.last_seen_at >= idle
    ):
        session.delete(row)
        session.flush()
        return None
    # Touch at most once a minute (or a tenth of a short idle limit): a write per request would
    # be wasted work, and the timeout warning allows for the minute.
    if now - row.last_seen_at >= min(timedelta(minutes=1), idle / 10):
        row.last_seen_at = now
        session.flush()
    return caller_of(
        user,
        client="web",
        csrf=row.csrf_token,
        council=council_of(session, user.org_id),
    )


def end_session(session: Session, secret: str) -> None:
    session.execute(delete(UserSession).where(UserSession.id_digest == digest(secret)))


def end_sessions_of(session: Session, user_id: uuid.UUID) -> None:
    """Sign a person out everywhere (disabled, or their roles changed)."""
    session.execute(delete(UserSession).where(UserSession.user_id == user_id))


@dataclass(frozen=True)
class NewKey:
    secret: str
    row: ApiKey


def mint_api_key(
    session: Session,
    *,
    name: str,
    access: str,
    services: list[str],
    role: str,
    team: str | None,
    expires_at: datetime | None,
    created_by: str,
) -> NewKey:
    secret, secret_digest = new_secret(KEY_PREFIX)
    row = ApiKey(
        name=name,
        digest=secret_digest,
        prefix=secret[: len(KEY_PREFIX) + 6],
        access=access,
        services=sorted(services),
        role=role,
        team=team,
        created_by=created_by,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return NewKey(secret=secret, row=row)


def key_caller(session: Session, secret: str, *, now: datetime) -> tuple[Caller, ApiKey] | None:
    """The caller an API key stands for, or None if unknown, revoked or expired."""
    row = session.scalar(select(ApiKey).where(ApiKey.digest == digest(secret)))
    if row is None or row.revoked_at is not None or council_disabled(session, row.org_id):
        return None
    if row.expires_at is not None and now >= row.expires_at:
        return None
    if row.last_used_at is None or now - row.last_used_at >= timedelta(minutes=1):
        row.last_used_at = now
        session.flush()
    # Exactly the role it was made with, as a person of that role and team would have it.
    role = Role(row.role) if row.access == "read_write" else Role.VIEWER
    caller = Caller(
        org_id=row.org_id,
        user_id=f"api-key:{row.id}",
        display_name=f"API key {row.name}",
        roles=frozenset({role}),
        team=row.team,
        client=f"api-key:{row.id}",
        self_approval=(council := council_of(session, row.org_id)).self_approval,
        deadlines=council.deadlines,
    )
    return caller, row
