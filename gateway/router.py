"""The gateway's own API: who am I, and which organisation am I in."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select

from common import crud
from common.errors import Forbidden, NotFound
from common.identity import Caller
from common.pagination import Page, PageDep, paginate
from gateway.models import Organisation, User
from gateway.schemas import CallerRead, OrganisationRead, PersonRead

router = APIRouter(prefix="/api/v1", tags=["identity"])


def organisation_of(request: Request, caller: Caller) -> Organisation:
    with request.app.state.database.session(caller.org_id) as session:
        organisation: Organisation | None = session.get(Organisation, caller.org_id)
        if organisation is None:
            raise NotFound("Your organisation does not exist.")
        return organisation


@router.get("/me", response_model=CallerRead)
async def me(request: Request) -> CallerRead:
    """The signed-in caller and their organisation (council)."""
    caller: Caller = request.state.caller
    if caller.platform_admin:
        raise Forbidden("A platform administrator belongs to no council.")
    organisation = organisation_of(request, caller)
    return CallerRead(
        user_id=caller.user_id,
        display_name=caller.display_name,
        roles=sorted(caller.roles),
        team=caller.team,
        organisation=OrganisationRead.model_validate(organisation),
    )


def in_a_council(request: Request) -> None:
    """Refuse a platform administrator before anything else is read of the request."""
    if request.state.caller.platform_admin:
        raise Forbidden("A platform administrator belongs to no council.")


@router.get("/people", response_model=Page[PersonRead], dependencies=[Depends(in_a_council)])
async def people(
    request: Request,
    ids: Annotated[list[uuid.UUID], Query(max_length=100, description="The people asked about.")],
    page: PageDep,
) -> Page[PersonRead]:
    """The name and team of each person of the caller's council asked about: what a record's
    history shows for who changed it. No email or role: only what the page shows anyway."""
    caller: Caller = request.state.caller
    with request.app.state.database.session(caller.org_id) as session:
        asked = (
            select(User)
            .where(User.org_id == caller.org_id, User.id.in_(ids))
            .order_by(User.display_name, User.id)
        )
        found, total = paginate(session, asked, page)
        return crud.page(found, total, page, PersonRead)
