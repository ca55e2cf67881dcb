"""The demo plan: every objective and project of the shared service plan, read faithfully."""

import uuid
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select

from common.db import Database, set_organisation
from common.identity import Role
from gateway.demo import DEMO_USERS
from services.projects import demo
from services.projects.models import Objective, Priority, Project
from tests.projects.conftest import API


def _load(database: Database, org_id: uuid.UUID) -> None:
    with database.session(org_id) as session:
        set_organisation(session, org_id)
        demo.load(session)
        session.commit()


def test_demo_loads_16_objectives_and_16_projects_with_original_wording(
    database: Database, demo_org: uuid.UUID
) -> None:
    _load(database, demo_org)
    with database.session(demo_org) as session:
        objectives = list(session.scalars(select(Objective).order_by(Objective.number)))
        projects = {p.name: p for p in session.scalars(select(Project))}
        priorities = list(session.scalars(select(Priority)))
    assert [o.number for o in objectives] == list(range(1, 17))
    assert objectives[0].statement.startswith("We will implement our improved carers offer")
    assert objectives[0].council_plan is True
    assert all(o.priority_ids for o in objectives)
    assert len(projects) == 16
    assert 8 <= len(priorities) <= 12

    vcs = projects["VCS Front Door"]
    assert (vcs.budget_amount, vcs.budget_basis, vcs.funding_source) == (
        Decimal("200000.00"),
        "per_annum",
        "Better Care Fund",
    )
    assert vcs.budget_text == "£200k per annum (Better Care Fund)"
    closing_the_gap = projects["Closing The Gap II-Commission"]
    assert (closing_the_gap.start_month, closing_the_gap.start_text) == (None, "Started in 2024")
    outreach = next(p for p in projects.values() if p.name.startswith("Community Wellness"))
    assert outreach.end_month is not None
    assert (outreach.end_month.year, outreach.end_month.month) == (2025, 6)
    assert outreach.end_text.startswith("June 2025 (Likely to be extended")
    assert projects["ASC Assets Service Modeling"].budget_amount is None
    assert projects["ASC Assets Service Modeling"].budget_text == "TBC"
    assert projects["Direct Payments"].lead_team == "Direct Payments Team"


def test_the_demo_service_leads_team_leads_demo_projects(
    database: Database, demo_org: uuid.UUID
) -> None:
    """So signing in as the demo service lead shows what a project's lead may change."""
    lead_team = next(team for _, _, team, role in DEMO_USERS if role is Role.SERVICE_LEAD)
    _load(database, demo_org)
    with database.session(demo_org) as session:
        led = {p.name for p in session.scalars(select(Project)) if p.lead_team == lead_team}
    assert len(led) >= 1
    assert "VCS Front Door" in led


def test_demo_links_projects_to_the_objectives_they_serve(
    database: Database, demo_org: uuid.UUID
) -> None:
    _load(database, demo_org)
    with database.session(demo_org) as session:
        number = {o.id: o.number for o in session.scalars(select(Objective))}
        linked = {
            p.name: sorted(number[i] for i in p.objective_ids)
            for p in session.scalars(select(Project))
        }
    assert linked["Direct Payments"] == [15]
    assert linked["Income Review"] == [10]
    assert linked["Reablement"] == [4]
    assert linked["Spending Wisely"] == [9]
    assert linked["Extra Care Market Development"] == [7]
    assert {3, 5} <= set(linked["Digital Transformation"])


def test_demo_data_is_labelled_and_valid_through_the_api(
    api: TestClient, database: Database, demo_org: uuid.UUID
) -> None:
    _load(database, demo_org)
    projects = api.get(f"{API}/projects", params={"limit": 50}).json()["items"]
    assert len(projects) == 16
    for project in projects:
        if project["rag"] in ("amber", "red"):
            assert project["rag_reason"].startswith("Demo data")
    milestones = api.get(f"{API}/milestones", params={"limit": 500}).json()["items"]
    assert milestones
    assert all(m["title"].endswith("(demo data)") for m in milestones)
    reports = api.get(f"{API}/highlight-reports", params={"limit": 500}).json()["items"]
    assert reports
    assert all(r["summary"].startswith("Demo data") for r in reports)


def test_demo_links_objectives_to_kpi_measures_found_by_title(
    api: TestClient, database: Database, demo_org: uuid.UUID
) -> None:
    carers = api.post(
        "/api/v1/kpi/measures",
        json={"code": "ASC01", "title": "Number of carers supported to maintain their caring role"},
    ).json()
    _load(database, demo_org)
    objective = api.get(f"{API}/objectives", params={"kpi_measure_id": carers["id"]}).json()
    assert [o["number"] for o in objective["items"]] == [1]
