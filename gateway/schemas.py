"""API shapes of the gateway's own resources."""

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from common.deadlines import Deadlines, DeadlinesUpdate
from common.identity import Role


def _email(value: str) -> str:
    value = value.strip().lower()
    local, _, domain = value.partition("@")
    if not local or "." not in domain or " " in value:
        raise ValueError("Enter an email address in the correct format, like name@example.org")
    return value


EmailText = Annotated[str, Field(max_length=320), AfterValidator(_email)]


class Input(BaseModel):
    """A shape a caller sends: a field it does not have is refused, never ignored."""

    model_config = ConfigDict(extra="forbid")


class Read(BaseModel):
    """A shape the gateway answers with, read from a stored row's attributes."""

    model_config = ConfigDict(from_attributes=True)


class OrganisationRead(Read):
    id: uuid.UUID
    slug: str
    name: str
    allow_self_approval: bool
    deadlines: Deadlines
    """Due dates, period close and reminders (working days skip England and Wales bank
    holidays)."""
    version: int
    """Goes up with every change; send it back as the ETag in If-Match."""

    @field_validator("deadlines", mode="before")
    @classmethod
    def _defaults(cls, value: object) -> object:
        return value or {}


class CallerRead(BaseModel):
    user_id: str
    display_name: str
    roles: list[str]
    team: str | None
    organisation: OrganisationRead


class SignIn(Input):
    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1000)


class PasswordChange(Input):
    current_password: str = Field(min_length=1, max_length=1000)
    new_password: str = Field(min_length=12, max_length=1000)


class ReEnteredPassword(Input):
    password: str = Field(min_length=1, max_length=1000)


class MySession(BaseModel):
    """One of your signed-in browsers (never its id)."""

    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    current: bool


class SessionRead(BaseModel):
    csrf_token: str
    expires_at: datetime


class UserRead(Read):
    id: uuid.UUID
    email: str
    display_name: str
    team: str | None
    roles: list[Role]
    disabled: bool
    version: int


class PersonRead(Read):
    """Who someone is, as a record's history names them."""

    id: uuid.UUID
    display_name: str
    team: str | None


class UserCreate(Input):
    email: EmailText
    display_name: str = Field(min_length=1, max_length=200)
    team: str | None = Field(default=None, max_length=200)
    roles: list[Role] = Field(min_length=1)
    password: str = Field(min_length=12, max_length=1000)


class UserUpdate(Input):
    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    team: str | None = Field(default=None, max_length=200)
    roles: list[Role] | None = Field(default=None, min_length=1)
    disabled: bool | None = None
    password: str | None = Field(default=None, min_length=12, max_length=1000)


KeyRole = Literal["viewer", "data_provider", "service_lead", "finance", "programme_office"]
"""The roles a key may act as: any but admin (a key never administers)."""
TEAM_ROLES = frozenset({"data_provider", "service_lead"})
"""Roles whose reach is their team's: a key acting as one names its team."""


class ApiKeyCreate(Input):
    name: str = Field(min_length=1, max_length=200)
    access: Literal["read", "read_write"]
    services: list[Literal["kpi", "projects", "finance"]] = Field(min_length=1)
    role: KeyRole | None = None
    """The one role the key acts as. A read-only key is a viewer; a read-write key needs one."""
    team: str | None = Field(default=None, max_length=200)
    """The team a data-provider or service-lead key acts for."""
    expires_on: date | None = None
    """The key stops working at the start of this day (UTC)."""

    def problems(self) -> list[tuple[str, str]]:
        """(field, message) for each way the role, access and team do not fit together."""
        if self.access == "read":
            if self.role not in (None, "viewer"):
                return [("role", "A read-only key acts as a viewer: choose read and write")]
            return []
        if self.role is None:
            return [("role", "Choose the role the key acts as")]
        if self.role == "viewer":
            return [("role", "A viewer key is read-only: choose read only, or another role")]
        if self.role in TEAM_ROLES and not (self.team or "").strip():
            return [("team", "Enter the team the key acts for")]
        return []


class ApiKeyRead(Read):
    id: uuid.UUID
    name: str
    prefix: str
    access: str
    services: list[str]
    role: str
    team: str | None
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    key: str
    """The key itself: shown this once and never again."""


class OrganisationUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    allow_self_approval: bool | None = None
    """Let the submitter of a KPI figure approve it too (for one-person teams)."""
    deadlines: DeadlinesUpdate | None = None
    """Change some of the council's deadlines; the rest stay as they are."""


class PasswordResetCreated(BaseModel):
    """A one-time link to set a new password: shown to the admin this once, never stored."""

    path: str
    """Where the link goes on this site: `/reset-password?token=…`."""
    expires_at: datetime


class PasswordResetToken(Input):
    token: str = Field(min_length=1, max_length=200)


class PasswordResetLink(BaseModel):
    """Whose password a live link sets, and until when it works."""

    email: str
    expires_at: datetime


class PasswordResetUse(PasswordResetToken):
    new_password: str = Field(min_length=12, max_length=1000)
