"""The council's overdue items for the director's dashboard: every team's figures past their
due date (`GET /kpi/overdue`), and every open project's milestones and improvement actions
(`GET /projects/overdue`), each naming whom it waits on."""

import uuid
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from common.deadlines import Deadlines
from common.identity import Caller, Role
from common.testing.plugin import make_caller
from tests.helpers import created
from tests.kpi.factories import make_measure
from tests.projects.conftest import days, make_milestone, make_project

DUE_AT_MONTH_END = Deadlines(monthly_figures_working_days=0, close_working_days=60)
"""Figures due the day each month ends: last month's are overdue today, whatever the date."""


def overdue(client: TestClient, path: str) -> list[dict[str, Any]]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    assert all(item["overdue"] for item in items)
    return items


def test_every_teams_overdue_figures_are_listed_with_the_team(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    viewer = make_caller(demo_org, Role.VIEWER).model_copy(update={"deadlines": DUE_AT_MONTH_END})
    client = api_as(viewer)
    admin = api_as(make_caller(demo_org, Role.ADMIN))
    make_measure(admin, code="A1", data_provider="Reablement Team")
    make_measure(admin, code="B1", data_provider="Safeguarding Team")
    make_measure(admin, code="OLD", data_provider="Safeguarding Team", active=False)
    items = overdue(client, "/api/v1/kpi/overdue")
    assert {i["owner"] for i in items} == {"Reablement Team", "Safeguarding Team"}
    assert all(i["kind"] == "figure" for i in items)
    assert not any("OLD" in i["title"] for i in items)
    assert items == sorted(items, key=lambda i: i["due"])
    assert any("provider=Reablement+Team" in i["link"] for i in items)


def test_overdue_milestones_and_actions_of_every_team_are_listed(api: TestClient) -> None:
    project = make_project(api, lead_team="Operations Team")
    make_milestone(api, project["id"], title="Late", baseline_date=days(-3))
    make_milestone(api, project["id"], title="Soon", baseline_date=days(3))
    closed = make_project(api, name="Done", stage="closed")
    make_milestone(api, closed["id"], title="Of a closed project", baseline_date=days(-3))
    for action in (
        {"action": "Audit case files", "owner": "Quality Team"},
        {"action": "Finished", "status": "completed"},
    ):
        due = {"area": "Quality assurance", "due_date": days(-1)}
        created(api.post("/api/v1/projects/improvement-actions", json=action | due))
    items = overdue(api, "/api/v1/projects/overdue")
    assert [(i["kind"], i["title"], i["owner"]) for i in items] == [
        ("milestone", "Milestone: Late (Reablement)", "Operations Team"),
        ("improvement_action", "Improvement action: Audit case files", "Quality Team"),
    ]
