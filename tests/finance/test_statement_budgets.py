"""The savings tracker and the budget monitor run a fixed number of SQL statements, however many
lines they show (issue 17: the tracker once sent one query per line)."""

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from common.testing.plugin import TEST_SIGNING_KEY, make_caller
from common.testing.statements import statements_for_sizes, straight_to
from stack.testing.plugin import System
from tests.finance.factories import add_entry, add_forecast, make_budget_line, make_savings_line

# The organisation, the lines, their targets, returns and activity, and the page's mitigations.
SAVINGS_TRACKER_BUDGET = 6
# The organisation, the lines, their budgets and their forecasts.
BUDGET_MONITOR_BUDGET = 4


@pytest.fixture
def finance(system: System, demo_org: uuid.UUID) -> TestClient:
    return straight_to(system.services["finance"], make_caller(demo_org), TEST_SIGNING_KEY)


def test_the_savings_tracker_runs_the_same_few_statements_for_5_lines_as_for_50(
    api: TestClient, finance: TestClient, engine: Engine
) -> None:
    previous: list[str] = []

    def add(n: int) -> None:
        # Every line has targets, returns and activity; every other one mitigates the one before.
        mitigates = {"mitigates_line_id": previous[-1]} if n % 2 and previous else {}
        line = make_savings_line(api, reference=f"SAV-{n:02d}", **mitigates)
        add_entry(api, line["id"], "2025-05", "£10k", "£300k")
        add_entry(api, line["id"], "2025-06", "£20k", "£320k")
        response = api.post(
            f"/api/v1/finance/savings-lines/{line['id']}/activity-measures",
            json={"name": "Reviews", "planned": 100, "done": n},
        )
        assert response.status_code == 201, response.text
        previous.append(line["id"])

    url = "/savings-lines?financial_year=2025/26&limit=100"
    at_5, at_50 = statements_for_sizes(engine, finance, url, add)
    assert at_5 == at_50 <= SAVINGS_TRACKER_BUDGET, (at_5, at_50)
    assert len(finance.get(url).json()["items"]) == 50


def test_the_budget_monitor_runs_the_same_few_statements_for_5_lines_as_for_50(
    api: TestClient, finance: TestClient, engine: Engine
) -> None:
    def add(n: int) -> None:
        line = make_budget_line(api, name=f"Line {n:02d}", cost_centre=f"CC{n:03d}")
        add_forecast(api, line["id"], "2025-05", "£1.1m")
        add_forecast(api, line["id"], "2025-06", "£1.3m")

    url = "/budget/position?month=2025-06"
    at_5, at_50 = statements_for_sizes(engine, finance, url, add)
    assert at_5 == at_50 <= BUDGET_MONITOR_BUDGET, (at_5, at_50)
    assert len(finance.get(url).json()["lines"]) == 50
