"""Importing KPI actuals: periods and figures as councils write them, the actuals API's rules per
row, corrections as revisions, the workflow from a status column, and re-import changing nothing."""

import uuid
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from common.identity import Caller, Role
from common.testing.plugin import make_caller
from common.writing import write_csv, write_xlsx
from tests.helpers import listed
from tests.imports.files import refused, refused_for_row_7, upload
from tests.kpi.factories import approver_for, make_actual, make_measure, make_target

PATH = "/kpi/imports/actuals"
HEADERS = ["KPI code", "Month", "Actual", "Numerator", "Denominator", "Comments"]


def _actuals(api: TestClient) -> list[dict[str, Any]]:
    return listed(api, "/api/v1/kpi/actuals", limit=200)


def _monthly(api: TestClient, count: int = 1, **extra: Any) -> list[dict[str, Any]]:
    return [
        make_measure(api, code=f"M{n}", title=f"Monthly measure {n}", **extra)
        for n in range(1, count + 1)
    ]


def test_periods_and_figures_are_read_as_councils_write_them(api: TestClient) -> None:
    _monthly(api, unit="percent")
    make_measure(api, code="Q1", title="Carers assessed", unit="count", frequency="quarterly")
    make_measure(api, code="Y1", title="Annual survey score", unit="count", frequency="annual")
    rows = [
        ["M1", "2025-04", "65%", "", "", "Good month"],
        ["M1", "May 2025", "", "13", "20", ""],
        ["M1", "June 2025", "5.0", "", "", ""],
        ["M1", "Jul-25", "66", "", "", ""],
        ["Carers assessed", "Q1 2025/26", "1,102", "", "", ""],
        ["Q1", "2025/26 Q2", "1,150", "", "", ""],
        ["Y1", "2024/25", "7", "", "", ""],
    ]
    report = upload(api, PATH, write_xlsx(HEADERS, rows), "figures.xlsx").json()
    assert report["counts"]["create"] == 7, report
    assert [
        (r["fields"]["measure"], r["fields"]["period"], r["fields"]["value"])
        for r in report["rows"]
    ] == [
        ("M1", "2025-04", "65"),
        ("M1", "2025-05", "65"),
        ("M1", "2025-06", "5.0"),
        ("M1", "2025-07", "66"),
        ("Q1", "2025/26 Q1", "1102"),
        ("Q1", "2025/26 Q2", "1150"),
        ("Y1", "2024/25", "7"),
    ]
    assert report["rows"][0]["original"] == {
        "KPI code": "M1",
        "Month": "2025-04",
        "Actual": "65%",
        "Numerator": "",
        "Denominator": "",
        "Comments": "Good month",
    }
    assert _actuals(api) == []  # a preview writes nothing


def test_the_measure_frequency_decides_which_periods_are_valid(api: TestClient) -> None:
    _monthly(api)
    make_measure(api, code="Q1", title="Quarterly", unit="count", frequency="quarterly")
    rows = [["M1", "Q1 2025/26", "50", "", "", ""], ["Q1", "April 2025", "5", "", "", ""]]
    problem = refused(api, PATH, write_csv(HEADERS, rows))
    assert problem["errors"] == [
        {
            "field": "rows.2.Month",
            "message": 'Row 2: M1 is reported monthly; write a month like "2025-04"',
        },
        {
            "field": "rows.3.Month",
            "message": 'Row 3: Q1 is reported quarterly; write a quarter like "2025/26 Q1"',
        },
    ]
    assert _actuals(api) == []


def test_the_actuals_api_rules_apply_to_each_row(api: TestClient) -> None:
    _monthly(api, unit="percent")
    rows = [
        ["M1", "2025-04", "120%", "", "", ""],
        ["M1", "2025-05", "40", "1", "2", ""],
        ["M1", "2025-06", "", "3", "", ""],
        ["M1", "2099-01", "50", "", "", ""],
        ["M9", "2025-07", "50", "", "", ""],
        ["M1", "Spring", "lots", "", "", ""],
    ]
    report = upload(api, PATH, write_csv(HEADERS, rows)).json()
    assert [
        (r["row"], [(p["column"], p["message"]) for p in r["problems"]]) for r in report["rows"]
    ] == [
        (2, [("Actual", "A percentage must be between 0 and 100")]),
        (3, [("Actual", "Enter either a value or a numerator and denominator, not both")]),
        (4, [("Denominator", "Enter the denominator as well as the numerator")]),
        (5, [("Month", "January 2099 has not started yet, so it cannot have an actual")]),
        (6, [("KPI code", "there is no measure 'M9'")]),
        (
            7,
            [
                (
                    "Month",
                    "could not read 'Spring' as a period: write a month (April 2025), a quarter "
                    "(2025/26 Q1) or a financial year (2025/26)",
                ),
                (
                    "Actual",
                    "could not read 'lots': \"lots\" is not a number: enter a number, like 12.5",
                ),
            ],
        ),
    ]
    assert report["counts"]["error"] == 6


def test_a_bad_value_in_row_7_of_500_rejects_the_file_and_writes_nothing(api: TestClient) -> None:
    _monthly(api, count=50, unit="count")
    rows = [
        [f"M{n % 50 + 1}", f"{2020 + n // 600}-{n // 50 % 12 + 1:02d}", str(n), "", "", ""]
        for n in range(500)
    ]
    problem = refused_for_row_7(api, PATH, HEADERS, rows, 2, "twelve")
    assert problem["errors"] == [
        {
            "field": "rows.7.Actual",
            "message": "Row 7: could not read 'twelve': \"twelve\" is not a number: enter a "
            "number, like 12.5",
        }
    ]
    assert _actuals(api) == []


def test_importing_the_same_file_again_changes_nothing(api: TestClient) -> None:
    _monthly(api, count=2, unit="count")
    rows = [["M1", "2025-04", "10", "", "", "note"], ["M2", "April 2025", "20", "", "", ""]]
    first = upload(api, PATH, write_csv(HEADERS, rows), commit=True)
    assert first.status_code == 200, first.text
    assert first.json()["counts"]["create"] == 2
    before = {a["id"]: a["version"] for a in _actuals(api)}
    again = upload(api, PATH, write_csv(HEADERS, rows), commit=True)
    assert again.status_code == 200, again.text
    assert {r["action"] for r in again.json()["rows"]} == {"unchanged"}
    assert {a["id"]: a["version"] for a in _actuals(api)} == before


def test_a_changed_figure_is_a_correction_with_a_new_revision(api: TestClient) -> None:
    _monthly(api, unit="count")
    assert (
        upload(
            api, PATH, write_csv(HEADERS, [["M1", "2025-04", "10", "", "", ""]]), commit=True
        ).status_code
        == 200
    )
    (actual,) = _actuals(api)
    approve = {"If-Match": f'"{actual["version"]}"'}
    assert (
        api.post(f"/api/v1/kpi/actuals/{actual['id']}/submit", headers=approve).status_code == 200
    )
    version = api.get(f"/api/v1/kpi/actuals/{actual['id']}").json()["version"]
    approved = approver_for(api).post(
        f"/api/v1/kpi/actuals/{actual['id']}/approve", headers={"If-Match": f'"{version}"'}
    )
    assert approved.status_code == 200, approved.text

    corrected = upload(
        api,
        PATH,
        write_csv(HEADERS, [["M1", "April 2025", "12", "", "", "Late returns"]]),
        commit=True,
    )
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["rows"][0]["action"] == "update"
    now = api.get(f"/api/v1/kpi/actuals/{actual['id']}").json()
    # As the API corrects: back to draft, the approved figure still the one reported.
    assert (now["status"], now["value"], now["approved_value"]) == ("draft", "12", "10")
    revisions = api.get(f"/api/v1/kpi/actuals/{actual['id']}/revisions").json()["items"]
    assert [(r["number"], r["action"], r["value"]) for r in revisions] == [
        (1, "created", "10"),
        (2, "submitted", "10"),
        (3, "approved", "10"),
        (4, "corrected", "12"),
    ]


def test_a_status_column_approving_your_own_rows_is_refused_by_the_row(api: TestClient) -> None:
    _monthly(api, unit="count")
    rows = [["M1", "2025-04", "10", "", "", "", "Approved"]]
    refusal = refused(api, PATH, write_csv([*HEADERS, "Status"], rows))
    (problem,) = refusal["report"]["rows"][0]["problems"]
    assert problem["column"] == "Status"
    assert problem["message"].startswith("You submitted this figure, so someone else")
    assert _actuals(api) == []


def test_a_status_column_submits_and_approves(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    # A one-person team, in a council that allows it to approve its own figures.
    api = api_as(make_caller(demo_org).model_copy(update={"self_approval": True}))
    _monthly(api, count=2, unit="count")
    headers = [*HEADERS, "Status"]
    rows = [
        ["M1", "2025-04", "10", "", "", "", "Submitted"],
        ["M2", "2025-04", "7", "", "", "", "Approved"],
    ]
    response = upload(api, PATH, write_csv(headers, rows), commit=True)
    assert response.status_code == 200, response.text
    by_code = {a["measure_id"]: a for a in _actuals(api)}
    assert sorted((a["status"], a["approved_value"]) for a in by_code.values()) == [
        ("approved", "7"),
        ("submitted", None),
    ]
    approved = next(a for a in by_code.values() if a["status"] == "approved")
    assert approved["approved_revision"] == 3
    revisions = api.get(f"/api/v1/kpi/actuals/{approved['id']}/revisions").json()["items"]
    assert [(r["action"], r["self_approved"]) for r in revisions] == [
        ("created", False),
        ("submitted", False),
        ("approved", True),
    ]
    again = upload(api, PATH, write_csv(headers, rows), commit=True)
    assert {r["action"] for r in again.json()["rows"]} == {"unchanged"}


def test_a_red_figure_is_submitted_by_import_only_with_its_commentary(api: TestClient) -> None:
    (measure,) = _monthly(api, unit="count")
    make_target(api, measure, "100")
    headers = [*HEADERS, "Status"]
    rows = [
        ["M1", "2025-04", "60", "", "", "", "Submitted"],
        ["M1", "2025-05", "61", "", "", "Two assessors on leave", "Submitted"],
    ]
    report = upload(api, PATH, write_csv(headers, rows)).json()
    assert [[(p["column"], p["message"]) for p in r["problems"]] for r in report["rows"]] == [
        [("Comments", "This figure is off track (Red): say why, and what is being done about it")],
        [],
    ]
    assert upload(api, PATH, write_csv(headers, rows), commit=True).status_code == 422
    assert _actuals(api) == []


def test_a_data_provider_imports_only_their_teams_measures(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    make_measure(api, code="OURS", title="Ours", unit="count", data_provider="Reablement Team")
    make_measure(api, code="THEIRS", title="Theirs", unit="count", data_provider="Finance Team")
    provider = api_as(make_caller(demo_org, Role.DATA_PROVIDER, team="Reablement Team"))
    rows = [["OURS", "2025-04", "3", "", "", ""], ["THEIRS", "2025-04", "4", "", "", ""]]
    problem = refused(provider, PATH, write_csv(HEADERS, rows))
    assert problem["errors"] == [
        {
            "field": "rows.3.KPI code",
            "message": "Row 3: Only Finance Team can enter figures for THEIRS.",
        }
    ]
    assert _actuals(api) == []
    allowed = upload(provider, PATH, write_csv(HEADERS, rows[:1]), commit=True)
    assert allowed.status_code == 200, allowed.text
    headers = [*HEADERS, "Status"]
    approve = upload(provider, PATH, write_csv(headers, [[*rows[0], "Approved"]]))
    assert approve.json()["rows"][0]["problems"][0]["message"] == (
        "only the programme office or a service lead can approve figures"
    )


def test_viewers_cannot_import_actuals(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    viewer = api_as(make_caller(demo_org, Role.VIEWER))
    response = upload(viewer, PATH, write_csv(HEADERS, [["M1", "2025-04", "1", "", "", ""]]))
    assert response.status_code == 403


def test_a_file_without_a_measure_or_value_column_is_named(api: TestClient) -> None:
    problem = refused(api, PATH, write_csv(["Month", "Comments"], [["2025-04", "x"]]))
    assert problem["errors"] == [
        {"field": "columns.measure", "message": "The file has no 'Measure' column."},
        {"field": "columns.value", "message": "The file has no 'Value' column."},
    ]


def test_every_imported_actual_and_revision_is_in_the_audit_trail(api: TestClient) -> None:
    _monthly(api, unit="count")
    rows = [["M1", "2025-04", "10", "", "", ""], ["M1", "2025-05", "11", "", "", ""]]
    response = upload(api, PATH, write_csv(HEADERS, rows), commit=True)
    assert response.status_code == 200
    ids = {a["id"] for a in _actuals(api)}
    events = api.get("/api/v1/kpi/audit-events", params={"entity": "actuals", "limit": 50}).json()
    assert {e["entity_id"] for e in events["items"] if e["action"] == "create"} == ids
    revisions = api.get(
        "/api/v1/kpi/audit-events", params={"entity": "actual_revisions", "limit": 50}
    ).json()
    assert revisions["total"] == 2
    assert {e["after"]["action"] for e in revisions["items"]} == {"created"}


def test_ten_thousand_actuals_preview_and_commit(api: TestClient) -> None:
    _monthly(api, count=100, unit="count")
    rows = [
        [f"M{n % 100 + 1}", f"{2015 + n // 1200}-{n // 100 % 12 + 1:02d}", str(n), "", "", ""]
        for n in range(10_000)
    ]
    data = write_csv(HEADERS, rows)
    preview = upload(api, PATH, data, rows="problems")
    assert preview.status_code == 200
    assert preview.json()["counts"]["create"] == 10_000
    committed = upload(api, PATH, data, commit=True, rows="problems")
    assert committed.status_code == 200
    assert api.get("/api/v1/kpi/actuals", params={"limit": 1}).json()["total"] == 10_000
    again = upload(api, PATH, data, commit=True, rows="problems")
    assert again.json()["counts"]["unchanged"] == 10_000


def test_a_correction_is_in_the_audit_trail_with_what_it_was_and_is(api: TestClient) -> None:
    _monthly(api, unit="count")
    first = [["M1", "2025-04", "10", "", "", ""]]
    assert upload(api, PATH, write_csv(HEADERS, first), commit=True).status_code == 200
    (actual,) = _actuals(api)
    again = [["M1", "2025-04", "11", "", "", "Late returns"]]
    assert upload(api, PATH, write_csv(HEADERS, again), commit=True).status_code == 200
    events = api.get(
        "/api/v1/kpi/audit-events",
        params={"entity": "actuals", "entity_id": actual["id"], "limit": 10},
    ).json()["items"]
    update = next(e for e in events if e["action"] == "update")
    assert update["before"] == {"value": "10.000000", "commentary": ""}
    assert update["after"] == {"value": "11", "commentary": "Late returns"}
    assert api.get(f"/api/v1/kpi/actuals/{actual['id']}").json()["version"] == 2


def test_the_approvals_queue_download_reads_back_as_the_same_figures(api: TestClient) -> None:
    measure = make_measure(api, code="P1", title="Reviews on time", unit="percent")
    waiting = make_actual(api, measure, "2025-09", numerator="19", denominator="20", approve=False)
    submitted = api.post(f"/api/v1/kpi/actuals/{waiting['id']}/submit", headers={"If-Match": '"1"'})
    assert submitted.status_code == 200, submitted.text
    download = api.get("/kpis/approvals", params={"format": "xlsx"})
    assert download.status_code == 200
    report = upload(api, PATH, download.content, "kpi-approvals.xlsx", commit=True)
    assert report.status_code == 200, report.text
    (row,) = report.json()["rows"]
    assert (row["action"], row["problems"], row["fields"]["value"]) == ("unchanged", [], "95")
    assert report.json()["unmatched_columns"] == ["Unit"]


def test_a_month_or_quarter_beside_a_financial_year_and_period_ending_dates_are_read(
    api: TestClient,
) -> None:
    _monthly(api, unit="count")
    make_measure(api, code="Q1", title="Quarterly", unit="count", frequency="quarterly")
    headers = ["Ref", "Year", "Period ending", "Value"]
    rows = [
        ["M1", "2025/26", "Jan", "1"],
        ["M1", "2025/26", "April", "2"],
        ["Q1", "25/26", "Q2", "3"],
        ["Q1", "", "31/12/2025", "4"],
        ["Q1", "", "2025-11-30", "5"],
    ]
    report = upload(api, PATH, write_csv(headers, rows)).json()
    assert [r["fields"]["period"] for r in report["rows"]] == [
        "2026-01",
        "2025-04",
        "2025/26 Q2",
        "2025/26 Q3",
        "2025-11",
    ]
    assert [p["message"] for p in report["rows"][4]["problems"]] == [
        'Q1 is reported quarterly; write a quarter like "2025/26 Q1"'
    ]


def test_a_rate_sent_as_a_count_is_worked_out_from_the_population(api: TestClient) -> None:
    population = api.post(
        "/api/v1/kpi/populations",
        json={"area": "Demo", "age_band": "65+", "financial_year": "2025/26", "population": 30000},
    )
    assert population.status_code == 201, population.text
    make_measure(
        api,
        code="R1",
        title="Admissions per 100k",
        unit="rate_per_100k",
        frequency="quarterly",
        population_area="Demo",
        population_age_band="65+",
    )
    rows = [
        ["R1", "Q1 2025/26", "", "45", "", ""],
        ["R1", "Q2 2025/26", "", "60", "", ""],
        ["R1", "Q1 2024/25", "", "45", "", ""],
    ]
    report = upload(api, PATH, write_csv(HEADERS, rows)).json()
    assert [(r["fields"]["value"], r["action"]) for r in report["rows"]] == [
        ("150", "create"),
        ("200", "create"),
        (None, "error"),  # no population recorded for 2024/25
    ]
    assert report["rows"][2]["problems"][0]["message"] == (
        "Enter the denominator as well as the numerator"
    )
