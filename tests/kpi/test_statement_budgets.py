"""The scorecard runs a fixed number of SQL statements, however many measures it shows."""

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from common.testing.plugin import TEST_SIGNING_KEY, make_caller
from common.testing.statements import statements_for_sizes, straight_to
from stack.testing.plugin import System
from tests.kpi.factories import make_actual, make_measure, make_target

# The organisation, the measures, their targets, their figures in the periods shown, and their
# actuals in the periods due.
SCORECARD_BUDGET = 5


def test_the_scorecard_runs_the_same_few_statements_for_5_measures_as_for_50(
    api: TestClient, system: System, demo_org: uuid.UUID, engine: Engine
) -> None:
    kpi = straight_to(system.services["kpi"], make_caller(demo_org), TEST_SIGNING_KEY)

    def add(n: int) -> None:
        # Monthly and quarterly measures side by side: each kind reads its own periods.
        quarterly = n % 3 == 2
        measure = make_measure(
            api, code=f"B{n:02d}", frequency="quarterly" if quarterly else "monthly"
        )
        make_target(api, measure, "80")
        for period in ("2025/26 Q1", "2025/26 Q2") if quarterly else ("2025-08", "2025-09"):
            make_actual(api, measure, period, value="75")

    url = "/scorecard?period=2025-09&limit=100"
    at_5, at_50 = statements_for_sizes(engine, kpi, url, add)
    assert at_5 == at_50 <= SCORECARD_BUDGET, (at_5, at_50)
    rows = kpi.get(url).json()["items"]
    assert len([r for r in rows if r["measure"]["code"].startswith("B")]) == 50
    assert all(r["actual"] == "75" for r in rows if r["measure"]["code"].startswith("B"))
