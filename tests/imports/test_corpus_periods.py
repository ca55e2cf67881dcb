"""Tables with a value for each year, quarter or month, and figures of one period for the whole
file, imported through the API as they are (`tables/make_tables.py`): one stored value per
period, under the unit of its heading, asserted exactly."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from common.db import Database
from services.finance.savings.models import SavingsLine
from tests.imports.test_corpus import TABLES, _flagged, _import, _savings, _targets

ACTUALS = "/api/v1/kpi/imports/actuals"


def _measures(api: TestClient) -> dict[str, dict[str, Any]]:
    measures = api.get("/api/v1/kpi/measures", params={"limit": 100}).json()["items"]
    return {m["code"]: m for m in measures}


def _stored_targets(api: TestClient, measure: dict[str, Any]) -> dict[str, Decimal]:
    response = api.get("/api/v1/kpi/targets", params={"measure_id": measure["id"]})
    assert response.status_code == 200, response.text
    items = response.json()
    items = items["items"] if isinstance(items, dict) else items
    return {t["financial_year"]: Decimal(t["value"]) for t in items}


def _stored_actuals(api: TestClient) -> dict[tuple[str, str], Decimal]:
    codes = {m["id"]: code for code, m in _measures(api).items()}
    items = api.get("/api/v1/kpi/actuals", params={"limit": 200}).json()["items"]
    return {(codes[a["measure_id"]], a["period"]): Decimal(a["value"]) for a in items}


def _kpis(api: TestClient) -> dict[str, dict[str, Any]]:
    _import(api, "/kpi/imports/kpis", "kpi-targets-by-year.csv", {"Stretch 2028/29": "each-year"})
    return _measures(api)


def test_kpi_targets_headed_by_year_three_ways_and_one_mapped_are_one_target_a_year(
    api: TestClient,
) -> None:
    measures = _kpis(api)
    assert _stored_targets(api, measures["ASC10"]) == {
        "2025/26": Decimal("70"),
        "2026/27": Decimal("72"),
        "2027/28": Decimal("74.5"),
        "2028/29": Decimal("76"),
    }
    assert _stored_targets(api, measures["ASC12"]) == {
        "2025/26": Decimal("1400"),
        "2026/27": Decimal("1450"),
    }  # "TBC" sets none
    assert _stored_targets(api, measures["ASC14"]) == {
        "2025/26": Decimal("1200000"),
        "2026/27": Decimal("1100000"),
        "2027/28": Decimal("950000"),
    }


def test_a_money_measures_month_columns_take_the_unit_of_their_heading(api: TestClient) -> None:
    _kpis(api)
    _import(api, "/kpi/imports/actuals", "kpi-spend-by-month.csv")
    assert _stored_actuals(api) == {
        ("ASC14", "2025-04"): Decimal("96500"),
        ("ASC14", "2025-05"): Decimal("101000"),
        ("ASC14", "2025-06"): Decimal("99250"),  # "£99.25k" says its own scale
    }


def test_kpi_actuals_in_a_column_per_month_are_one_actual_per_filled_cell(
    api: TestClient,
) -> None:
    _kpis(api)
    name = "kpi-actuals-by-month.xlsx"
    data = (TABLES / name).read_bytes()
    refused = api.post(ACTUALS, params={"commit": "true"}, files={"file": (name, data)})
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"] == [
        {
            "field": "rows.4.Jun-25",
            "message": "Row 4: could not read '1,21': \"1,21\" is not a number: enter a number, "
            "like 12.5",
        }
    ]
    assert _stored_actuals(api) == {}  # all or nothing
    preview = api.post(ACTUALS, files={"file": (name, data)}).json()
    assert [(r["row"], r["key"], r["action"]) for r in preview["rows"]] == [
        (3, "ASC10 2025-04", "create"),
        (3, "ASC10 2025-05", "create"),
        (4, "ASC13 2025-04", "create"),
        (4, "ASC13 2025-05", "create"),
        (4, "ASC13", "error"),
    ]
    mapping = {m["heading"]: m["field"] for m in preview["mapping"]}
    assert mapping["Apr-25"] == mapping["May 2025"] == "each-month"
    _import(api, "/kpi/imports/actuals", name, {"Jun-25": "not-imported"})
    assert _stored_actuals(api) == {
        ("ASC10", "2025-04"): Decimal("68"),
        ("ASC10", "2025-05"): Decimal("69.5"),
        ("ASC13", "2025-04"): Decimal("112"),
        ("ASC13", "2025-05"): Decimal("118"),
    }


def test_kpi_actuals_in_a_column_per_quarter_are_stored_for_each_quarter(
    api: TestClient,
) -> None:
    _kpis(api)
    report = _import(api, "/kpi/imports/actuals", "kpi-actuals-by-quarter.ods")
    assert report["counts"]["create"] == 3
    mapping = {m["heading"]: m["field"] for m in report["mapping"]}
    assert mapping == {
        "Indicator": "measure",
        "Q1 2025/26": "each-month",
        "Q2 2025/26": "each-month",
    }
    assert _stored_actuals(api) == {
        ("ASC11", "2025/26 Q1"): Decimal("575.2"),
        ("ASC11", "2025/26 Q2"): Decimal("561"),
        ("ASC12", "2025/26 Q1"): Decimal("1380"),
    }
    again = _import(api, "/kpi/imports/actuals", "kpi-actuals-by-quarter.ods")
    assert again["counts"]["unchanged"] == 3


def _one_period(api: TestClient, period: str | None, commit: bool = False) -> httpx.Response:
    name = "kpi-actuals-one-period.csv"
    response: httpx.Response = api.post(
        ACTUALS,
        params={"commit": str(commit).lower()},
        files={"file": (name, (TABLES / name).read_bytes())},
        data={"period": period} if period is not None else {},
    )
    return response


def test_figures_with_no_period_column_need_the_period_of_the_whole_file(
    api: TestClient,
) -> None:
    _kpis(api)
    refused = _one_period(api, None)
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["period"]
    assert "one period for the whole file" in refused.json()["errors"][0]["message"]
    wrong = _one_period(api, "Autumn 2025")
    assert wrong.status_code == 422, wrong.text
    assert [e["field"] for e in wrong.json()["errors"]] == ["period"]
    preview = _one_period(api, "September 2025")
    assert preview.status_code == 200, preview.text
    assert preview.json()["given"] == {"period": "2025-09"}
    done = _one_period(api, "2025-09", commit=True)
    assert done.status_code == 200, done.text
    assert _stored_actuals(api) == {
        ("ASC10", "2025-09"): Decimal("71.2"),
        ("ASC13", "2025-09"): Decimal("125"),
    }


def _achieved(api: TestClient, line: dict[str, Any]) -> list[tuple[str, str]]:
    entries = api.get(f"/api/v1/finance/savings-lines/{line['id']}/entries").json()["items"]
    return sorted((e["month"], e["achieved_to_date"]) for e in entries)


def test_savings_achieved_in_one_year_beside_targets_of_the_next_two_in_thousands(
    api: TestClient,
) -> None:
    report = _import(api, "/finance/imports/savings", "savings-by-year.csv")
    lines = _savings(api)
    assert {reference: _targets(line) for reference, line in lines.items()} == {
        "SAV-01": {"2025/26": Decimal("450000.00"), "2026/27": Decimal("300000.00")},
        "SAV-02": {"2025/26": Decimal("1200500.00"), "2026/27": Decimal("-50000.00")},
    }
    assert _achieved(api, lines["SAV-02"]) == [("2025-03", "95500.00")]  # March of 2024/25
    assert report["reconciliations"] == []


def _achieved_by_line(database: Database, org: uuid.UUID) -> dict[str, list[tuple[date, Decimal]]]:
    """Each line's achieved savings by month, read from the table: lines with no target are not
    on the year's tracker (`GET /savings-lines`). A line with a target fails here."""
    with database.session(org) as session:
        lines = list(session.scalars(select(SavingsLine)))
        assert all(line.targets == [] for line in lines)
        return {
            line.reference: sorted((e.month, e.achieved_to_date) for e in line.entries)
            for line in lines
        }


def test_savings_delivered_by_area_and_year_are_achieved_savings_of_each_year(
    api: TestClient, database: Database, demo_org: uuid.UUID
) -> None:
    report = _import(api, "/finance/imports/savings", "savings-delivered-by-year.xlsx")
    assert _achieved_by_line(database, demo_org) == {
        "CARE-PACKAGE-REVIEWS": [
            (date(2023, 3, 1), Decimal("1200000.00")),
            (date(2024, 3, 1), Decimal("900000.00")),
            (date(2025, 3, 1), Decimal("1050000.00")),
        ],
        "REABLEMENT": [
            (date(2023, 3, 1), Decimal("400000.00")),
            (date(2024, 3, 1), Decimal("600000.00")),
            (date(2025, 3, 1), Decimal("-100000.00")),
        ],
    }
    assert _flagged(report) == [(5, ["2024/25 £m"])]  # £1.0m stated, lines £0.95m


def test_savings_returns_with_no_month_column_are_of_the_month_given_for_the_file(
    api: TestClient,
) -> None:
    _import(api, "/finance/imports/savings", "savings-by-year.csv")
    name = "savings-returns-one-month.csv"
    data = (TABLES / name).read_bytes()
    path = "/api/v1/finance/imports/savings-entries"
    refused = api.post(path, files={"file": (name, data)})
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["period"]
    quarter = api.post(path, files={"file": (name, data)}, data={"period": "2025/26 Q2"})
    assert quarter.status_code == 422, quarter.text
    assert [e["field"] for e in quarter.json()["errors"]] == ["period"]
    done = api.post(
        path, params={"commit": "true"}, files={"file": (name, data)}, data={"period": "Sep-25"}
    )
    assert done.status_code == 200, done.text
    assert done.json()["given"] == {"period": "2025-09"}
    line = _savings(api)["SAV-02"]
    entries = api.get(f"/api/v1/finance/savings-lines/{line['id']}/entries").json()["items"]
    assert sorted((e["month"], e["achieved_to_date"], e["forecast_for_year"]) for e in entries) == [
        ("2025-03", "95500.00", "95500.00"),  # 2024/25 achieved, from the programme
        ("2025-09", "-12500.00", "1150000.00"),
    ]
