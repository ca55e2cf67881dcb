"""A budget line's budgets and a savings line's targets give each financial year once: a list that
names a year twice, however it is written, is refused and nothing is stored."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.finance.factories import make_budget_line, make_savings_line

BUDGET_LINE = {"name": "Older People"}
SAVINGS_LINE = {"reference": "SAV-09", "title": "Reablement", "category": "reablement"}

CASES = [
    pytest.param(
        "/api/v1/finance/budget-lines",
        BUDGET_LINE,
        make_budget_line,
        "budgets",
        [
            {"financial_year": "2025/26", "original_budget": "100"},
            {"financial_year": "25/26", "original_budget": "200"},
        ],
        id="budgets",
    ),
    pytest.param(
        "/api/v1/finance/savings-lines",
        SAVINGS_LINE,
        make_savings_line,
        "targets",
        [
            {"financial_year": "2025/26", "in_year": "100"},
            {"financial_year": "25/26", "in_year": "200"},
        ],
        id="targets",
    ),
]
ARGS = ("path", "line", "make", "field", "figures")


def _refused_for_the_repeated_year(response: Any, field: str) -> None:
    assert response.status_code == 422
    assert {e["field"]: e["message"] for e in response.json()["errors"]} == {
        field: "give each financial year once"
    }


@pytest.mark.parametrize(ARGS, CASES)
def test_a_new_line_that_gives_a_year_twice_is_refused_and_not_stored(
    api: TestClient,
    path: str,
    line: dict[str, str],
    make: Callable[..., dict[str, Any]],
    field: str,
    figures: list[dict[str, str]],
) -> None:
    _refused_for_the_repeated_year(api.post(path, json=line | {field: figures}), field)
    assert api.get(path).json()["total"] == 0


@pytest.mark.parametrize(ARGS, CASES)
def test_a_change_that_gives_a_year_twice_is_refused_and_the_years_are_kept(
    api: TestClient,
    path: str,
    line: dict[str, str],
    make: Callable[..., dict[str, Any]],
    field: str,
    figures: list[dict[str, str]],
) -> None:
    created = make(api)
    url = f"{path}/{created['id']}"
    etag = api.get(url).headers["etag"]
    refused = api.patch(url, json={field: figures}, headers={"If-Match": etag})
    _refused_for_the_repeated_year(refused, field)
    assert api.get(url).json()[field] == created[field]
