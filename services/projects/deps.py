"""The dependencies of the projects service's routes: the request's session and caller, who may
change what, and the kpi service's answer on measures.

Who may change what applies the rules of `plan/rules.py` and `portfolio/rules.py` to the caller.
The gateway lets service leads write to the projects API at all (gateway/access.py); here each
write is held to the project it touches. A refusal is a 403 problem that says who may do it.
"""

import uuid
from collections.abc import Callable

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from common import routes
from common.db import SessionDep
from common.errors import Forbidden, UpstreamUnavailable
from common.http import call_service
from common.identity import Caller, CallerDep
from services.projects.plan.rules import may_change_plan
from services.projects.plan.service import MeasureExists
from services.projects.portfolio.models import Project
from services.projects.portfolio.rules import may_change_project

__all__ = [
    "CallerDep",
    "SessionDep",
    "kpi_measure_check",
    "plan_editors_only",
    "plan_editors_write",
    "plan_router",
    "project_guard",
    "require_may_change_plan",
    "require_may_change_project",
    "require_may_change_project_of",
    "require_may_set_lead_team",
]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def require_may_change_plan(caller: Caller, what: str) -> None:
    """403 unless the caller is the programme office or an administrator."""
    if not may_change_plan(roles=caller.roles):
        raise Forbidden(f"Only the programme office or an administrator can {what}.")


def plan_editors_only(what: str) -> Callable[[Caller], None]:
    """Route dependency: the operation is for the programme office and admins. It runs before
    the body is read, so a caller who may not do this learns only that (403, not 422 or 404)."""

    def check(caller: CallerDep) -> None:
        require_may_change_plan(caller, what)

    return check


def plan_editors_write(what: str) -> Callable[[Request, Caller], None]:
    """Router dependency: every write under the router is for the programme office and admins
    (reads stay open to all), so a route added later is covered too."""

    def check(request: Request, caller: CallerDep) -> None:
        if request.method.upper() not in SAFE_METHODS:
            require_may_change_plan(caller, what)

    return check


def plan_router(prefix: str, tag: str, what: str) -> APIRouter:
    """A router of the plan's records, open to read, whose writes are for the programme office
    and admins (`plan_editors_write(what)`)."""
    return APIRouter(prefix=prefix, tags=[tag], dependencies=[Depends(plan_editors_write(what))])


def require_may_change_project(caller: Caller, project: Project) -> None:
    """403 unless the caller may change `project` and its milestones, reports and RAID items."""
    lead_team = project.lead_team
    if not may_change_project(roles=caller.roles, team=caller.team, lead_team=lead_team):
        raise Forbidden(
            f'This project is led by "{lead_team.strip() or "no team"}": only that team\'s '
            "service lead, the programme office or an administrator can change it or its "
            "milestones, highlight reports and RAID items."
        )


def require_may_change_project_of(session: Session, caller: Caller, project_id: uuid.UUID) -> None:
    """The same check for a milestone, highlight report or RAID item of project `project_id`,
    new or old. An unknown project is left to the service's own 422 on `project_id`, so the
    answer says what is wrong."""
    project = session.get(Project, project_id)
    if project is not None:
        require_may_change_project(caller, project)


project_guard = routes.by_owner(require_may_change_project_of, "project_id")
"""The route factory's guard for a record of a project (a milestone, highlight report or RAID
item): it is changed by whoever may change its project."""


def require_may_set_lead_team(caller: Caller, project: Project, lead_team: str | None) -> None:
    """A project's lead may change their project but not hand it to another team."""
    if lead_team is not None and lead_team.strip() != project.lead_team.strip():
        require_may_change_plan(caller, "give a project to another lead team")


def kpi_measure_check(request: Request) -> MeasureExists:
    """Asks the kpi service, as the caller, whether a measure exists in their organisation (over
    HTTP only: no service imports another's code)."""

    def exists(measure_id: uuid.UUID) -> bool:
        response = call_service(request, "kpi", "GET", f"/measures/{measure_id}")
        if response.status_code == 200:
            return True
        if response.status_code == 404:
            return False
        raise UpstreamUnavailable(
            "The kpi service could not check the KPI measures. Try again shortly."
        )

    return exists
