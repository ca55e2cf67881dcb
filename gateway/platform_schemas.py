"""API shapes of the platform administration API (`gateway/platform.py`): councils, their first
administrator and their usage."""

import re
import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from gateway.schemas import EmailText, Input, PasswordResetCreated, Read

_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _code(value: str) -> str:
    value = value.strip().lower()
    if not _CODE.fullmatch(value):
        raise ValueError(
            "Enter a code of lower-case letters, digits and single hyphens, like north-shire"
        )
    return value


CouncilCode = Annotated[str, Field(min_length=2, max_length=64), AfterValidator(_code)]


class CouncilUsage(BaseModel):
    """How much a council uses the service, from the identity schema alone (the gateway reads
    no service's records, so record counts are not here)."""

    people: int
    """Everyone who can sign in, disabled people included."""
    active_people: int
    """People not disabled."""
    api_keys: int
    """Keys that still work: neither revoked nor expired."""
    last_sign_in_at: datetime | None
    """The latest sign-in of any of its people."""


class CouncilRead(Read):
    id: uuid.UUID
    slug: str
    name: str
    created_at: datetime
    disabled_at: datetime | None
    usage: CouncilUsage


class CouncilCreate(Input):
    name: str = Field(min_length=1, max_length=200)
    slug: CouncilCode
    """A short code for the council, unique on the deployment: lower-case letters, digits and
    hyphens."""
    admin_email: EmailText
    """The council's first administrator, who sets their own password with a one-time link."""
    admin_name: str = Field(default="Council administrator", min_length=1, max_length=200)


class CouncilAdminRead(BaseModel):
    id: uuid.UUID
    email: str
    display_name: str


class CouncilCreated(BaseModel):
    council: CouncilRead
    admin: CouncilAdminRead
    password_reset: PasswordResetCreated
    """The first administrator's link to set their password: shown this once, never stored."""
