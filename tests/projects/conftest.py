"""Small factories for the projects API, each a real request through the gateway."""

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.helpers import created

API = "/api/v1/projects"
TODAY = date.today()


def days(n: int) -> str:
    """The ISO date `n` days from today."""
    return (TODAY + timedelta(days=n)).isoformat()


def make_priority(api: TestClient, **overrides: Any) -> dict[str, Any]:
    return created(api.post(f"{API}/priorities", json={"title": "Secure best value"} | overrides))


def make_objective(api: TestClient, **overrides: Any) -> dict[str, Any]:
    body = {"number": 1, "statement": "We will improve the carers offer."} | overrides
    return created(api.post(f"{API}/objectives", json=body))


def make_project(api: TestClient, **overrides: Any) -> dict[str, Any]:
    body = {"name": "Reablement", "lead_team": "Operations Team", "stage": "in_delivery"}
    return created(api.post(f"{API}/projects", json=body | overrides))


def make_late_and_on_track(api: TestClient, **late: Any) -> None:
    """Objective 4's Reablement, At risk, its milestone 10 days late, and Direct Payments, On track
    and another team's."""
    objective = make_objective(api, number=4)
    project = make_project(
        api,
        name="Reablement",
        rag="amber",
        rag_reason="Recruitment",
        objective_ids=[objective["id"]],
        start_month="2025-04",
        **late,
    )
    make_milestone(api, project["id"], title="Team recruited", baseline_date=days(-10))
    make_project(api, name="Direct Payments", rag="green", lead_team="Direct Payments Team")


def make_improvement_action(api: TestClient, **overrides: Any) -> dict[str, Any]:
    body = {"action": "Audit case files", "area": "Quality assurance"} | overrides
    return created(api.post(f"{API}/improvement-actions", json=body))


def make_improvement_plan(api: TestClient) -> None:
    """Three actions: one closed in Strategic decisions, two open in Quality assurance."""
    for action, area, status in (
        ("Refresh the scheme of delegation", "Strategic decisions", "completed"),
        ("Audit case files", "Quality assurance", "in_progress"),
        ("Practice week", "Quality assurance", "not_started"),
    ):
        make_improvement_action(api, action=action, area=area, status=status)


def make_milestone(api: TestClient, project_id: str, **overrides: Any) -> dict[str, Any]:
    body = {"project_id": project_id, "title": "Business case approved", "baseline_date": days(0)}
    return created(api.post(f"{API}/milestones", json=body | overrides))


def report_body(project_id: str, **overrides: Any) -> dict[str, Any]:
    """A highlight report of `project_id`'s June 2025, Green, as the API takes it."""
    body = {"project_id": project_id, "period": "2025-06", "rag": "green", "summary": "On plan"}
    return body | overrides


def raid_body(project_id: str, **overrides: Any) -> dict[str, Any]:
    """A risk of `project_id`, likelihood 2 and impact 3, as the API takes it."""
    body = {"project_id": project_id, "kind": "risk", "title": "Staff", "likelihood": 2}
    return body | {"impact": 3} | overrides


def make_highlight_report(api: TestClient, project_id: str, **overrides: Any) -> dict[str, Any]:
    return created(api.post(f"{API}/highlight-reports", json=report_body(project_id, **overrides)))


def make_raid_item(api: TestClient, project_id: str, **overrides: Any) -> dict[str, Any]:
    return created(api.post(f"{API}/raid-items", json=raid_body(project_id, **overrides)))
