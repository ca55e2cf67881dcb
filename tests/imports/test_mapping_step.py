"""The mapping step through the API: "we read your columns as…" is an answer a person changes a
little and sends back whole, so what it offers must be what the import would do."""

import json
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

BOOK_NAME = "budget-book-four-years.xlsx"
BOOK = (Path(__file__).parent / "tables" / BOOK_NAME).read_bytes()
BUDGETS = "/api/v1/finance/imports/budget-lines"


def _preview(
    api: TestClient, mapping: dict[str, str] | None = None, *, commit: bool = False
) -> httpx.Response:
    response: httpx.Response = api.post(
        BUDGETS,
        params={"commit": str(commit).lower()},
        files={"file": (BOOK_NAME, BOOK)},
        data={"mapping": json.dumps(mapping)} if mapping is not None else {},
    )
    return response


def _offered(answer: dict[str, Any]) -> dict[str, str]:
    return {column["heading"]: column["field"] for column in answer["mapping"]}


def test_the_columns_a_refusal_offers_sent_back_with_two_changes_keep_the_years_and_the_total(
    api: TestClient,
) -> None:
    refused = _preview(api)
    assert refused.status_code == 422, refused.text
    offered = _offered(refused.json())
    assert offered == {
        "Service area": "service_area",
        "Budget 2024/25 £m": "each-year",
        "Budget 2025/26 £m": "each-year",
        "Budget 2026/27 £m": "each-year",
        "Budget 2027/28 £m": "each-year",
    }

    # The person changes two columns and sends the rest back as they were offered.
    chosen = offered | {"Service area": "name", "Budget 2024/25 £m": "not-imported"}
    preview = _preview(api, chosen)
    assert preview.status_code == 200, preview.text
    answer = preview.json()
    assert [r["message"] for r in answer["reconciliations"]] == [
        "Row 13 (Grand total): Budget 2026/27 £m: stated total £152.4m; the lines add up to "
        "£151.8m; difference £600k. Budget 2027/28 £m: stated total £157.3m; the lines add up "
        "to £156.6m; difference £700k."
    ]
    assert sorted(k for k in answer["columns"] if "budget" in k) == [
        "current budget 2025/26",
        "current budget 2026/27",
        "current budget 2027/28",
    ]
    assert _offered(answer) == chosen


def test_the_columns_a_preview_offers_sent_back_unchanged_read_the_table_the_same_way(
    api: TestClient,
) -> None:
    first = _preview(api, {"Service area": "name"}).json()
    again = _preview(api, _offered(first)).json()
    for key in ("counts", "columns", "totals", "reconciliations", "rows"):
        assert again[key] == first[key], key
