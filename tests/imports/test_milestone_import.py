"""Importing milestones of projects: dates as councils write them, matched by project and title."""

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from common.db import Database
from common.errors import Conflict
from common.spreadsheets import read_table
from common.writing import write_csv, write_xlsx
from services.projects.imports import milestones
from services.projects.milestones.models import Milestone
from tests.helpers import listed
from tests.imports.files import PROJECTS, refused, refused_for_row_7, upload

PATH = "/projects/imports/milestones"
HEADERS = ["Project", "Milestone", "Baseline date", "Forecast date", "Actual date", "Status"]


def _projects(api: TestClient) -> None:
    response = upload(api, "/projects/imports/projects", PROJECTS.read_bytes(), commit=True)
    assert response.status_code == 200, response.text


def _milestones(api: TestClient) -> list[dict[str, Any]]:
    return listed(api, "/api/v1/projects/milestones", limit=500)


def _rows(count: int) -> list[list[str]]:
    return [
        ["Digital Transformation", f"Stage {n}", "July 2030", "", "", "Not started"]
        for n in range(1, count + 1)
    ]


def test_milestone_dates_are_read_from_the_councils_wording(api: TestClient) -> None:
    _projects(api)
    data = write_csv(
        HEADERS,
        [
            ["Digital Transformation", "Provider portal live", "July 2024", "", "30/09/2024", ""],
            [
                "income review",  # another case and spacing still names the project
                "Charging policy agreed",
                "June 2025 (Likely to be extended to June 2026)",
                "2026-06-30",
                "",
                "In progress",
            ],
        ],
    )
    preview = upload(api, PATH, data)
    assert preview.status_code == 200, preview.text
    report = preview.json()
    assert report["counts"]["create"] == 2
    assert _milestones(api) == []  # a preview writes nothing
    first, second = report["rows"]
    assert first["fields"]["baseline_date"] == "2024-07-31"
    assert first["fields"]["status"] == "completed"  # an actual date completes it
    assert second["original"]["Baseline date"] == "June 2025 (Likely to be extended to June 2026)"
    assert second["problems"] == [
        {
            "column": "Baseline date",
            "kind": "defaulted",
            "message": "read 'June 2025 (Likely to be extended to June 2026)' as 30 June 2025; "
            "the rest of the cell is kept in the original",
            "blocking": False,
        }
    ]

    committed = upload(api, PATH, data, commit=True)
    assert committed.status_code == 200, committed.text
    stored = {m["title"]: m for m in _milestones(api)}
    assert stored["Provider portal live"]["actual_date"] == "2024-09-30"
    assert stored["Charging policy agreed"]["forecast_date"] == "2026-06-30"
    assert stored["Charging policy agreed"]["status"] == "in_progress"


def test_importing_the_same_milestones_again_changes_nothing(api: TestClient) -> None:
    _projects(api)
    data = write_csv(HEADERS, _rows(5))
    assert upload(api, PATH, data, commit=True).status_code == 200
    before = {m["id"]: m["version"] for m in _milestones(api)}
    again = upload(api, PATH, write_xlsx(HEADERS, _rows(5)), "m.xlsx", commit=True)
    assert again.status_code == 200, again.text
    assert {r["action"] for r in again.json()["rows"]} == {"unchanged"}
    assert {m["id"]: m["version"] for m in _milestones(api)} == before


def test_a_changed_forecast_updates_the_milestone_matched_by_project_and_title(
    api: TestClient,
) -> None:
    _projects(api)
    rows = _rows(3)
    assert upload(api, PATH, write_csv(HEADERS, rows), commit=True).status_code == 200
    rows[1][3] = "Sep-30"
    response = upload(api, PATH, write_csv(HEADERS, rows), commit=True)
    assert response.status_code == 200, response.text
    report = response.json()
    assert [r["action"] for r in report["rows"]] == ["unchanged", "update", "unchanged"]
    assert report["rows"][1]["fields"]["changes"] == ["forecast_date"]
    stage2 = next(m for m in _milestones(api) if m["title"] == "Stage 2")
    assert (stage2["forecast_date"], stage2["version"]) == ("2030-09-30", 2)
    events = api.get(
        "/api/v1/projects/audit-events",
        params={"entity": "milestones", "entity_id": stage2["id"]},
    ).json()["items"]
    assert [e["action"] for e in events] == ["update", "create"]


def test_a_bad_date_in_row_7_of_500_rejects_the_file_and_writes_nothing(api: TestClient) -> None:
    _projects(api)
    problem = refused_for_row_7(api, PATH, HEADERS, _rows(500), 2, "Summer")
    assert problem["errors"] == [
        {"field": "rows.7.Baseline date", "message": "Row 7: could not read 'Summer' as a date"}
    ]
    assert _milestones(api) == []


def test_milestone_headers_in_the_councils_own_words(api: TestClient) -> None:
    _projects(api)
    data = write_csv(
        ["Project name", "Milestone title", "Due date", "Revised date", "Date completed"],
        [["VCS Front Door", "Pilot launched", "01/04/2026", "1 May 2026", ""]],
    )
    report = upload(api, PATH, data).json()
    assert report["columns"] == {
        "project": "Project name",
        "title": "Milestone title",
        "baseline": "Due date",
        "forecast": "Revised date",
        "actual": "Date completed",
    }
    assert report["rows"][0]["problems"] == [
        {
            "column": "Revised date",
            "kind": "not_a_date",
            "message": "could not read '1 May 2026' as a date",
            "blocking": True,
        }
    ]


def test_a_milestone_of_an_unknown_project_or_completed_in_the_future_is_refused(
    api: TestClient,
) -> None:
    _projects(api)
    data = write_csv(
        HEADERS,
        [
            ["No such project", "Launch", "July 2030", "", "", ""],
            ["Income Review", "Launch", "July 2030", "", "", "Completed"],
        ],
    )
    problem = refused(api, PATH, data)
    assert [e["message"] for e in problem["errors"]] == [
        "Row 2: there is no project named 'No such project': import the projects first",
        "Row 3: Enter the date the milestone was completed",
    ]


def test_a_milestone_changed_while_the_file_was_read_refuses_the_whole_import(
    api: TestClient, database: Database, demo_org: uuid.UUID
) -> None:
    _projects(api)
    rows = _rows(3)
    assert upload(api, PATH, write_csv(HEADERS, rows), commit=True).status_code == 200
    rows[0][3], rows[1][3] = "Sep-30", "Oct-30"
    rows.append(["Digital Transformation", "Stage 4", "July 2030", "", "", ""])
    with database.session(demo_org) as session:
        _, planned = milestones.plan(session, read_table(write_csv(HEADERS, rows)), "m.csv")
        # Someone saves Stage 2 after the file was read, before it is written.
        session.execute(
            update(Milestone)
            .where(Milestone.title == "Stage 2")
            .values(version=Milestone.version + 1)
            .execution_options(synchronize_session=False)
        )
        with pytest.raises(Conflict):
            milestones.commit(session, planned)
    assert sorted((m["title"], m["forecast_date"]) for m in _milestones(api)) == [
        ("Stage 1", None),
        ("Stage 2", None),
        ("Stage 3", None),
    ]
