"""A budget line's budgets and a savings line's targets give each financial year once: a list that
names a year twice, however it is written, is refused and nothing is stored."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.finance.factories import make_budget_line, make_savings_line


@dataclass(frozen=True)
class Tracker:
    path: str
    line: dict[str, str]
    """The least a new line needs."""
    make: Callable[..., dict[str, Any]]
    field: str
    figure: str
    """The figure each year's entry of `field` must give."""

    def twice(self) -> list[dict[str, str]]:
        """Figures for one year, written two ways."""
        return [{"financial_year": year, self.figure: "100"} for year in ("2025/26", "25/26")]


TRACKERS = [
    Tracker(
        "/api/v1/finance/budget-lines",
        {"name": "Older People"},
        make_budget_line,
        "budgets",
        "original_budget",
    ),
    Tracker(
        "/api/v1/finance/savings-lines",
        {"reference": "SAV-09", "title": "Reablement", "category": "reablement"},
        make_savings_line,
        "targets",
        "in_year",
    ),
]


@pytest.fixture(params=TRACKERS, ids=lambda t: t.field)
def tracker(request: pytest.FixtureRequest) -> Tracker:
    chosen: Tracker = request.param
    return chosen


def _refused_for_the_repeated_year(response: Any, field: str) -> None:
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": field, "message": "give each financial year once"}
    ]


def test_a_new_line_that_gives_a_year_twice_is_refused_and_not_stored(
    api: TestClient, tracker: Tracker
) -> None:
    body = tracker.line | {tracker.field: tracker.twice()}
    _refused_for_the_repeated_year(api.post(tracker.path, json=body), tracker.field)
    assert api.get(tracker.path).json()["total"] == 0


def test_a_change_that_gives_a_year_twice_is_refused_and_the_years_are_kept(
    api: TestClient, tracker: Tracker
) -> None:
    created = tracker.make(api)
    url = f"{tracker.path}/{created['id']}"
    etag = api.get(url).headers["etag"]
    refused = api.patch(url, json={tracker.field: tracker.twice()}, headers={"If-Match": etag})
    _refused_for_the_repeated_year(refused, tracker.field)
    assert api.get(url).json()[tracker.field] == created[tracker.field]
