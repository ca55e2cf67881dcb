"""The demo council's budget monitor and savings programme load and read back as the issue says."""

import uuid
from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient

from common.db import Database, set_organisation
from services.finance import demo


def _load(database: Database, org: uuid.UUID, today: date) -> None:
    with database.session(org) as session:
        set_organisation(session, org)
        demo.load(session, today=today)
        session.commit()


def test_demo_budget_monitor_reports_the_outturn_the_papers_quote(
    api: TestClient, database: Database, demo_org: uuid.UUID
) -> None:
    _load(database, demo_org, date(2026, 11, 24))
    april = api.get("/api/v1/finance/budget/position", params={"month": "2025-04"}).json()
    march = api.get("/api/v1/finance/budget/position", params={"month": "2026-03"}).json()
    assert april["totals"]["variance"] == "6200000.00"
    assert march["totals"]["variance"] == "5399000.00"
    assert len(march["lines"]) == 8
    income = next(line for line in march["lines"] if line["name"] == "Client Finances income")
    assert income["budget"].startswith("-")
    assert all("Demo data" in line["commentary"] for line in march["lines"])
    # the current year runs to the latest complete month
    assert api.get("/api/v1/finance/budget/position").json()["month"] == "2026-10"


def test_demo_savings_follow_the_shared_projects(
    api: TestClient, database: Database, demo_org: uuid.UUID
) -> None:
    _load(database, demo_org, date(2026, 11, 24))
    lines = api.get(
        "/api/v1/finance/savings-lines", params={"financial_year": "2025/26", "limit": 50}
    ).json()
    by_ref = {line["reference"]: line for line in lines["items"]}
    sle = by_ref["SAV-SLE"]
    assert [(t["financial_year"], t["in_year"]) for t in sle["targets"]] == [
        ("2025/26", "376000.00"),
        ("2026/27", "575000.00"),
        ("2027/28", "576000.00"),
    ]
    assert sle["selected"]["latest_month"] == "2026-03"
    assert sle["description"].startswith("Demo data")
    cohort = by_ref["SAV-CPR"]["activity_measures"][0]
    assert (cohort["planned"], cohort["done"], cohort["percent_done"]) == (3813, 452, "11.9")
    assert by_ref["SAV-DP"]["mitigates_line_id"] == by_ref["SAV-REA"]["id"]
    entries = api.get(f"/api/v1/finance/savings-lines/{sle['id']}/entries").json()["items"]
    assert [e["month"] for e in entries][:2] == ["2025-04", "2025-05"]
    assert all(Decimal(e["achieved_to_date"]) <= Decimal(e["forecast_for_year"]) for e in entries)


def test_demo_part_way_through_a_year_stops_at_the_latest_complete_month(
    api: TestClient, database: Database, demo_org: uuid.UUID
) -> None:
    _load(database, demo_org, date(2025, 10, 3))
    assert api.get("/api/v1/finance/budget/position").json()["month"] == "2025-09"


def test_demo_savings_link_to_the_demo_projects_loaded_first(
    api: TestClient, database: Database, demo_org: uuid.UUID
) -> None:
    from services.projects import demo as projects_demo

    with database.session(demo_org) as session:
        set_organisation(session, demo_org)
        projects_demo.load(session)
        session.flush()
        demo.load(session, today=date(2026, 11, 24))
        session.commit()
    lines = api.get(
        "/api/v1/finance/savings-lines", params={"financial_year": "2025/26", "limit": 50}
    ).json()["items"]
    sle = next(line for line in lines if line["reference"] == "SAV-SLE")
    assert len(sle["project_ids"]) == 1
    project = api.get(f"/api/v1/projects/projects/{sle['project_ids'][0]}").json()
    assert project["name"] == "Supported Living Efficiencies"
    assert all(line["project_ids"] for line in lines)
