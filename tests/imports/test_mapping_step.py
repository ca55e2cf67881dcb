"""The mapping step through the API: "we read your columns as…" is an answer a person changes a
little and sends back whole, so what it offers must be what the import would do."""

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.helpers import listed

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


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text)


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


SAVED = "/api/v1/finance/saved-mappings"
CHOSEN = {"Service area": "name", "Budget 2024/25 £m": "not-imported"}


def _saved(api: TestClient, **params: str) -> list[dict[str, Any]]:
    return listed(api, SAVED, **params)


def test_a_preview_saves_no_mapping_and_an_import_with_one_saves_it_for_the_council(
    api: TestClient,
) -> None:
    assert _preview(api, CHOSEN).status_code == 200
    assert _saved(api) == []

    done = _preview(api, CHOSEN, commit=True)
    assert done.status_code == 200, done.text
    [saved] = _saved(api)
    assert saved["kind"] == "budget-lines"
    assert saved["headings"] == [
        "Service area",
        "Budget 2024/25 £m",
        "Budget 2025/26 £m",
        "Budget 2026/27 £m",
        "Budget 2027/28 £m",
    ]
    assert saved["mapping"] == CHOSEN
    assert _saved(api, kind="budget-lines") == [saved]
    assert _saved(api, kind="savings") == []


def test_a_later_file_with_the_same_headings_is_read_with_the_saved_mapping_and_can_change_it(
    api: TestClient,
) -> None:
    assert _preview(api, CHOSEN, commit=True).status_code == 200
    [saved] = _saved(api)

    # The same headings in another case and order: the saved mapping is used, and says so.
    again = api.post(
        BUDGETS,
        files={"file": ("next-year.csv", b"BUDGET 2025/26 \xc2\xa3M,SERVICE AREA\n3.5,Day care\n")},
    )
    assert again.status_code == 422, "a file with other headings gets no saved mapping"
    preview = _preview(api)
    assert preview.status_code == 200, preview.text
    answer = preview.json()
    recalled = answer["saved_mapping"]
    assert (recalled["id"], recalled["saved_by"]) == (saved["id"], saved["saved_by"])
    assert _when(recalled["saved_on"]) == _when(saved["updated_at"])
    assert _offered(answer)["Service area"] == "name"
    assert _offered(answer)["Budget 2024/25 £m"] == "not-imported"
    assert [r["row"] for r in answer["reconciliations"]] == [13]

    # The person changes it: their mapping is read, and saved in place of the old one.
    changed = _preview(api, {"Service area": "name"})
    assert changed.json()["saved_mapping"] is None
    assert "current budget 2024/25" in changed.json()["columns"]
    assert _preview(api, {"Service area": "name"}, commit=True).status_code == 200
    [resaved] = _saved(api)
    assert (resaved["id"], resaved["mapping"]) == (saved["id"], {"Service area": "name"})
    assert resaved["version"] == saved["version"] + 1

    # `{}` asks for no mapping at all: every heading read by its wording.
    assert _preview(api, {}).status_code == 422


def test_a_saved_mapping_is_found_by_headings_in_any_case_and_order(api: TestClient) -> None:
    table = b"Area,Budget 2025/26\nDay care,100\n"
    mapping = {"Area": "name"}
    first = api.post(
        BUDGETS,
        params={"commit": "true"},
        files={"file": ("a.csv", table)},
        data={"mapping": json.dumps(mapping)},
    )
    assert first.status_code == 200, first.text
    later = api.post(BUDGETS, files={"file": ("b.csv", b"BUDGET 2025/26,AREA\n50,Transport\n")})
    assert later.status_code == 200, later.text
    assert later.json()["saved_mapping"] is not None
    assert _offered(later.json())["AREA"] == "name"
    assert [r["key"] for r in later.json()["rows"]] == ["Transport"]


def test_a_deleted_mapping_is_not_used_again(api: TestClient) -> None:
    assert _preview(api, CHOSEN, commit=True).status_code == 200
    [saved] = _saved(api)
    unversioned = api.delete(f"{SAVED}/{saved['id']}")
    assert unversioned.status_code == 428, unversioned.text
    deleted = api.delete(f"{SAVED}/{saved['id']}", headers={"If-Match": f'"{saved["version"]}"'})
    assert deleted.status_code == 204, deleted.text
    assert _saved(api) == []
    assert _preview(api).status_code == 422
    gone = api.delete(f"{SAVED}/{saved['id']}", headers={"If-Match": '"1"'})
    assert gone.status_code == 404


def test_each_service_keeps_the_mappings_of_its_own_imports(api: TestClient) -> None:
    table = b"Indicator,Unit\nCarers supported,Number\n"
    mapping = {"Indicator": "title"}
    done = api.post(
        "/api/v1/kpi/imports/kpis",
        params={"commit": "true", "frequency": "monthly"},
        files={"file": ("kpis.csv", table)},
        data={"mapping": json.dumps(mapping)},
    )
    assert done.status_code == 200, done.text
    [saved] = api.get("/api/v1/kpi/saved-mappings").json()["items"]
    assert (saved["kind"], saved["mapping"]) == ("kpis", mapping)
    assert _saved(api) == []  # finance has none
    again = api.post(
        "/api/v1/kpi/imports/kpis",
        params={"frequency": "monthly"},
        files={"file": ("kpis.csv", table)},
    )
    assert again.status_code == 200, again.text
    assert again.json()["saved_mapping"]["id"] == saved["id"]
