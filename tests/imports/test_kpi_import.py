"""Importing the council's KPI table: preview, all-or-nothing commit, and re-import."""

import uuid
from collections.abc import Callable
from decimal import Decimal

from fastapi.testclient import TestClient

from common.identity import Caller, Role
from common.testing.plugin import make_caller
from common.writing import write_csv, write_xlsx
from tests.helpers import listed
from tests.imports.files import KPI_COLUMNS, KPIS, refused, refused_for_row_7, upload

PATH = "/kpi/imports/kpis"


def _rows(count: int) -> list[list[str]]:
    return [
        [f"Measure {n}", "", "Number", "Bigger", "Monthly", "Flat", "10", "11", "12", "N", "Team"]
        for n in range(1, count + 1)
    ]


def _imported_then_target_changed(api: TestClient) -> list[list[str]]:
    """Imports three measures, then gives back their rows with Measure 2's 2026/27 target 15."""
    rows = _rows(3)
    assert upload(api, PATH, write_csv(KPI_COLUMNS, rows), commit=True).status_code == 200
    rows[1][7] = "15"
    return rows


def _measures(api: TestClient) -> list[dict[str, object]]:
    return listed(api, "/api/v1/kpi/measures", limit=100)


def test_the_council_kpi_table_imports_as_it_is(api: TestClient) -> None:
    data = KPIS.read_bytes()
    preview = upload(api, PATH, data, "kpis.csv")
    assert preview.status_code == 200, preview.text
    report = preview.json()
    assert report["counts"] == {
        "rows": 12,
        "create": 12,
        "update": 0,
        "unchanged": 0,
        "error": 0,
        "warnings": 1,
    }
    assert [(r["row"], r["problems"]) for r in report["rows"] if r["problems"]] == [
        (
            12,
            [
                {
                    "column": "Normal level/ Target 25/26",
                    "kind": "defaulted",
                    "message": "'£376k reduction' is a reduction: set the measure's baseline "
                    "so the 2025/26 level to reach can be worked out",
                    "blocking": False,
                }
            ],
        )
    ]
    assert report["unmatched_columns"] == []
    assert _measures(api) == []  # a preview writes nothing

    committed = upload(api, PATH, data, "kpis.csv", commit=True)
    assert committed.status_code == 200, committed.text
    assert committed.json()["committed"] is True
    measures = _measures(api)
    assert len(measures) == 12
    listed = api.get("/api/v1/kpi/targets", params={"limit": 100})
    assert listed.status_code == 200, listed.text
    targets = listed.json()["items"]
    assert len(targets) == 36
    notes = {t["note"] for t in targets}
    assert "Current baseline 19% / Target level of 30%" in notes
    assert "£376k reduction" in notes
    reduction = next(t for t in targets if t["note"] == "£376k reduction")
    assert (reduction["kind"], Decimal(reduction["value"])) == ("reduction", Decimal(376_000))
    carers = next(m for m in measures if str(m["title"]).startswith("Number of carers"))
    assert (carers["polarity"], carers["frequency"], carers["council_plan"]) == (
        "bigger_is_better",
        "monthly",
        True,
    )


def test_importing_the_same_file_again_changes_nothing(api: TestClient) -> None:
    data = KPIS.read_bytes()
    assert upload(api, PATH, data, commit=True).status_code == 200
    before = {m["id"]: m["version"] for m in _measures(api)}
    again = upload(api, PATH, data, commit=True)
    assert again.status_code == 200, again.text
    assert {r["action"] for r in again.json()["rows"]} == {"unchanged"}
    assert {m["id"]: m["version"] for m in _measures(api)} == before


def test_a_changed_target_is_an_update_matched_by_title(api: TestClient) -> None:
    rows = _imported_then_target_changed(api)
    report = upload(api, PATH, write_xlsx(KPI_COLUMNS, rows), "k.xlsx").json()
    assert [r["action"] for r in report["rows"]] == ["unchanged", "update", "unchanged"]
    assert report["rows"][1]["fields"]["changes"] == ["target 2026/27"]


def test_a_bad_number_in_row_7_of_500_rejects_the_file_and_writes_nothing(
    api: TestClient,
) -> None:
    problem = refused_for_row_7(api, PATH, KPI_COLUMNS, _rows(500), 6, "twelve")
    assert problem["errors"] == [
        {
            "field": "rows.7.Normal level/ Target 25/26",
            "message": "Row 7: could not read 'twelve' as a number",
        }
    ]
    assert [r["row"] for r in problem["report"]["rows"] if r["action"] == "error"] == [7]
    assert _measures(api) == []


def test_a_missing_required_column_is_named_and_nothing_is_written(api: TestClient) -> None:
    headers = KPI_COLUMNS[1:]
    rows = [r[1:] for r in _rows(5)]
    problem = refused(api, PATH, write_csv(headers, rows))
    assert problem["errors"] == [
        {"field": "columns.title", "message": "The file has no 'Measure' column."}
    ]
    assert _measures(api) == []


def test_without_a_better_column_the_polarity_is_guessed_and_marked_please_check(
    api: TestClient,
) -> None:
    headers = [h for h in KPI_COLUMNS if not h.startswith("Better")]
    rows = [[c for i, c in enumerate(r) if i != 3] for r in _rows(2)]
    preview = upload(api, PATH, write_csv(headers, rows))
    assert preview.status_code == 200, preview.text
    assert {p["message"] for r in preview.json()["rows"] for p in r["problems"]} == {
        "bigger is better, guessed: please check"
    }
    assert preview.json()["counts"]["error"] == 0


def test_a_file_that_is_not_a_spreadsheet_is_refused(api: TestClient) -> None:
    problem = refused(api, PATH, b"%PDF-1.7\x00\x01binary", "plan.pdf")
    assert problem["errors"][0]["field"] == "file"
    assert _measures(api) == []


def test_generated_codes_never_clash_with_codes_in_the_file(api: TestClient) -> None:
    headers = ["Code", *KPI_COLUMNS]
    rows = [["KPI01", *_rows(1)[0]], ["", *_rows(2)[1]]]
    response = upload(api, PATH, write_csv(headers, rows), commit=True)
    assert response.status_code == 200, response.text
    assert sorted(str(m["code"]) for m in _measures(api)) == ["KPI01", "KPI02"]


def test_words_for_no_target_are_kept_as_warnings_not_errors(api: TestClient) -> None:
    rows = _rows(1)
    rows[0][7], rows[0][8] = "TBC", ""
    report = upload(api, PATH, write_csv(KPI_COLUMNS, rows)).json()
    row = report["rows"][0]
    assert row["action"] == "create"
    assert row["problems"] == [
        {
            "column": "Normal level/ Target 26/27",
            "kind": "defaulted",
            "message": "no target set for 2026/27 ('TBC' kept)",
            "blocking": False,
        }
    ]


def test_a_data_provider_cannot_import_measures(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    client = api_as(make_caller(demo_org, Role.DATA_PROVIDER))
    response = upload(client, PATH, KPIS.read_bytes(), commit=True)
    assert response.status_code == 403


def test_ten_thousand_rows_preview_and_commit(api: TestClient) -> None:
    data = write_csv(KPI_COLUMNS, _rows(10_000))
    preview = upload(api, PATH, data, rows="problems")
    assert preview.status_code == 200
    assert preview.json()["counts"]["create"] == 10_000
    assert preview.json()["rows"] == []
    committed = upload(api, PATH, data, commit=True, rows="problems")
    assert committed.status_code == 200
    assert committed.json()["counts"]["create"] == 10_000
    assert api.get("/api/v1/kpi/measures", params={"limit": 1}).json()["total"] == 10_000
    assert api.get("/api/v1/kpi/targets", params={"limit": 1}).json()["total"] == 30_000


def test_a_changed_target_and_definition_are_stored_with_their_audit_rows(api: TestClient) -> None:
    rows = _imported_then_target_changed(api)
    rows[2][1] = "Counted at month end"
    response = upload(api, PATH, write_csv(KPI_COLUMNS, rows), commit=True)
    assert response.status_code == 200, response.text
    assert [r["action"] for r in response.json()["rows"]] == ["unchanged", "update", "update"]
    measures = {m["title"]: m for m in _measures(api)}
    assert measures["Measure 3"]["definition"] == "Counted at month end"
    assert measures["Measure 3"]["version"] == 2
    assert measures["Measure 1"]["version"] == 1
    targets = api.get(
        "/api/v1/kpi/targets", params={"measure_id": measures["Measure 2"]["id"], "limit": 10}
    ).json()["items"]
    assert {t["financial_year"]: Decimal(t["value"]) for t in targets} == {
        "2025/26": 10,
        "2026/27": 15,
        "2027/28": 12,
    }
    events = api.get("/api/v1/kpi/audit-events", params={"action": "update", "limit": 50}).json()[
        "items"
    ]
    updates = [(e["entity"], e["before"], e["after"]) for e in events if e["action"] == "update"]
    assert sorted(updates, key=str) == sorted(
        [
            ("measures", {"definition": ""}, {"definition": "Counted at month end"}),
            ("targets", {"value": "11.000000"}, {"value": "15"}),
        ],
        key=str,
    )
