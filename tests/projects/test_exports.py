"""The projects trackers' downloads: the projects tracker, objectives and improvement plan as
CSV and Excel, holding what the page shows under the same filters and sort."""

import pytest
from fastapi.testclient import TestClient

from tests.helpers import download
from tests.projects.conftest import (
    days,
    make_improvement_action,
    make_late_and_on_track,
    make_objective,
    make_project,
)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_projects_download_holds_the_filtered_projects_in_the_pages_order(
    api: TestClient, kind: str
) -> None:
    make_late_and_on_track(api, sro="Head of Operations")
    make_project(api, name="Brokerage", rag="red", rag_reason="Late")
    table = download(api, "/projects", "projects", rag="amber", format=kind)
    assert table.headers == [
        "Project",
        "Objectives",
        "Start",
        "End",
        "Lead team",
        "SRO",
        "Stage",
        "RAG",
        "Council Plan project",
        "Next milestone",
        "Next milestone due",
        "Overdue",
        "Slippage (days late)",
    ]
    assert len(table.rows) == 1  # the green and red projects are filtered out
    row = dict(zip(table.headers, table.rows[0], strict=True))
    assert (row["Project"], row["Objectives"], row["Start"], row["RAG"]) == (
        "Reablement",
        "4",
        "2025-04",
        "At risk",
    )
    assert (row["Next milestone"], row["Next milestone due"], row["Overdue"]) == (
        "Team recruited",
        days(-10),
        "Y",
    )
    assert row["Slippage (days late)"] == "10"
    assert row["SRO"] == "Head of Operations"
    everything = download(api, "/projects", "projects", sort="-name", format=kind)
    assert [r[0] for r in everything.rows] == ["Reablement", "Direct Payments", "Brokerage"]


def test_projects_download_links_carry_the_filters_in_the_htmx_results(api: TestClient) -> None:
    make_project(api, name="Reablement", rag="red", rag_reason="Late")
    fragment = api.get(
        "/projects", params={"rag": "red", "sort": "-name"}, headers={"HX-Request": "true"}
    ).text
    assert 'href="/projects?rag=red&amp;sort=-name&amp;format=csv"' in fragment
    assert 'href="/projects?rag=red&amp;sort=-name&amp;format=xlsx"' in fragment


def test_projects_csv_guards_a_name_a_spreadsheet_would_run(api: TestClient) -> None:
    make_project(api, name="=cmd|'/C calc'!A0")
    text = api.get("/projects", params={"format": "csv"}).content.decode("utf-8-sig")
    assert "\r\n'=cmd|'/C calc'!A0," in text
    assert "\n=cmd" not in text


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_objectives_download_has_one_row_per_objective_with_its_links(
    api: TestClient, kind: str
) -> None:
    objective = make_objective(api, number=2, statement="Support carers")
    make_project(api, name="Carers hub", rag="green", objective_ids=[objective["id"]])
    assert 'href="/objectives?format=xlsx"' in api.get("/objectives").text
    table = download(api, "/objectives", "objectives", format=kind)
    assert table.headers[:2] == ["Number", "Objective"]
    row = dict(zip(table.headers, table.rows[0], strict=True))
    assert (row["Number"], row["Objective"]) == ("2", "Support carers")
    assert row["Projects (RAG)"] == "Carers hub (On track)"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_improvement_plan_download_holds_every_action_with_iso_due_dates(
    api: TestClient, kind: str
) -> None:
    make_improvement_action(api, status="in_progress", due_date="2026-03-31")
    assert 'href="/improvement-plan?format=csv"' in api.get("/improvement-plan").text
    table = download(api, "/improvement-plan", "improvement-plan", format=kind)
    assert table.headers == ["Area", "Action", "Owner", "Due", "Status", "Overdue"]
    assert table.rows[0][:2] == ["Quality assurance", "Audit case files"]
    assert table.rows[0][3:] == ["2026-03-31", "In progress", "Yes"]  # due before today
