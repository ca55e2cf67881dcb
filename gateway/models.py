"""Tables of the `identity` schema, owned by the gateway."""

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    Identity,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from common.audit import AuditRules, audit_table
from common.db import TenantMixin, TimestampMixin, VersionedMixin, schema_metadata


class Base(DeclarativeBase):
    metadata = schema_metadata("identity")


class Organisation(TimestampMixin, VersionedMixin, Base):
    """A council: the tenant every record in every schema belongs to."""

    __tablename__ = "organisations"
    __audit__ = AuditRules(org_attr="id")

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    allow_self_approval: Mapped[bool] = mapped_column(default=False, server_default="false")
    """A one-person team may approve its own figures (each such approval is marked)."""
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """Set by a platform administrator: its people cannot sign in and its keys do not work;
    its records stay."""
    deadlines: Mapped[dict[str, object]] = mapped_column(JSONB, default=dict, server_default="{}")
    """The council's deadlines and reminder settings (`common.deadlines.Deadlines`); what is
    not set takes the default."""


class User(TenantMixin, TimestampMixin, VersionedMixin, Base):
    """A person who signs in. Email is unique across the deployment, so it alone finds the user.

    A platform administrator is a user of no council (`org_id` is `common.identity.NO_COUNCIL`,
    no roles), made only from the command line (`python -m gateway.platform create-admin`)."""

    __tablename__ = "users"
    __audit__ = AuditRules(
        secret=frozenset({"password_hash"}), ignore=frozenset({"last_signed_in_at"})
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    """Always stored in lower case."""
    display_name: Mapped[str] = mapped_column(String(200))
    team: Mapped[str | None] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    """argon2id; None for someone who signs in only through single sign-on."""
    disabled: Mapped[bool] = mapped_column(default=False)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """Written without a new version or audit row: signing in is a security event."""
    reminders_off: Mapped[bool] = mapped_column(default=False, server_default="false")
    """They turned off email reminders for themselves."""


class UserSession(TenantMixin, Base):
    """A signed-in browser. Only a digest of the cookie's random id is stored."""

    __tablename__ = "sessions"
    __audit__ = AuditRules(skip=True)
    """Sign-in and sign-out are security events (gateway/events.py); ids are secrets."""

    id_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    """The absolute end, however active the session is."""
    csrf_token: Mapped[str] = mapped_column(String(64))


class LoginAttempt(Base):
    """One password guess, for throttling. Not a tenant row: the account may not even exist."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    succeeded: Mapped[bool]

    __table_args__ = (Index(None, "email", "at"),)


class ApiKey(TenantMixin, TimestampMixin, Base):
    """A key for an integrator. Only the SHA-256 digest of the key is stored."""

    __tablename__ = "api_keys"
    __audit__ = AuditRules(secret=frozenset({"digest"}), ignore=frozenset({"last_used_at"}))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    """The first characters of the key, so people can tell their keys apart."""
    access: Mapped[str] = mapped_column(String(16))
    """"read" or "read_write"."""
    services: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    role: Mapped[str] = mapped_column(String(32))
    """The one role the key acts as (viewer for a read-only key), never a union of roles."""
    team: Mapped[str | None] = mapped_column(String(200))
    """The team it acts for, as a person of that role would (data providers, service leads)."""
    created_by: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PasswordReset(TenantMixin, Base):
    """A one-time link an admin made for someone to set a new password. Only the SHA-256 digest
    of its random token is stored; it works once, until `expires_at`."""

    __tablename__ = "password_resets"
    __audit__ = AuditRules(secret=frozenset({"token_digest"}))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(index=True)
    created_by: Mapped[str] = mapped_column(String(200))
    """The admin who made the link (their user id)."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RateLimitCounter(Base):
    """Requests counted for one rate-limit key, shared by every gateway process
    (gateway/hardening.py). UNLOGGED: after a crash the counts start again from nothing."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger)
    """The minute counted now, as minutes since 1970."""
    current_count: Mapped[int] = mapped_column(Integer)
    previous_count: Mapped[int] = mapped_column(Integer)
    """The minute before's count, which still weighs on the sliding window."""
    allowed: Mapped[bool]
    """Whether the last request counted was let through."""

    __table_args__ = ({"prefixes": ["UNLOGGED"], "postgresql_with": {"fillfactor": "70"}},)


class IdempotencyRecord(Base):
    """A POST made with an Idempotency-Key, and the response it got (gateway/idempotency.py)."""

    __tablename__ = "idempotency_keys"

    org_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    client: Mapped[str] = mapped_column(String(300), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    status_code: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[list[list[str]] | None] = mapped_column(JSONB)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)


class ReminderSent(TenantMixin, Base):
    """One item of one person's reminder digest on one day (stack/reminders.py). The unique row
    is claimed before the email goes, so a second run that day, or a second replica running at
    the same time, sends nothing for it again."""

    __tablename__ = "reminders_sent"
    __audit__ = AuditRules(skip=True)
    """A log of mail sent, not a change anyone made."""

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    user_id: Mapped[uuid.UUID]
    email: Mapped[str] = mapped_column(String(320))
    item: Mapped[str] = mapped_column(String(300))
    """The task's stable key (`common.tasks.TaskItem.key`)."""
    title: Mapped[str] = mapped_column(Text)
    day: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delivered: Mapped[bool] = mapped_column(default=False)
    """Sent over SMTP (False: written to the log, as when no SMTP host is set)."""

    __table_args__ = (UniqueConstraint("user_id", "item", "day"),)


audit_events = audit_table(Base.metadata)
"""Who changed users, roles, teams, API keys and the organisation, and what (common/audit.py)."""
