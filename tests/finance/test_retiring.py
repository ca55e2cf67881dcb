"""Retiring a budget line or a savings line: it leaves the monitor and the tracker, keeps its
history, and comes back; a service lead retires only their own team's savings lines."""

import uuid
from typing import Any

from fastapi.testclient import TestClient

from common.identity import Role
from common.testing.plugin import make_caller
from tests.finance.factories import add_forecast, make_budget_line, make_savings_line

FINANCE = "/api/v1/finance"


def test_a_retired_budget_line_leaves_the_list_and_the_monitor(api: TestClient) -> None:
    line = make_budget_line(api)
    add_forecast(api, line["id"], "2025-09", "1,200,000")
    url = f"{FINANCE}/budget-lines/{line['id']}"
    retired = api.post(f"{url}/retire", headers={"If-Match": f'"{line["version"]}"'})
    assert retired.status_code == 200, retired.text
    assert retired.json()["retired"] is True

    assert api.get(f"{FINANCE}/budget-lines").json()["total"] == 0
    listed = api.get(f"{FINANCE}/budget-lines", params={"include_retired": "true"}).json()
    assert [r["retired"] for r in listed["items"]] == [True]
    monitor = api.get(f"{FINANCE}/budget/position", params={"month": "2025-09"}).json()
    assert monitor["lines"] == []
    assert api.get(f"{url}/forecasts").json()["items"]  # its forecasts are kept

    restored = api.post(f"{url}/restore", headers={"If-Match": retired.headers["ETag"]})
    assert restored.json()["retired"] is False
    assert api.get(f"{FINANCE}/budget-lines").json()["total"] == 1


def test_retiring_a_budget_line_needs_the_current_version(api: TestClient) -> None:
    line = make_budget_line(api)
    url = f"{FINANCE}/budget-lines/{line['id']}/retire"
    assert api.post(url).status_code == 428
    assert api.post(url, headers={"If-Match": '"99"'}).status_code == 412


def test_a_retired_savings_line_leaves_the_tracker_and_its_totals(api: TestClient) -> None:
    line = make_savings_line(api)
    url = f"{FINANCE}/savings-lines/{line['id']}"
    retired = api.post(f"{url}/retire", headers={"If-Match": f'"{line["version"]}"'})
    assert retired.status_code == 200, retired.text
    assert retired.json()["retired"] is True

    year = {"financial_year": "2025/26"}
    assert api.get(f"{FINANCE}/savings-lines", params=year).json()["total"] == 0
    shown = api.get(f"{FINANCE}/savings-lines", params=year | {"include_retired": "true"}).json()
    assert [r["retired"] for r in shown["items"]] == [True]
    totals = api.get(f"{FINANCE}/savings/totals").json()
    assert totals["overall"]["lines"] == 0

    restored = api.post(f"{url}/restore", headers={"If-Match": retired.headers["ETag"]})
    assert restored.json()["retired"] is False
    assert api.get(f"{FINANCE}/savings-lines", params=year).json()["total"] == 1


def test_a_service_lead_may_not_retire_another_teams_savings_line(
    api: TestClient, api_as: Any, demo_org: uuid.UUID
) -> None:
    line = make_savings_line(api, owner_team="Commissioning Team")
    lead = api_as(make_caller(demo_org, Role.SERVICE_LEAD, team="Operations Team", user="lead"))
    url = f"{FINANCE}/savings-lines/{line['id']}/retire"
    refused = lead.post(url, headers={"If-Match": f'"{line["version"]}"'})
    assert refused.status_code == 403
    assert api.get(f"{FINANCE}/savings-lines/{line['id']}").json()["retired"] is False
