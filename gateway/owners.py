"""`GET /api/v1/no-active-owner`: the measures and savings lines nobody active answers for.

Who is active is the identity schema's to say, and which team owns a measure or a line is the
KPI and finance services'; the gateway holds the first and asks the services for the second,
as it does for tasks.
"""

from typing import Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field, TypeAdapter
from sqlalchemy import select

from common.identity import Caller
from common.pagination import Page
from gateway.models import User
from gateway.router import in_a_council
from gateway.tasks import every_item

router = APIRouter(prefix="/api/v1", tags=["identity"])


class NoActiveOwnerItem(BaseModel):
    kind: Literal["measure", "savings_line"]
    id: str
    name: str = Field(description='Its code or reference and title, e.g. "ASC01 Reablement".')
    team: str = Field(description="The team named as its owner; empty when none is.")
    reason: str = Field(description="Why it has no active owner, in words.")
    link: str = Field(description="Its page on this site.")


class NoActiveOwner(BaseModel):
    items: list[NoActiveOwnerItem]
    unavailable: list[str] = Field(description="Services that did not answer: items missing.")


class _Owned(BaseModel):
    """A measure or savings line as the services list it, only what is read here."""

    id: str
    title: str
    code: str = ""
    data_provider: str = ""
    reference: str = ""
    owner_team: str = ""

    @property
    def team(self) -> str:
        return self.data_provider or self.owner_team

    @property
    def name(self) -> str:
        return f"{self.code or self.reference} {self.title}"


_SOURCES: tuple[tuple[str, str, dict[str, str], Literal["measure", "savings_line"], str], ...] = (
    ("kpi", "/measures", {"active": "true"}, "measure", "/kpis/"),
    ("finance", "/savings-lines", {}, "savings_line", "/savings/"),
)
"""Where each kind of owned thing is listed (service, path, query), and its page on the site."""


class _Unreported(_Owned):
    periods: list[str]


_UNREPORTED_PAGES = TypeAdapter(Page[_Unreported])


_OWNED_PAGES = TypeAdapter(Page[_Owned])


def active_teams(request: Request, caller: Caller) -> set[str]:
    """The council's teams with at least one person who may sign in."""
    with request.app.state.database.session(caller.org_id) as session:
        return {
            team
            for team in session.scalars(
                select(User.team).where(
                    User.org_id == caller.org_id, User.disabled.is_(False), User.team.is_not(None)
                )
            )
            if team
        }


def reason(team: str, active: set[str]) -> str | None:
    """Why something owned by `team` has no active owner; None when it has one.

    >>> reason("", {"Reablement"})
    'No team is named as its owner'
    >>> reason("Reablement", {"Reablement"}) is None
    True
    """
    if not team:
        return "No team is named as its owner"
    if team not in active:
        return f"Nobody in {team} can sign in"
    return None


@router.get("/no-active-owner", response_model=NoActiveOwner, dependencies=[Depends(in_a_council)])
async def no_active_owner(request: Request) -> NoActiveOwner:
    """Active measures and this year's savings lines whose team has no one who can sign in, or
    that name no team, and active measures with no figure sent for their last two periods:
    nobody enters their figures or returns, and nobody is reminded."""
    caller: Caller = request.state.caller
    settings, upstreams = request.app.state.settings, request.app.state.upstreams
    active = active_teams(request, caller)
    items: list[NoActiveOwnerItem] = []
    down: list[str] = []

    for service, path, params, kind, page in _SOURCES:
        owned = await every_item(caller, settings, upstreams, service, path, _OWNED_PAGES, **params)
        if owned is None:
            down.append(service)
            continue
        items += [
            NoActiveOwnerItem(
                kind=kind, id=o.id, name=o.name, team=o.team, reason=why, link=page + o.id
            )
            for o in owned
            if (why := reason(o.team, active))
        ]
    # Measures nobody reports, though their team may have people: no figure for two periods.
    quiet = await every_item(caller, settings, upstreams, "kpi", "/unreported", _UNREPORTED_PAGES)
    if quiet is None and "kpi" not in down:
        down.append("kpi")
    listed = {item.id for item in items}
    items += [
        NoActiveOwnerItem(
            kind="measure",
            id=m.id,
            name=m.name,
            team=m.team,
            reason=f"No figure for {' or '.join(m.periods)}",
            link=f"/kpis/{m.id}",
        )
        for m in quiet or []
        if m.id not in listed
    ]
    return NoActiveOwner(items=items, unavailable=down)
