"""A month or financial year in a query is read as councils write it; a value that is neither is
refused with a 422 that names the parameter and says how to write it."""

import pytest
from fastapi.testclient import TestClient

FINANCE = "/api/v1/finance"


@pytest.mark.parametrize(
    ("path", "name", "value", "message"),
    [
        (
            "/budget/position",
            "month",
            "September",
            '"September" is not a month; write it like "2025-09"',
        ),
        (
            "/budget-lines",
            "financial_year",
            "2025",
            '"2025" is not a financial year; write it like "2025/26"',
        ),
        (
            "/library/savings",
            "financial_year",
            "x",
            '"x" is not a financial year; write it like "2025/26"',
        ),
    ],
)
def test_a_query_that_is_not_a_month_or_year_is_refused_naming_it(
    api: TestClient, path: str, name: str, value: str, message: str
) -> None:
    response = api.get(f"{FINANCE}{path}", params={name: value})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": name, "message": message}]


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        ("/budget/position", "month", "2025-09"),
        ("/budget/position", "month", ""),
        ("/budget-lines", "financial_year", "25/26"),
        ("/budget-lines", "financial_year", ""),
    ],
)
def test_a_month_or_year_as_written_or_left_empty_is_accepted(
    api: TestClient, path: str, name: str, value: str
) -> None:
    assert api.get(f"{FINANCE}{path}", params={name: value}).status_code == 200
