"""Project leads through the gateway: a service lead whose team leads a project changes it and
what hangs off it; other teams' service leads, and the plan itself, are refused (403)."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from common.identity import Caller, Role
from common.testing.plugin import make_caller
from tests.projects.conftest import (
    API,
    days,
    make_highlight_report,
    make_milestone,
    make_objective,
    make_priority,
    make_project,
    make_raid_item,
    raid_body,
    report_body,
)

LEAD_TEAM = "Operations Team"  # make_project's lead team
ANY_VERSION = {"If-Match": '"1"'}  # a fresh record's ETag: the version check passes


def _lead(api_as: Callable[[Caller], TestClient], org: uuid.UUID, team: str | None) -> TestClient:
    return api_as(make_caller(org, Role.SERVICE_LEAD, team=team, user="lead"))


@dataclass(frozen=True)
class Led:
    """A project of LEAD_TEAM, that team's service lead, and the project's address."""

    project: dict[str, Any]
    lead: TestClient
    url: str


@pytest.fixture
def led(api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID) -> Led:
    project = make_project(api)
    return Led(project, _lead(api_as, demo_org, LEAD_TEAM), f"{API}/projects/{project['id']}")


def _etag(client: TestClient, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    return {"If-Match": response.headers["ETag"]}


def _snapshot(client: TestClient, rows: dict[str, str]) -> dict[str, Any]:
    """Each record as the API reads it, by path."""
    return {path: client.get(f"{API}/{path}/{row_id}").json() for path, row_id in rows.items()}


def _refused(response: Any, *words: str) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    for word in words:
        assert word in response.json()["detail"]


def test_the_lead_teams_service_lead_changes_their_project_and_what_hangs_off_it(
    led: Led,
) -> None:
    project, lead, url = led.project, led.lead, led.url
    changed = lead.patch(
        url,
        json={"rag": "amber", "rag_reason": "Recruitment slow", "lead_team": LEAD_TEAM},
        headers=_etag(lead, url),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["rag"] == "amber"
    milestone = make_milestone(lead, project["id"])
    report = make_highlight_report(lead, project["id"])
    item = make_raid_item(lead, project["id"])
    assert report["author"] == "Lead"
    for path, row_id, change in (
        ("milestones", milestone["id"], {"title": "Renamed"}),
        ("raid-items", item["id"], {"title": "Renamed"}),
        ("highlight-reports", report["id"], {"summary": "Now"}),
    ):
        one = f"{API}/{path}/{row_id}"
        response = lead.patch(one, json=change, headers=_etag(lead, one))
        assert response.status_code == 200, (path, response.text)
    assert lead.delete(f"{API}/milestones/{milestone['id']}").status_code == 204


def test_another_teams_service_lead_is_refused_and_nothing_changes(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    project = make_project(api)
    milestone = make_milestone(api, project["id"])
    report = make_highlight_report(api, project["id"])
    item = make_raid_item(api, project["id"])
    other = _lead(api_as, demo_org, "Commissioning Team")
    url = f"{API}/projects/{project['id']}"
    rows = {
        "projects": project["id"],
        "milestones": milestone["id"],
        "highlight-reports": report["id"],
        "raid-items": item["id"],
    }
    before = _snapshot(api, rows)
    attempts = [
        other.patch(url, json={"rag": "red", "rag_reason": "x"}, headers=_etag(other, url)),
        other.post(
            f"{API}/milestones",
            json={"project_id": project["id"], "title": "Mine", "baseline_date": days(3)},
        ),
        other.post(f"{API}/highlight-reports", json=report_body(project["id"], period="2025-07")),
        other.post(f"{API}/raid-items", json=raid_body(project["id"], title="Mine")),
        *(
            other.patch(f"{API}/{path}/{row_id}", json=change, headers=ANY_VERSION)
            for path, row_id, change in (
                ("milestones", milestone["id"], {"title": "x"}),
                ("highlight-reports", report["id"], {"summary": "x"}),
                ("raid-items", item["id"], {"title": "x"}),
            )
        ),
        *(other.delete(f"{API}/{path}/{row_id}") for path, row_id in list(rows.items())[1:]),
    ]
    assert [r.status_code for r in attempts] == [403] * len(attempts)
    _refused(attempts[0], f'led by "{LEAD_TEAM}"', "programme office")
    assert _snapshot(api, rows) == before
    for path in ("milestones", "highlight-reports", "raid-items"):
        listed = api.get(f"{API}/{path}", params={"project_id": project["id"]}).json()
        assert listed["total"] == 1, path
    assert other.get(url).status_code == 200  # reading stays open


def test_a_project_lead_cannot_add_or_remove_projects_nor_give_one_away(
    api: TestClient, led: Led
) -> None:
    lead, url = led.lead, led.url
    _refused(
        lead.post(f"{API}/projects", json={"name": "Mine", "lead_team": LEAD_TEAM}),
        "programme office",
    )
    _refused(
        lead.patch(url, json={"lead_team": "Commissioning Team"}, headers=_etag(lead, url)),
        "another lead team",
    )
    _refused(lead.delete(url))
    assert api.get(url).json()["lead_team"] == LEAD_TEAM
    assert api.get(f"{API}/projects").json()["total"] == 1


def test_a_service_lead_cannot_change_the_plan(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    objective = make_objective(api)
    priority = make_priority(api)
    lead = _lead(api_as, demo_org, LEAD_TEAM)
    one = f"{API}/objectives/{objective['id']}"
    attempts = {
        "objective changed": lead.patch(one, json={"statement": "Mine"}, headers=_etag(lead, one)),
        "objective added": lead.post(f"{API}/objectives", json={"number": 2, "statement": "S"}),
        "objective removed": lead.delete(one),
        "priority changed": lead.patch(
            f"{API}/priorities/{priority['id']}", json={"title": "x"}, headers=ANY_VERSION
        ),
        "programme added": lead.post(f"{API}/programmes", json={"name": "Mine"}),
        "action added": lead.post(
            f"{API}/improvement-actions", json={"area": "Workforce", "action": "Recruit"}
        ),
        "import": lead.post(
            f"{API}/imports/projects", files={"file": ("p.csv", b"Project name\nX\n", "text/csv")}
        ),
    }
    for what, response in attempts.items():
        assert response.status_code == 403, what
        assert "programme office" in response.json()["detail"], what
    assert api.get(one).json()["statement"] == objective["statement"]
    assert api.get(f"{API}/programmes").json()["total"] == 0
    assert lead.get(one).status_code == 200  # reading stays open


def test_a_service_lead_without_a_team_leads_no_project(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    unled = make_project(api, lead_team="")
    url = f"{API}/projects/{unled['id']}"
    for team in (None, ""):
        lead = _lead(api_as, demo_org, team)
        _refused(lead.patch(url, json={"rag": "green"}, headers=_etag(lead, url)), "no team")


def test_the_programme_office_changes_any_teams_project(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    project = make_project(api)
    office = api_as(make_caller(demo_org, Role.PROGRAMME_OFFICE, team="Transformation Team"))
    url = f"{API}/projects/{project['id']}"
    moved = office.patch(url, json={"lead_team": "Commissioning Team"}, headers=_etag(office, url))
    assert moved.status_code == 200, moved.text
    assert make_raid_item(office, project["id"])["title"] == "Staff"
    assert office.delete(url).status_code == 204
