"""`GET /api/v1/me/tasks`: each person's tasks, gathered from every service, each linking to
the form that clears it."""

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from common.deadlines import Deadlines
from common.identity import Caller, Role
from common.periods import Period
from common.testing.plugin import make_caller
from tests.finance.factories import add_entry, make_savings_line
from tests.kpi.factories import make_measure
from tests.projects.conftest import make_milestone, make_project

TEAM = "Reablement Team"
TODAY = date.today()
LAST_MONTH = Period.month_of(TODAY).previous()
CLOSING = Deadlines(close_working_days=5)
"""Periods close five working days after figures are due: only last month is still open."""


def member(org_id: uuid.UUID, role: Role, team: str | None = TEAM, user: str = "p") -> Caller:
    return make_caller(org_id, role, team=team, user=user).model_copy(update={"deadlines": CLOSING})


def tasks(client: TestClient) -> list[dict[str, Any]]:
    response = client.get("/api/v1/me/tasks")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["unavailable"] == []
    items: list[dict[str, Any]] = body["items"]
    return items


def test_a_data_provider_sees_their_teams_figures_due_and_nobody_elses(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    make_measure(api, code="R1", title="Reablement starts", data_provider=TEAM)
    make_measure(api, code="R2", title="Reablement ends", data_provider=TEAM)
    make_measure(api, code="OTHER", title="Not theirs", data_provider="Another Team")
    provider = api_as(member(demo_org, Role.DATA_PROVIDER))
    figures = [t for t in tasks(provider) if t["kind"] == "figure"]
    assert [t["title"] for t in figures] == [
        f"Enter the figure for R1 Reablement starts, {LAST_MONTH.label}",
        f"Enter the figure for R2 Reablement ends, {LAST_MONTH.label}",
    ]
    assert figures[0]["link"].startswith(f"/kpis/entry?period={LAST_MONTH.code}")
    stranger = api_as(member(demo_org, Role.DATA_PROVIDER, team="Quiet Team"))
    assert tasks(stranger) == []


def test_where_periods_never_close_the_last_three_months_are_listed(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    make_measure(api, code="R1", title="Reablement starts", data_provider=TEAM)
    provider = api_as(make_caller(demo_org, Role.DATA_PROVIDER, team=TEAM))
    months = [LAST_MONTH, LAST_MONTH.previous(), LAST_MONTH.previous().previous()]
    assert [t["key"].rsplit(":", 1)[1] for t in tasks(provider)] == [
        m.code for m in reversed(months)
    ]


def test_figures_past_their_due_date_are_overdue_and_listed_first(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    make_measure(api, code="R1", title="Reablement starts", data_provider=TEAM)
    # Due the day each month ends, and open for another quarter: last month and the one before
    # are both overdue.
    deadlines = Deadlines(monthly_figures_working_days=0, close_working_days=60)
    caller = make_caller(demo_org, Role.DATA_PROVIDER, team=TEAM, user="provider")
    provider = api_as(caller.model_copy(update={"deadlines": deadlines}))
    figures = [t for t in tasks(provider) if t["kind"] == "figure"]
    assert len(figures) >= 2
    assert all(t["overdue"] for t in figures)
    assert figures[0]["due"] < figures[1]["due"]


def test_a_submitted_figure_leaves_the_providers_list_and_joins_the_approvers(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    measure = make_measure(api, code="R1", title="Reablement starts", data_provider=TEAM)
    provider = api_as(member(demo_org, Role.DATA_PROVIDER, user="provider"))
    created = provider.post(
        "/api/v1/kpi/actuals",
        json={"measure_id": measure["id"], "period": LAST_MONTH.code, "value": "40"},
    )
    assert created.status_code == 201, created.text
    assert next(t["title"] for t in tasks(provider)).startswith("Enter the figure for R1")
    submitted = provider.post(
        f"/api/v1/kpi/actuals/{created.json()['id']}/submit",
        headers={"If-Match": created.headers["ETag"]},
    )
    assert submitted.status_code == 200, submitted.text
    assert tasks(provider) == []
    approver = api_as(make_caller(demo_org, Role.PROGRAMME_OFFICE, user="approver"))
    approvals = [t for t in tasks(approver) if t["kind"] == "approval"]
    assert [t["link"] for t in approvals] == ["/kpis/approvals"]
    assert "R1 Reablement starts" in approvals[0]["title"]


def test_a_service_lead_sees_milestones_reports_actions_and_savings_returns(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    project = make_project(api, name="Home first", lead_team=TEAM, stage="in_delivery")
    soon = (TODAY + timedelta(days=10)).isoformat()
    late = (TODAY - timedelta(days=3)).isoformat()
    far = (TODAY + timedelta(days=90)).isoformat()
    make_milestone(api, project["id"], title="Soon", baseline_date=soon)
    make_milestone(api, project["id"], title="Late", baseline_date=late)
    make_milestone(api, project["id"], title="Far off", baseline_date=far)
    action = {"action": "Audit case files", "area": "Quality assurance", "owner": TEAM}
    api.post("/api/v1/projects/improvement-actions", json=action | {"due_date": soon})
    owed = make_savings_line(api, reference="SAV-1", owner_team=TEAM)
    sent = make_savings_line(api, reference="SAV-2", owner_team=TEAM)
    add_entry(api, sent["id"], LAST_MONTH.code, "£1k", "£10k")
    lead = api_as(make_caller(demo_org, Role.SERVICE_LEAD, team=TEAM, user="lead"))
    items = tasks(lead)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_kind.setdefault(item["kind"], []).append(item)
    milestones = by_kind["milestone"]
    assert [m["title"] for m in milestones] == [
        "Milestone: Late (Home first)",
        "Milestone: Soon (Home first)",
    ]
    assert [m["overdue"] for m in milestones] == [True, False]
    assert milestones[0]["link"].startswith(f"/projects/{project['id']}/milestones/")
    assert by_kind["highlight_report"][0]["link"] == (
        f"/projects/{project['id']}/highlight-reports/new"
    )
    assert [a["title"] for a in by_kind["improvement_action"]] == [
        "Improvement action: Audit case files"
    ]
    savings = by_kind["savings_return"]
    assert [s["key"] for s in savings] == [f"finance:savings:{owed['id']}:{LAST_MONTH.code}"]
    assert savings[0]["link"].startswith("/savings/entry?month=")
    assert items[0]["overdue"], "overdue items come first"


def test_the_dashboard_lists_the_persons_tasks_with_links_or_says_nothing_is_due(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    make_measure(api, code="R1", title="Reablement starts", data_provider=TEAM)
    provider = api_as(member(demo_org, Role.DATA_PROVIDER))
    page = provider.get("/")
    assert page.status_code == 200, page.text
    assert "Your tasks" in page.text
    assert 'class="govuk-task-list"' in page.text
    assert f"Enter the figure for R1 Reablement starts, {LAST_MONTH.label}" in page.text
    assert f'href="/kpis/entry?period={LAST_MONTH.code}&amp;provider=Reablement+Team"' in page.text
    stranger = api_as(member(demo_org, Role.DATA_PROVIDER, team="Quiet Team"))
    assert "Nothing due." in stranger.get("/").text
