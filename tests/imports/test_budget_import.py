"""Importing budget lines and monthly forecasts: the ledger's monitoring sheet, one row a month, and
the budget position CSV this service exports."""

import uuid
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from common.db import Database
from common.errors import Conflict
from common.spreadsheets import read_table
from common.writing import write_csv, write_xlsx
from services.finance.budgets.models import Forecast
from services.finance.imports import budgets
from tests.helpers import listed
from tests.imports.files import refused, refused_for_row_7, upload

PATH = "/finance/imports/budget-lines"
LEDGER = ["Cost centre", "Budget line", "Service area", "Budget 2025/26", "Apr", "May", "Jun"]


def _ledger(count: int) -> list[list[str]]:
    return [
        [f"CC{n:04d}", f"Line {n}", "Adults", "£1.2m", "1,250,000", "1,240,000", ""]
        for n in range(1, count + 1)
    ]


def _lines(api: TestClient) -> list[dict[str, Any]]:
    return listed(api, "/api/v1/finance/budget-lines", limit=500)


def _forecasts(api: TestClient, line_id: str) -> list[dict[str, Any]]:
    return listed(api, f"/api/v1/finance/budget-lines/{line_id}/forecasts")


def test_the_ledger_monitoring_sheet_imports_with_forecasts_by_month(api: TestClient) -> None:
    data = write_csv(LEDGER, _ledger(3))
    preview = upload(api, PATH, data)
    assert preview.status_code == 200, preview.text
    report = preview.json()
    assert report["counts"]["create"] == 3
    assert report["rows"][0]["fields"]["forecasts"] == {
        "2025-04": "1250000.00",
        "2025-05": "1240000.00",
    }
    assert _lines(api) == []  # a preview writes nothing

    assert upload(api, PATH, data, commit=True).status_code == 200
    line = next(x for x in _lines(api) if x["cost_centre"] == "CC0001")
    assert line["budgets"][0]["financial_year"] == "2025/26"
    assert Decimal(line["budgets"][0]["current_budget"]) == Decimal("1200000")
    assert Decimal(line["budgets"][0]["original_budget"]) == Decimal("1200000")
    forecasts = _forecasts(api, line["id"])
    assert [(f["month"], f["forecast_outturn"]) for f in forecasts] == [
        ("2025-04", "1250000.00"),
        ("2025-05", "1240000.00"),
    ]
    events = api.get("/api/v1/finance/audit-events", params={"entity": "forecasts"}).json()
    assert events["total"] == 6


def test_importing_the_same_ledger_sheet_again_changes_nothing(api: TestClient) -> None:
    assert upload(api, PATH, write_csv(LEDGER, _ledger(4)), commit=True).status_code == 200
    before = {x["id"]: x["version"] for x in _lines(api)}
    again = upload(api, PATH, write_xlsx(LEDGER, _ledger(4)), "ledger.xlsx", commit=True)
    assert again.status_code == 200, again.text
    assert {r["action"] for r in again.json()["rows"]} == {"unchanged"}
    assert {x["id"]: x["version"] for x in _lines(api)} == before


def test_a_new_month_and_a_virement_update_the_line_matched_by_cost_centre(
    api: TestClient,
) -> None:
    rows = _ledger(2)
    assert upload(api, PATH, write_csv(LEDGER, rows), commit=True).status_code == 200
    rows[1][3], rows[1][6] = "1,300,000", "1,230,000"
    response = upload(api, PATH, write_csv(LEDGER, rows), commit=True)
    assert response.status_code == 200, response.text
    report = response.json()
    assert [r["action"] for r in report["rows"]] == ["unchanged", "update"]
    assert report["rows"][1]["fields"]["changes"] == ["budget 2025/26", "forecast 2025-06"]
    line = next(x for x in _lines(api) if x["cost_centre"] == "CC0002")
    assert Decimal(line["budgets"][0]["current_budget"]) == Decimal("1300000")
    assert Decimal(line["budgets"][0]["original_budget"]) == Decimal("1200000")


def test_a_bad_amount_in_row_7_of_500_rejects_the_file_and_writes_nothing(
    api: TestClient,
) -> None:
    problem = refused_for_row_7(api, PATH, LEDGER, _ledger(500), 5, "£1.2.3m")
    errors = problem["errors"]
    assert [e["field"] for e in errors] == ["rows.7.May"]
    assert errors[0]["message"].startswith('Row 7: "£1.2.3m" is not an amount of money')
    assert _lines(api) == []


def test_one_row_a_month_in_finance_words(api: TestClient) -> None:
    data = write_csv(
        ["Cost center", "Description", "Year", "Annual budget", "Period", "Projected outturn"],
        [
            ["LD1", "Learning Disabilities", "25/26", "(500)", "Apr-25", "(450)"],
            ["LD1", "Learning Disabilities", "25/26", "(500)", "May-25", "(480)"],
        ],
    )
    response = upload(api, PATH, data, commit=True)
    assert response.status_code == 200, response.text
    assert response.json()["columns"] == {
        "cost_centre": "Cost center",
        "name": "Description",
        "financial_year": "Year",
        "current": "Annual budget",
        "month": "Period",
        "forecast": "Projected outturn",
    }
    (line,) = _lines(api)
    assert Decimal(line["budgets"][0]["current_budget"]) == Decimal("-500")  # income
    assert [f["forecast_outturn"] for f in _forecasts(api, line["id"])] == ["-450.00", "-480.00"]


def test_a_file_that_does_not_say_its_year_is_refused(api: TestClient) -> None:
    data = write_csv(["Budget line", "Budget", "Apr"], [["Older People", "100", "90"]])
    problem = refused(api, PATH, data)
    assert problem["errors"][0]["field"] == "financial_year"
    ok = api.post(
        "/api/v1/finance/imports/budget-lines",
        params={"financial_year": "2025/26"},
        files={"file": ("b.csv", data, "text/csv")},
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["rows"][0]["fields"]["forecasts"] == {"2025-04": "90.00"}


def test_the_budget_position_csv_reads_back_as_it_was_written(api: TestClient) -> None:
    created = api.post(
        "/api/v1/finance/budget-lines",
        json={
            "name": "Mental Health",
            "service_area": "Adults",
            "cost_centre": "MH1",
            "budgets": [
                {"financial_year": "2025/26", "original_budget": "900", "current_budget": "950"}
            ],
        },
    )
    assert created.status_code == 201, created.text
    line_id = created.json()["id"]
    posted = api.post(
        f"/api/v1/finance/budget-lines/{line_id}/forecasts",
        json={"month": "2025-09", "forecast_outturn": "-1000.50", "commentary": "=Step-down"},
    )
    assert posted.status_code == 201, posted.text
    export = api.get("/api/v1/finance/budget/position.csv", params={"month": "2025-09"})
    assert export.status_code == 200
    filename = "budget-position-2025-09.csv"
    assert filename in export.headers["content-disposition"]

    again = upload(api, PATH, export.content, filename, commit=True)
    assert again.status_code == 200, again.text
    report = again.json()
    assert report["unmatched_columns"] == [
        "Variance",
        "Movement",
        "Original forecast",
        "Movement since original forecast",
    ]  # derived figures: read back, left out
    assert [r["action"] for r in report["rows"]] == ["unchanged"]
    assert [t["label"] for t in report["totals"]] == ["Total"]  # checked, not a line
    assert report["reconciliations"] == []
    assert report["rows"][0]["fields"]["commentary"] == "=Step-down"

    api.delete(f"/api/v1/finance/budget-lines/{line_id}", headers={"If-Match": '"1"'})
    assert _lines(api) == []
    restored = upload(api, PATH, export.content, filename, commit=True)
    assert restored.status_code == 200, restored.text
    (line,) = _lines(api)
    assert (line["name"], line["cost_centre"], line["service_area"]) == (
        "Mental Health",
        "MH1",
        "Adults",
    )
    assert (line["budgets"][0]["original_budget"], line["budgets"][0]["current_budget"]) == (
        "900.00",
        "950.00",
    )
    (forecast,) = _forecasts(api, line["id"])
    assert (forecast["month"], forecast["forecast_outturn"], forecast["commentary"]) == (
        "2025-09",
        "-1000.50",
        "=Step-down",
    )


def test_a_virement_gives_the_line_a_new_version_and_audits_the_budget_before_and_after(
    api: TestClient,
) -> None:
    rows = _ledger(2)
    assert upload(api, PATH, write_csv(LEDGER, rows), commit=True).status_code == 200
    rows[1][3] = "1,300,000"
    assert upload(api, PATH, write_csv(LEDGER, rows), commit=True).status_code == 200
    versions = {x["cost_centre"]: x["version"] for x in _lines(api)}
    assert versions == {"CC0001": 1, "CC0002": 2}
    events = api.get("/api/v1/finance/audit-events", params={"entity": "budget_amounts"}).json()[
        "items"
    ]
    assert [(e["before"], e["after"]) for e in events if e["action"] == "update"] == [
        ({"current_budget": "1200000.00"}, {"current_budget": "1300000.00"})
    ]


def test_a_forecast_changed_while_the_file_was_read_refuses_the_whole_import(
    api: TestClient, database: Database, demo_org: uuid.UUID
) -> None:
    rows = _ledger(2)
    assert upload(api, PATH, write_csv(LEDGER, rows), commit=True).status_code == 200
    rows[0][1], rows[1][4] = "Renamed", "1,100,000"
    with database.session(demo_org) as session:
        _, planned = budgets.plan(session, read_table(write_csv(LEDGER, rows)), "b.csv")
        # Someone saves a forecast of CC0002 after the file was read, before it is written.
        session.execute(
            update(Forecast)
            .where(Forecast.forecast_outturn == Decimal("1250000"))
            .values(version=Forecast.version + 1)
            .execution_options(synchronize_session=False)
        )
        with pytest.raises(Conflict):
            budgets.commit(session, planned)
    lines = {x["cost_centre"]: x for x in _lines(api)}
    assert lines["CC0001"]["name"] == "Line 1"
    assert _forecasts(api, lines["CC0002"]["id"])[0]["forecast_outturn"] == "1250000.00"
