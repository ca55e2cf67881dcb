"""The dependencies of the finance service's routes: the request's session and caller, who may
change a savings line, and the projects service's answer on the projects a line names (over
HTTP only: no service imports another's code)."""

import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal

from fastapi import Request

from common.db import SessionDep
from common.errors import FieldError, Forbidden, UpstreamUnavailable, ValidationFailed
from common.http import call_service
from common.identity import Caller, CallerDep
from services.finance.savings.rules import may_change_line

__all__ = [
    "CallerDep",
    "SessionDep",
    "check_measures_exist",
    "check_projects_exist",
    "kpi_measure_actuals",
    "project_names",
    "refusal_to_change",
    "require_may_change",
]


def require_may_change(caller: Caller, owner_team: str) -> None:
    """403 unless the caller may change a line owned by `owner_team` (service leads: their own)."""
    if not may_change_line(roles=caller.roles, team=caller.team, owner_team=owner_team):
        raise Forbidden(
            f'This savings line belongs to "{owner_team or "no team"}": only that team\'s '
            "service lead, finance, the programme office or an administrator can change it."
        )


def refusal_to_change(caller: Caller, owner_team: str) -> str | None:
    """What `require_may_change` would say for a line of `owner_team`, or None when the caller
    may change it (an import reports it on the row instead of refusing the file)."""
    try:
        require_may_change(caller, owner_team)
    except Forbidden as refusal:
        return refusal.detail
    return None


def check_projects_exist(request: Request, project_ids: Iterable[uuid.UUID]) -> None:
    """422 naming each project the projects service does not know (404); 503 when it cannot say.

    Any other answer than 200 or 404 (the service failing, or refusing us) means we cannot check
    now, and a saving is never linked to a project nobody could confirm.
    """
    errors: list[FieldError] = []
    for index, project_id in enumerate(project_ids):
        response = call_service(request, "projects", "GET", f"/projects/{project_id}")
        if response.status_code == 404:
            errors.append(
                FieldError(f"project_ids.{index}", f"There is no project with id {project_id}")
            )
        elif response.status_code != 200:
            raise UpstreamUnavailable(
                "The projects service could not confirm the linked projects. Try again shortly."
            )
    if errors:
        raise ValidationFailed("A linked project does not exist.", errors=errors)


def project_names(request: Request) -> dict[uuid.UUID, str]:
    """Every project the projects service knows in the caller's organisation, by id (a page of
    500 at a time, so an import checks its projects with a few calls, not one per row); 503 when
    it cannot say."""
    found: dict[uuid.UUID, str] = {}
    offset = 0
    while True:
        response = call_service(
            request, "projects", "GET", "/projects", params={"limit": 500, "offset": offset}
        )
        if response.status_code != 200:
            raise UpstreamUnavailable(
                "The projects service could not list the projects to link. Try again shortly."
            )
        page = response.json()
        found.update({uuid.UUID(p["id"]): str(p["name"]) for p in page["items"]})
        offset += len(page["items"])
        if not page["items"] or offset >= int(page["total"]):
            return found


def check_measures_exist(request: Request, measure_ids: Iterable[tuple[str, uuid.UUID]]) -> None:
    """422 naming each input whose KPI the kpi service does not know (404); 503 when it cannot
    say. `measure_ids` pairs each field with the measure it names."""
    errors: list[FieldError] = []
    for field, measure_id in measure_ids:
        response = call_service(request, "kpi", "GET", f"/measures/{measure_id}")
        if response.status_code == 404:
            errors.append(FieldError(field, f"There is no KPI with id {measure_id}"))
        elif response.status_code != 200:
            raise UpstreamUnavailable(
                "The kpi service could not confirm the linked KPI. Try again shortly."
            )
    if errors:
        raise ValidationFailed("A linked KPI does not exist.", errors=errors)


def kpi_measure_actuals(request: Request) -> Callable[[uuid.UUID], list[Decimal] | None]:
    """Reads a KPI's actuals from the kpi service as the caller, newest period first (up to 500
    periods); None when the service cannot answer, so a page shows a warning, not an error."""

    def actuals(measure_id: uuid.UUID) -> list[Decimal] | None:
        try:
            response = call_service(
                request,
                "kpi",
                "GET",
                "/actuals",
                params={"measure_id": str(measure_id), "limit": 500},
            )
        except UpstreamUnavailable:
            return None
        if response.status_code != 200:
            return None
        return [Decimal(str(item["value"])) for item in response.json()["items"]]

    return actuals
