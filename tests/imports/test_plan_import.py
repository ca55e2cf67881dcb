"""Importing the council's objectives and projects tables, linked by the words the council used."""

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from common.writing import write_csv
from tests.helpers import listed
from tests.imports.files import OBJECTIVES, PROJECTS, refused, upload


def _items(api: TestClient, path: str) -> list[dict[str, object]]:
    return listed(api, f"/api/v1/projects/{path}", limit=100)


def _import_both(api: TestClient) -> tuple[dict[str, Any], dict[str, Any]]:
    objectives = upload(api, "/projects/imports/objectives", OBJECTIVES.read_bytes(), commit=True)
    assert objectives.status_code == 200, objectives.text
    projects = upload(api, "/projects/imports/projects", PROJECTS.read_bytes(), commit=True)
    assert projects.status_code == 200, projects.text
    return objectives.json(), projects.json()


def test_the_council_objectives_and_projects_import_as_they_are(api: TestClient) -> None:
    preview = upload(api, "/projects/imports/objectives", OBJECTIVES.read_bytes())
    assert preview.status_code == 200, preview.text
    assert preview.json()["counts"]["create"] == 16
    assert _items(api, "objectives") == []

    objectives, projects = _import_both(api)
    assert objectives["counts"]["create"] == 16
    assert objectives["unmatched_columns"] == projects["unmatched_columns"] == []
    assert projects["counts"]["create"] == 16
    stored = _items(api, "objectives")
    assert [o["number"] for o in stored] == list(range(1, 17))
    assert str(stored[0]["statement"]).startswith("We will implement our improved carers offer")
    assert len(_items(api, "priorities")) >= 5

    saved = {p["name"]: p for p in _items(api, "projects")}
    assert len(saved) == 16
    digital = saved["Digital Transformation"]
    assert (digital["start_month"], digital["start_text"]) == ("2024-07", "July 2024")
    assert Decimal(str(digital["budget_amount"])) == Decimal("1300000")
    assert digital["budget_text"] == "£1.3m over two years"
    vcs = saved["VCS Front Door"]
    assert vcs["funding_source"] == "Better Care Fund"
    assert vcs["budget_basis"] == "per_annum"
    assert saved["Income Review"]["budget_amount"] is None
    assert saved["Income Review"]["budget_text"] == "N/A"
    linked = [r for r in projects["rows"] if r["links"]]
    assert len(linked) >= 12
    for row in projects["rows"]:
        assert row["links"] or row["links_not_made"]


def test_importing_the_same_files_again_changes_nothing(api: TestClient) -> None:
    _import_both(api)
    before = {p["id"]: p["version"] for p in _items(api, "projects")}
    objectives, projects = _import_both(api)
    assert {r["action"] for r in objectives["rows"]} == {"unchanged"}
    assert {r["action"] for r in projects["rows"]} == {"unchanged"}
    assert {p["id"]: p["version"] for p in _items(api, "projects")} == before


def test_a_project_names_its_objective_by_number(api: TestClient) -> None:
    _import_both(api)
    data = write_csv(
        ["Project name", "Relevant objective", "Start date"],
        [["Carers breaks", "Objective 1", "Started in 2024"], ["Other", "99", "Sep-25"]],
    )
    rows = upload(api, "/projects/imports/projects", data).json()["rows"]
    assert rows[0]["links"] == ["objective 1 (by its number)"]
    assert rows[0]["problems"] == [
        {
            "column": "Start date",
            "kind": "defaulted",
            "message": "could not read 'Started in 2024' as a month: kept as written",
            "blocking": False,
        }
    ]
    assert rows[1]["links_not_made"] == ["there is no objective 99"]
    assert rows[1]["fields"]["start_month"] == "2025-09-01"


def test_a_projects_file_without_project_names_is_refused(api: TestClient) -> None:
    data = write_csv(["Budget", "Start date"], [["£1m", "April 2025"]])
    problem = refused(api, "/projects/imports/projects", data)
    assert problem["errors"] == [
        {"field": "columns.name", "message": "The file has no 'Project name' column."}
    ]


def test_a_bad_yes_no_answer_blocks_the_commit_and_nothing_is_written(api: TestClient) -> None:
    rows = [[f"{n}. Objective {n}", "Y", ""] for n in range(1, 11)]
    rows[5][1] = "Perhaps"
    data = write_csv(["Objectives", "Council Plan objective? (Y/N)", "Priority"], rows)
    problem = refused(api, "/projects/imports/objectives", data)
    assert problem["errors"] == [
        {
            "field": "rows.7.Council Plan objective? (Y/N)",
            "message": "Row 7: could not read 'Perhaps' as Y or N",
        }
    ]
    assert _items(api, "objectives") == []
