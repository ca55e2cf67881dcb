"""Importing the savings programme and its monthly returns, with the API's ownership rule."""

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from common.db import Database
from common.errors import Conflict
from common.identity import Caller, Role
from common.spreadsheets import read_table
from common.testing.plugin import make_caller
from common.writing import write_csv, write_xlsx
from services.finance.imports import entries, savings
from services.finance.savings.models import SavingsEntry, SavingsLine
from tests.helpers import listed
from tests.imports.files import PROJECTS, refused, refused_for_row_7, upload

LINES = "/finance/imports/savings"
ENTRIES = "/finance/imports/savings-entries"
HEADERS = ["Ref", "Savings proposal", "Owner team", "Category", "Project", "Target 2025/26"]
RETURNS = ["Savings line", "Month", "Achieved", "Forecast", "Comments"]


def _rows(count: int, team: str = "Operations Team") -> list[list[str]]:
    return [
        [f"SAV-{n:03d}", f"Saving {n}", team, "Reablement", "", "£10k"] for n in range(1, count + 1)
    ]


def _lines(api: TestClient) -> list[dict[str, Any]]:
    return listed(api, "/api/v1/finance/savings-lines", financial_year="2025/26", limit=500)


def test_savings_lines_import_with_targets_and_projects_by_name(api: TestClient) -> None:
    assert upload(api, "/projects/imports/projects", PROJECTS.read_bytes(), commit=True)
    rows = _rows(2)
    rows[0][4] = "income review"
    rows[1][3] = "Care package reviews"
    preview = upload(api, LINES, write_csv(HEADERS, rows))
    assert preview.status_code == 200, preview.text
    assert preview.json()["counts"]["create"] == 2
    assert preview.json()["rows"][0]["links"] == ["project 'Income Review'"]
    assert _lines(api) == []

    assert upload(api, LINES, write_csv(HEADERS, rows), commit=True).status_code == 200
    first, second = _lines(api)
    assert (first["reference"], first["owner_team"], first["category"]) == (
        "SAV-001",
        "Operations Team",
        "reablement",
    )
    assert len(first["project_ids"]) == 1
    assert Decimal(first["targets"][0]["in_year"]) == Decimal(10_000)
    assert second["category"] == "care_package_reviews"


def test_importing_the_same_savings_file_again_changes_nothing(api: TestClient) -> None:
    assert upload(api, LINES, write_csv(HEADERS, _rows(3)), commit=True).status_code == 200
    before = {x["id"]: x["version"] for x in _lines(api)}
    again = upload(api, LINES, write_xlsx(HEADERS, _rows(3)), "s.xlsx", commit=True)
    assert again.status_code == 200, again.text
    assert {r["action"] for r in again.json()["rows"]} == {"unchanged"}
    assert {x["id"]: x["version"] for x in _lines(api)} == before


def test_a_bad_target_in_row_7_of_500_rejects_the_file_and_writes_nothing(
    api: TestClient,
) -> None:
    problem = refused_for_row_7(api, LINES, HEADERS, _rows(500), 5, "ten thousand")
    errors = problem["errors"]
    assert [e["field"] for e in errors] == ["rows.7.Target 2025/26"]
    assert _lines(api) == []


def test_an_unknown_project_is_refused_by_the_projects_service_check(api: TestClient) -> None:
    rows = _rows(1)
    rows[0][4] = "Moon base"
    problem = refused(api, LINES, write_csv(HEADERS, rows))
    assert problem["errors"][0]["message"] == (
        "Row 2: the projects service knows no project 'Moon base'"
    )


def test_a_service_lead_imports_only_their_own_teams_lines(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    theirs = _rows(2, team="Commissioning Team")
    assert upload(api, LINES, write_csv(HEADERS, theirs), commit=True).status_code == 200
    lead = api_as(make_caller(demo_org, Role.SERVICE_LEAD, team="Operations Team"))
    mine = [["SAV-100", "Mine", "Operations Team", "Prevention", "", "£5k"]]
    # Other teams' lines left as they are pass; a new line of the lead's own team is created.
    ok = upload(lead, LINES, write_csv(HEADERS, theirs + mine), commit=True)
    assert ok.status_code == 200, ok.text
    assert [r["action"] for r in ok.json()["rows"]] == ["unchanged", "unchanged", "create"]
    theirs[1][5] = "£1"
    refusal = refused(lead, LINES, write_csv(HEADERS, theirs))
    (error,) = refusal["errors"]
    assert error["field"] == "rows.3.Owner team"
    assert 'belongs to "Commissioning Team"' in error["message"]
    returns = write_csv(RETURNS, [["SAV-001", "2025-05", "1", "2", ""]])
    problem = refused(lead, ENTRIES, returns)
    assert 'belongs to "Commissioning Team"' in problem["errors"][0]["message"]
    assert [x["targets"][0]["in_year"] for x in _lines(api)][:2] == ["10000.00", "10000.00"]


def test_monthly_returns_import_once_and_respect_the_api_rules(api: TestClient) -> None:
    assert upload(api, LINES, write_csv(HEADERS, _rows(2)), commit=True).status_code == 200
    returns = [
        ["SAV-001", "Apr-25", "£1k", "£8k", "Slow start"],
        ["sav-001", "May 2025", "2,000", "£9k", ""],
        ["SAV-002", "2025-05", "£3k", "£10k", ""],
    ]
    first = upload(api, ENTRIES, write_csv(RETURNS, returns), commit=True)
    assert first.status_code == 200, first.text
    assert first.json()["counts"]["create"] == 3
    again = upload(api, ENTRIES, write_csv(RETURNS, returns), commit=True)
    assert {r["action"] for r in again.json()["rows"]} == {"unchanged"}
    line = next(x for x in _lines(api) if x["reference"] == "SAV-001")
    assert (line["selected"]["achieved_to_date"], line["selected"]["forecast_for_year"]) == (
        "2000.00",
        "9000.00",
    )
    bad = upload(
        api,
        ENTRIES,
        write_csv(
            RETURNS, [["SAV-002", "Jun-25", "£20k", "£10k", ""], ["NOPE", "Q3", "1", "1", ""]]
        ),
        commit=True,
    )
    assert bad.status_code == 422
    assert [e["message"] for e in bad.json()["errors"]] == [
        "Row 2: Achieved to date (£20,000.00) cannot be more than the forecast for the year "
        "(£10,000.00)",
        "Row 3: there is no savings line 'NOPE'",
        "Row 3: could not read 'Q3' as a month",
    ]


def test_the_savings_csv_reads_back_as_it_was_written(api: TestClient) -> None:
    rows = _rows(2)
    assert upload(api, LINES, write_csv(HEADERS, rows), commit=True).status_code == 200
    export = api.get(
        "/api/v1/finance/savings-lines/export.csv", params={"financial_year": "2025/26"}
    )
    assert export.status_code == 200
    again = upload(api, LINES, export.content, "savings-2025-26.csv", commit=True)
    assert again.status_code == 200, again.text
    report = again.json()
    assert report["unmatched_columns"] == ["Achieved to date", "Forecast for year", "Slippage"]
    assert [r["action"] for r in report["rows"]] == ["unchanged", "unchanged"]
    # the totals of each type (of no lines too) and the overall total: checked, never lines
    assert [t["label"] for t in report["totals"]] == [
        "Total cashable",
        "Total non-cashable",
        "Total cost avoidance",
        "Total",
    ]
    assert report["reconciliations"] == []


def test_a_changed_target_gives_its_line_a_new_version_and_audits_the_target(
    api: TestClient,
) -> None:
    rows = _rows(2)
    assert upload(api, LINES, write_csv(HEADERS, rows), commit=True).status_code == 200
    rows[1][5] = "£12k"
    response = upload(api, LINES, write_csv(HEADERS, rows), commit=True)
    assert response.status_code == 200, response.text
    assert [r["action"] for r in response.json()["rows"]] == ["unchanged", "update"]
    lines = {x["reference"]: x for x in _lines(api)}
    assert [lines[r]["version"] for r in ("SAV-001", "SAV-002")] == [1, 2]
    assert lines["SAV-002"]["targets"][0]["in_year"] == "12000.00"
    events = api.get("/api/v1/finance/audit-events", params={"entity": "savings_targets"}).json()[
        "items"
    ]
    assert [(e["action"], e["before"], e["after"]) for e in events if e["action"] == "update"] == [
        (
            "update",
            {"in_year": "10000.00"},
            {"in_year": "12000.00"},
        )
    ]


def test_a_line_changed_while_the_file_was_read_refuses_the_whole_import(
    api: TestClient, database: Database, demo_org: uuid.UUID
) -> None:
    rows = _rows(2)
    assert upload(api, LINES, write_csv(HEADERS, rows), commit=True).status_code == 200
    rows[0][1], rows[1][5] = "Renamed", "£12k"
    owner = make_caller(demo_org, Role.ADMIN)
    with database.session(demo_org) as session:
        _, planned = savings.plan(
            session, read_table(write_csv(HEADERS, rows)), "s.csv", caller=owner, projects=dict
        )
        # Someone saves SAV-002 after the file was read, before it is written.
        session.execute(
            update(SavingsLine)
            .where(SavingsLine.reference == "SAV-002")
            .values(version=SavingsLine.version + 1)
            .execution_options(synchronize_session=False)
        )
        with pytest.raises(Conflict):
            savings.commit(session, planned)
    lines = {x["reference"]: x for x in _lines(api)}
    assert (lines["SAV-001"]["title"], lines["SAV-002"]["targets"][0]["in_year"]) == (
        "Saving 1",
        "10000.00",
    )


def test_a_return_changed_while_the_file_was_read_refuses_the_whole_import(
    api: TestClient, database: Database, demo_org: uuid.UUID
) -> None:
    assert upload(api, LINES, write_csv(HEADERS, _rows(1)), commit=True).status_code == 200
    returns = [["SAV-001", "Apr-25", "£1k", "£8k", ""], ["SAV-001", "May-25", "£2k", "£8k", ""]]
    assert upload(api, ENTRIES, write_csv(RETURNS, returns), commit=True).status_code == 200
    returns[0][2], returns[1][2] = "£1.5k", "£2.5k"
    with database.session(demo_org) as session:
        _, planned = entries.plan(
            session,
            read_table(write_csv(RETURNS, returns)),
            "r.csv",
            caller=make_caller(demo_org, Role.ADMIN),
        )
        session.execute(
            update(SavingsEntry)
            .where(SavingsEntry.achieved_to_date == Decimal(2000))
            .values(version=SavingsEntry.version + 1)
            .execution_options(synchronize_session=False)
        )
        with pytest.raises(Conflict):
            entries.commit(session, planned)
    with database.session(demo_org) as session:
        stored = session.scalars(select(SavingsEntry.achieved_to_date).order_by(SavingsEntry.month))
        assert list(stored) == [Decimal(1000), Decimal(2000)]
