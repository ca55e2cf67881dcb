"""Every row problem of an import carries a machine-readable kind beside its message, and the
kinds are an enum of the OpenAPI document."""

from fastapi.testclient import TestClient

from common.importing import ProblemKind
from common.writing import write_csv
from tests.imports.files import upload
from tests.kpi.factories import make_measure


def _kinds(report: dict[str, object]) -> list[tuple[int, str, str]]:
    rows = report["rows"]
    assert isinstance(rows, list)
    return [(r["row"], p["column"], p["kind"]) for r in rows for p in r["problems"]]


def test_budget_rows_say_what_kind_of_problem_each_cell_has(api: TestClient) -> None:
    data = write_csv(
        ["Cost centre", "Budget line", "Current budget 2025/26", "Month", "Forecast outturn"],
        [
            ["A1", "", "100", "2025-04", "90"],
            ["A2", "Day care", "lots", "2025-04", "90"],
            ["A3", "Home care", "100", "Smarch", "90"],
            ["A4", "Respite", "100", "2025-04", "90"],
            ["A4", "Respite", "100", "2025-04", "95"],
        ],
    )
    report = upload(api, "/finance/imports/budget-lines", data).json()
    assert _kinds(report) == [
        (2, "Budget line", "missing_cell"),
        (3, "Current budget 2025/26", "not_a_number"),
        (4, "Month", "not_a_date"),
        (6, "Forecast outturn", "duplicate"),
    ]


def test_actual_rows_name_an_unknown_measure_and_a_repeated_period(api: TestClient) -> None:
    make_measure(api, code="M1", title="Monthly measure", unit="count")
    data = write_csv(
        ["Code", "Month", "Actual", "Status"],
        [
            ["M9", "2025-04", "1", ""],
            ["M1", "2025-04", "1", ""],
            ["M1", "April 2025", "2", ""],
            ["M1", "2025-05", "3", "Signed in blood"],
        ],
    )
    report = upload(api, "/kpi/imports/actuals", data).json()
    assert _kinds(report) == [
        (2, "Code", "unknown_reference"),
        (4, "Month", "duplicate"),
        (5, "Status", "not_a_choice"),
    ]


def test_a_total_that_does_not_add_up_is_a_total_mismatch(api: TestClient) -> None:
    data = write_csv(
        ["Budget line", "Current budget 2025/26"],
        [["Day care", "100"], ["Home care", "200"], ["Total", "400"]],
    )
    report = upload(api, "/finance/imports/budget-lines", data).json()
    assert [(r["row"], r["kind"]) for r in report["reconciliations"]] == [(4, "total_mismatch")]


def test_the_kinds_are_an_enum_of_the_openapi_document(api: TestClient) -> None:
    document = api.get("/api/v1/openapi.json").json()
    assert document["components"]["schemas"]["ProblemKind"]["enum"] == [
        k.value for k in ProblemKind
    ]
    answer = document["paths"]["/api/v1/kpi/imports/actuals"]["post"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/ImportReportRead")
