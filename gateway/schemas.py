"""API shapes of the gateway's own resources."""

import uuid

from pydantic import BaseModel, ConfigDict


class OrganisationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    slug: str
    name: str


class CallerRead(BaseModel):
    user_id: str
    display_name: str
    roles: list[str]
    team: str | None
    organisation: OrganisationRead
