"""Savings lines name projects that live in the projects service: ask it whether they exist."""

import uuid
from collections.abc import Iterable

from fastapi import Request

from common.errors import FieldError, UpstreamUnavailable, ValidationFailed
from common.http import call_service


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
