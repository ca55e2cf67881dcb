"""The corpus of published-style tables (`tables/make_tables.py`) imported through the API as
they are, a saved mapping given where their headings are not the importer's: the figures stored
are asserted exactly, and each stated total that does not add up is flagged."""

import json
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from common.db import Database
from services.finance.savings.models import SavingsLine
from tests.imports.hostile import billion_laughs, huge_cell_reference, zip_bomb

TABLES = Path(__file__).parent / "tables"


def _import(
    api: TestClient, path: str, name: str, mapping: dict[str, str] | None = None
) -> dict[str, Any]:
    data = (TABLES / name).read_bytes()
    form = {"mapping": json.dumps(mapping)} if mapping else {}
    preview: httpx.Response = api.post(f"/api/v1{path}", files={"file": (name, data)}, data=form)
    assert preview.status_code == 200, preview.text
    assert preview.json()["counts"]["error"] == 0, preview.text
    done: httpx.Response = api.post(
        f"/api/v1{path}", params={"commit": "true"}, files={"file": (name, data)}, data=form
    )
    assert done.status_code == 200, done.text
    report: dict[str, Any] = done.json()
    return report


def _budgets(api: TestClient) -> dict[str, dict[str, Any]]:
    items = api.get("/api/v1/finance/budget-lines", params={"limit": 500}).json()["items"]
    return {i["name"]: i for i in items}


def _by_year(line: dict[str, Any], key: str = "current_budget") -> dict[str, Decimal]:
    return {b["financial_year"]: Decimal(b[key]) for b in line["budgets"]}


def _savings(api: TestClient) -> dict[str, dict[str, Any]]:
    response = api.get("/api/v1/finance/savings-lines", params={"limit": 500})
    assert response.status_code == 200, response.text
    return {i["reference"]: i for i in response.json()["items"]}


def _targets(line: dict[str, Any]) -> dict[str, Decimal]:
    return {t["financial_year"]: Decimal(t["in_year"]) for t in line["targets"]}


def _flagged(report: dict[str, Any]) -> list[tuple[int, list[str]]]:
    return [(r["row"], r["columns"]) for r in report["reconciliations"]]


def test_a_four_year_budget_book_in_pounds_million_with_sections_and_totals(
    api: TestClient,
) -> None:
    report = _import(
        api,
        "/finance/imports/budget-lines",
        "budget-book-four-years.xlsx",
        {"Service area": "name"},
    )
    lines = _budgets(api)
    assert sorted(lines) == [
        "Home care",
        "Learning disabilities",
        "Mental health",
        "Residential care",
    ]
    assert _by_year(lines["Residential care"]) == {
        "2024/25": Decimal("52300000.00"),
        "2025/26": Decimal("54100000.00"),
        "2026/27": Decimal("55800000.00"),
        "2027/28": Decimal("57200000.00"),
    }
    assert lines["Mental health"]["service_area"] == "Working-age adults"  # its section row
    assert lines["Home care"]["service_area"] == "Older people"
    assert [t["label"] for t in report["totals"]] == [
        "Sub-total older people",
        "Sub-total working-age adults",
        "Grand total",
    ]
    assert _flagged(report) == [(13, ["Budget 2026/27 £m", "Budget 2027/28 £m"])]
    assert (
        "stated total £152.4m; the lines add up to £151.8m"
        in (report["reconciliations"][0]["message"])
    )

    flags = api.get(
        "/api/v1/finance/reconciliation-flags", params={"tracker": "budget", "explained": "false"}
    ).json()["items"]
    assert [(f["filename"], f["sheet"], f["row"], f["label"]) for f in flags] == [
        ("budget-book-four-years.xlsx", "Budget", 13, "Grand total")
    ]
    assert flags[0]["stated"]["Budget 2026/27 £m"] == "152400000.0"
    assert flags[0]["lines"]["Budget 2026/27 £m"] == "151800000.0"
    explained = api.post(
        f"/api/v1/finance/reconciliation-flags/{flags[0]['id']}/explain",
        json={"explanation": "The grand total includes a £0.6m contingency line."},
        headers={"If-Match": f'"{flags[0]["version"]}"'},
    )
    assert explained.status_code == 200, explained.text
    still_open = api.get(
        "/api/v1/finance/reconciliation-flags", params={"tracker": "budget", "explained": "false"}
    ).json()["items"]
    assert still_open == []


def test_savings_achieved_by_area_import_as_achieved_savings_of_the_year_the_title_names(
    api: TestClient, database: Database, demo_org: uuid.UUID
) -> None:
    report = _import(api, "/finance/imports/savings", "savings-achieved-by-area.ods")
    with database.session(demo_org) as session:
        lines = {line.reference: line for line in session.scalars(select(SavingsLine))}
        assert sorted(lines) == ["DIRECT-PAYMENTS", "HOME-CARE-REVIEW", "REABLEMENT", "TRANSPORT"]
        line = lines["HOME-CARE-REVIEW"]
        assert line.title == "Home care review"
        assert line.targets == []  # achieved, not targets
        assert [(e.month, e.achieved_to_date) for e in line.entries] == [
            (date(2024, 3, 1), Decimal("2450000.00"))
        ]
        assert [e.achieved_to_date for e in lines["TRANSPORT"].entries] == [Decimal("450000.00")]
    assert _flagged(report) == [(7, ["Savings delivered"])]  # £5.1m stated, lines £4.85m


def test_a_ledger_export_in_thousands_with_title_lines_and_income_in_brackets(
    api: TestClient,
) -> None:
    report = _import(api, "/finance/imports/budget-lines", "budget-monitoring-2025-09.csv")
    lines = _budgets(api)
    assert _by_year(lines["Client contributions"]) == {"2025/26": Decimal("-12400000.00")}
    assert lines["Residential care (older people)"]["cost_centre"] == "A1001"
    forecasts = api.get(
        f"/api/v1/finance/budget-lines/{lines['Residential care (older people)']['id']}/forecasts"
    ).json()["items"]
    assert [(f["month"], f["forecast_outturn"]) for f in forecasts] == [("2025-09", "53150500.00")]
    assert _flagged(report) == [(8, ["Forecast outturn (£000)"])]


def test_savings_targets_under_two_header_rows_in_thousands_with_sections(
    api: TestClient,
) -> None:
    report = _import(api, "/finance/imports/savings", "savings-programme-two-header-rows.xlsx")
    lines = _savings(api)
    assert sorted(lines) == ["ASC-01", "ASC-02", "ASC-03"]
    assert _targets(lines["ASC-02"]) == {
        "2025/26": Decimal("-25000.00"),
        "2026/27": Decimal("200000.00"),
    }
    assert _targets(lines["ASC-03"])["2025/26"] == Decimal("610500.00")
    assert lines["ASC-01"]["owner_team"] == "Operations Team"
    assert [s["label"] for s in report["sections"]] == ["Older people", "Working-age adults"]
    assert report["reconciliations"] == []  # its total adds up


def test_savings_without_references_in_millions_with_a_total_that_does_not_add_up(
    api: TestClient,
) -> None:
    report = _import(api, "/finance/imports/savings", "savings-targets-millions.csv")
    lines = _savings(api)
    assert _targets(lines["ANNUAL-REVIEW-BACKLOG"]) == {
        "2025/26": Decimal("1200000.00"),
        "2026/27": Decimal("800000.00"),
    }
    assert _targets(lines["DAY-SERVICES-RECOMMISSIONING"])["2025/26"] == Decimal("2450000.00")
    assert lines["ANNUAL-REVIEW-BACKLOG"]["category"] == "care_package_reviews"
    assert _flagged(report) == [(4, ["Target 2025/26", "Target 2026/27"])]

    returns = _import(api, "/finance/imports/savings-entries", "savings-returns-2025-09.csv")
    assert returns["counts"]["create"] == 2
    line = _savings(api)["DAY-SERVICES-RECOMMISSIONING"]
    entries = api.get(f"/api/v1/finance/savings-lines/{line['id']}/entries").json()["items"]
    assert [(e["achieved_to_date"], e["forecast_for_year"]) for e in entries] == [
        ("1020500.00", "2450000.00")
    ]


def test_an_ods_budget_with_its_columns_in_another_order_and_a_net_total(
    api: TestClient,
) -> None:
    report = _import(api, "/finance/imports/budget-lines", "budget-with-income.ods")
    line = _budgets(api)["Client income"]
    assert line["cost_centre"] == "D900"
    assert _by_year(line) == {"2025/26": Decimal("-350000.00")}
    assert _by_year(line, "original_budget") == {"2025/26": Decimal("-340000.00")}
    assert [t["label"] for t in report["totals"]] == ["Net total"]
    assert report["reconciliations"] == []


def test_forecasts_in_month_columns_with_cells_of_their_own_scale(api: TestClient) -> None:
    _import(
        api,
        "/finance/imports/budget-lines",
        "forecasts-by-month.xlsx",
    )
    line = _budgets(api)["Extra care"]
    forecasts = api.get(f"/api/v1/finance/budget-lines/{line['id']}/forecasts").json()["items"]
    assert [(f["month"], f["forecast_outturn"]) for f in forecasts] == [
        ("2025-04", "250000.00"),
        ("2025-05", "255000.00"),
        ("2025-06", "-5000.00"),
    ]
    assert line["service_area"] == "Older people"


def test_plan_appendices_objectives_then_the_word_plans_projects_then_milestones(
    api: TestClient,
) -> None:
    _import(api, "/projects/imports/objectives", "objectives-appendix.csv")
    objectives = api.get("/api/v1/projects/objectives").json()["items"]
    assert [o["statement"] for o in objectives] == [
        "Help people stay independent at home for longer",
        "Support unpaid carers",
    ]
    _import(
        api,
        "/projects/imports/projects",
        "service-plan.docx",
        {"Title": "name", "Lead": "lead_team"},
    )
    projects = api.get("/api/v1/projects/projects").json()["items"]
    assert [(p["name"], p["lead_team"]) for p in projects] == [
        ("Digital front door", "Transformation team")
    ]
    _import(api, "/projects/imports/milestones", "milestones-appendix.csv")
    milestones = api.get(
        "/api/v1/projects/milestones", params={"project_id": projects[0]["id"]}
    ).json()["items"]
    assert sorted((m["title"], m["baseline_date"]) for m in milestones) == [
        ("Online assessment live", "2024-06-30"),
        ("Self-service review form", "2024-12-31"),
    ]


def test_kpis_in_other_words_and_order(api: TestClient) -> None:
    _import(api, "/kpi/imports/kpis", "kpis-reworded.csv")
    measures = api.get("/api/v1/kpi/measures", params={"limit": 100}).json()["items"]
    by_code = {m["code"]: m for m in measures}
    assert by_code["ASC2"]["unit"] == "rate_per_100k"
    assert by_code["ASC2"]["polarity"] == "smaller_is_better"
    assert by_code["ASC3"]["frequency"] == "monthly"


def test_the_word_plans_measuring_success_table_with_units_and_polarity_from_the_titles(
    api: TestClient,
) -> None:
    name = "service-plan.docx"
    data = (TABLES / name).read_bytes()
    preview = api.post(
        "/api/v1/kpi/imports/kpis", params={"frequency": "annual"}, files={"file": (name, data)}
    )
    assert preview.status_code == 200, preview.text
    notes = [p["message"] for r in preview.json()["rows"] for p in r["problems"]]
    assert "smaller is better, guessed: please check" in notes
    done = api.post(
        "/api/v1/kpi/imports/kpis",
        params={"frequency": "annual", "commit": "true"},
        files={"file": (name, data)},
    )
    assert done.status_code == 200, done.text
    measures = api.get("/api/v1/kpi/measures", params={"limit": 100}).json()["items"]
    by_title = {m["title"][:20]: m for m in measures}
    home = by_title["% of people aged 65+"]
    assert (home["unit"], home["polarity"], home["frequency"]) == (
        "percent",
        "bigger_is_better",
        "annual",
    )
    admissions = by_title["Rate of admissions t"]
    assert (admissions["unit"], admissions["population_age_band"], admissions["polarity"]) == (
        "rate_per_100k",
        "18-64",
        "smaller_is_better",
    )
    assert by_title["Number of carers' ass"[:20]]["unit"] == "count"


@pytest.mark.parametrize(
    ("hostile", "why"),
    [(zip_bomb, "unpacks to"), (huge_cell_reference, "column"), (billion_laughs, "DOCTYPE")],
)
def test_a_hostile_workbook_is_refused_through_the_api_for_what_it_is(
    api: TestClient, hostile: Callable[[], bytes], why: str
) -> None:
    """Refused by the check that names the danger, before any reader expands it: never by the
    reading-time cap, which would mean it was being read (how quickly: `tests.bench.hostile`)."""
    response = api.post(
        "/api/v1/finance/imports/budget-lines", files={"file": ("book.xlsx", hostile())}
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "file"
    assert why in error["message"]
    assert "seconds to read" not in error["message"]
