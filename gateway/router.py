"""The gateway's own API: who am I, and which organisation am I in."""

from fastapi import APIRouter, Request

from common.errors import Forbidden, NotFound
from common.identity import Caller
from gateway.models import Organisation
from gateway.schemas import CallerRead, OrganisationRead

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
