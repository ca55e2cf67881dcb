"""The projects API through the gateway: CRUD, derived values, every 422 and concurrency."""

import uuid
from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient

from common.identity import Caller
from common.periods import Period
from common.testing.plugin import make_caller
from tests.helpers import created, field_errors
from tests.projects.conftest import (
    API,
    days,
    make_highlight_report,
    make_improvement_action,
    make_improvement_plan,
    make_milestone,
    make_objective,
    make_priority,
    make_project,
    make_raid_item,
    raid_body,
    report_body,
)


def test_priorities_are_listed_in_plan_order(api: TestClient) -> None:
    make_priority(api, title="Second", position=2)
    make_priority(api, title="First", position=1)
    listed = api.get(f"{API}/priorities").json()
    assert [p["title"] for p in listed["items"]] == ["First", "Second"]
    assert listed["total"] == 2


def test_objective_keeps_its_priorities_and_kpi_measures(api: TestClient) -> None:
    priority = make_priority(api)
    measure = created(api.post("/api/v1/kpi/measures", json={"code": "X1", "title": "Carers"}))
    objective = make_objective(
        api,
        council_plan=True,
        priority_ids=[priority["id"]],
        kpi_measure_ids=[measure["id"]],
        owner="Commissioning Team",
    )
    read = api.get(f"{API}/objectives/{objective['id']}").json()
    assert read["priority_ids"] == [priority["id"]]
    assert read["kpi_measure_ids"] == [measure["id"]]
    assert read["council_plan"] is True
    by_measure = api.get(f"{API}/objectives", params={"kpi_measure_id": measure["id"]}).json()
    assert [o["id"] for o in by_measure["items"]] == [objective["id"]]


def test_unknown_kpi_measure_id_is_a_422_on_its_field(api: TestClient) -> None:
    measure = created(api.post("/api/v1/kpi/measures", json={"code": "X1", "title": "Carers"}))
    unknown = str(uuid.uuid4())
    response = api.post(
        f"{API}/objectives",
        json={"number": 1, "statement": "S", "kpi_measure_ids": [measure["id"], unknown]},
    )
    errors = field_errors(response)
    assert list(errors) == ["kpi_measure_ids.1"]
    assert unknown in errors["kpi_measure_ids.1"]


def test_unknown_priority_is_a_422_on_its_field(api: TestClient) -> None:
    response = api.post(
        f"{API}/objectives",
        json={"number": 1, "statement": "S", "priority_ids": [str(uuid.uuid4())]},
    )
    assert list(field_errors(response)) == ["priority_ids.0"]


def test_objective_numbers_are_unique_in_the_council(api: TestClient) -> None:
    make_objective(api, number=3)
    response = api.post(f"{API}/objectives", json={"number": 3, "statement": "Again"})
    assert field_errors(response) == {"number": "Objective 3 already exists"}


def test_project_keeps_the_original_wording_beside_parsed_values(api: TestClient) -> None:
    project = make_project(
        api,
        start_month="July 2024",
        start_text="July 2024",
        end_month="2025-12",
        end_text="December 2025",
        budget_amount="1300000.00",
        budget_basis="total",
        budget_text="£1.3m over two years",
        funding_source=None,
        resources=["Finance", "Legal"],
        council_plan=True,
    )
    read = api.get(f"{API}/projects/{project['id']}").json()
    assert read["start_month"] == "2024-07"
    assert read["end_month"] == "2025-12"
    assert read["budget_amount"] == "1300000.00"
    assert read["budget_text"] == "£1.3m over two years"
    assert read["resources"] == ["Finance", "Legal"]
    assert read["next_milestone"] is None
    assert read["slippage_days"] is None


def test_end_before_start_is_a_422(api: TestClient) -> None:
    response = api.post(
        f"{API}/projects", json={"name": "P", "start_month": "2025-04", "end_month": "2025-03"}
    )
    assert list(field_errors(response)) == ["end_month"]


def test_end_before_start_is_refused_on_update_too(api: TestClient) -> None:
    project = make_project(api, start_month="2025-04", end_month="2026-03")
    response = api.patch(
        f"{API}/projects/{project['id']}",
        json={"end_month": "2025-01"},
        headers={"If-Match": f'"{project["version"]}"'},
    )
    assert list(field_errors(response)) == ["end_month"]


def test_amber_or_red_without_a_reason_is_a_422_for_each_rag(api: TestClient) -> None:
    response = api.post(
        f"{API}/projects",
        json={
            "name": "P",
            "rag": "amber",
            "schedule_rag": "red",
            "cost_rag": "green",
            "scope_rag": "amber",
            "scope_rag_reason": "Scope grew",
        },
    )
    assert set(field_errors(response)) == {"rag_reason", "schedule_rag_reason"}


def test_setting_amber_on_a_project_without_its_reason_is_refused(api: TestClient) -> None:
    project = make_project(api)
    etag = {"If-Match": f'"{project["version"]}"'}
    refused = api.patch(f"{API}/projects/{project['id']}", json={"rag": "red"}, headers=etag)
    assert list(field_errors(refused)) == ["rag_reason"]
    accepted = api.patch(
        f"{API}/projects/{project['id']}",
        json={"rag": "red", "rag_reason": "Provider withdrew"},
        headers=etag,
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["rag"] == "red"


def test_linking_an_objective_of_another_council_is_a_422(
    api: TestClient, api_as: Callable[[Caller], TestClient], other_org: uuid.UUID
) -> None:
    theirs = make_objective(api_as(make_caller(other_org)), number=1)
    ours = make_objective(api, number=1)
    response = api.post(
        f"{API}/projects", json={"name": "P", "objective_ids": [ours["id"], theirs["id"]]}
    )
    errors = field_errors(response)
    assert list(errors) == ["objective_ids.1"]
    assert "no objective" in errors["objective_ids.1"]


def test_another_councils_project_is_not_found(
    api: TestClient, api_as: Callable[[Caller], TestClient], other_org: uuid.UUID
) -> None:
    theirs = make_project(api_as(make_caller(other_org)))
    assert api.get(f"{API}/projects/{theirs['id']}").status_code == 404
    assert api.get(f"{API}/projects").json()["total"] == 0


def test_update_without_if_match_is_428_and_with_a_stale_etag_is_412(api: TestClient) -> None:
    project = make_project(api)
    url = f"{API}/projects/{project['id']}"
    etag = api.get(url).headers["ETag"]
    assert api.patch(url, json={"name": "Renamed"}).status_code == 428
    first = api.patch(url, json={"name": "Renamed"}, headers={"If-Match": etag})
    assert first.status_code == 200
    assert first.headers["ETag"] != etag
    stale = api.patch(url, json={"name": "Again"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert api.get(url).json()["name"] == "Renamed"


def test_milestone_update_with_a_stale_etag_is_412(api: TestClient) -> None:
    milestone = make_milestone(api, make_project(api)["id"])
    url = f"{API}/milestones/{milestone['id']}"
    stale = {"If-Match": f'"{milestone["version"]}"'}
    assert api.patch(url, json={"forecast_date": days(7)}, headers=stale).status_code == 200
    assert api.patch(url, json={"forecast_date": days(9)}, headers=stale).status_code == 412


def test_milestone_slippage_and_overdue_are_derived(api: TestClient) -> None:
    project = make_project(api)
    late = make_milestone(api, project["id"], baseline_date=days(-20), forecast_date=days(-6))
    # overdue since its forecast, so it has slipped until today at least
    assert (late["slippage_days"], late["overdue"], late["due_date"]) == (20, True, days(-6))
    moved = make_milestone(api, project["id"], baseline_date=days(-20), forecast_date=days(14))
    assert (moved["slippage_days"], moved["overdue"]) == (34, False)
    ahead = make_milestone(api, project["id"], baseline_date=days(10), forecast_date=days(5))
    assert (ahead["slippage_days"], ahead["overdue"]) == (-5, False)
    done = make_milestone(api, project["id"], baseline_date=days(-30), actual_date=days(-27))
    assert (done["status"], done["slippage_days"], done["overdue"]) == ("completed", 3, False)


def test_recording_an_actual_date_completes_the_milestone(api: TestClient) -> None:
    milestone = make_milestone(api, make_project(api)["id"], baseline_date=days(-3))
    assert (milestone["overdue"], milestone["slippage_days"]) == (True, 3)
    response = api.patch(
        f"{API}/milestones/{milestone['id']}",
        json={"actual_date": days(-1)},
        headers={"If-Match": f'"{milestone["version"]}"'},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["overdue"], body["slippage_days"]) == ("completed", False, 2)


def test_milestone_completed_in_the_future_is_a_422(api: TestClient) -> None:
    project = make_project(api)
    response = api.post(
        f"{API}/milestones",
        json={
            "project_id": project["id"],
            "title": "M",
            "baseline_date": days(0),
            "actual_date": days(1),
        },
    )
    assert field_errors(response) == {"actual_date": "The completion date cannot be in the future"}


def test_a_milestone_date_outside_2000_to_2100_is_refused_by_its_field(api: TestClient) -> None:
    project = make_project(api)
    body = {"project_id": project["id"], "title": "M", "baseline_date": "0015-06-30"}
    message = "Enter a date between 2000 and 2100 (the year has four digits, like 2026)"
    assert field_errors(api.post(f"{API}/milestones", json=body)) == {"baseline_date": message}
    milestone = make_milestone(api, project["id"])
    stale = {"If-Match": f'W/"{milestone["version"]}"'}
    late = api.patch(
        f"{API}/milestones/{milestone['id']}", json={"forecast_date": "2101-01-01"}, headers=stale
    )
    assert field_errors(late) == {"forecast_date": message}
    assert api.get(f"{API}/milestones/{milestone['id']}").json()["forecast_date"] is None


def test_milestone_of_an_unknown_project_is_a_422(api: TestClient) -> None:
    response = api.post(
        f"{API}/milestones",
        json={"project_id": str(uuid.uuid4()), "title": "M", "baseline_date": days(0)},
    )
    assert list(field_errors(response)) == ["project_id"]


def test_project_shows_its_next_milestone_and_worst_slippage(api: TestClient) -> None:
    project = make_project(api)
    make_milestone(api, project["id"], title="Done", baseline_date=days(-9), actual_date=days(-9))
    make_milestone(api, project["id"], title="Next", baseline_date=days(3), forecast_date=days(12))
    make_milestone(api, project["id"], title="After", baseline_date=days(20))
    read = api.get(f"{API}/projects/{project['id']}").json()
    assert read["next_milestone"]["title"] == "Next"
    assert read["next_milestone"]["due_date"] == days(12)
    assert read["next_milestone"]["overdue"] is False
    assert read["slippage_days"] == 9


def test_timeline_lists_milestones_by_baseline_with_slippage(api: TestClient) -> None:
    project = make_project(api, start_month="2025-04", end_month="2026-03")
    make_milestone(
        api, project["id"], title="Second", baseline_date=days(30), forecast_date=days(31)
    )
    make_milestone(api, project["id"], title="First", baseline_date=days(1))
    timeline = api.get(f"{API}/projects/{project['id']}/timeline").json()
    assert (timeline["start_month"], timeline["end_month"]) == ("2025-04", "2026-03")
    assert [(m["title"], m["slippage_days"]) for m in timeline["milestones"]] == [
        ("First", 0),
        ("Second", 1),
    ]


def test_projects_are_filtered_sorted_and_paginated(api: TestClient) -> None:
    objective = make_objective(api)
    make_project(api, name="Alpha", rag="green", lead_team="Commissioning Team")
    make_project(
        api,
        name="Bravo",
        rag="red",
        rag_reason="Late",
        stage="proposed",
        objective_ids=[objective["id"]],
    )
    make_project(api, name="Charlie", rag="amber", rag_reason="Tight", stage="closed")

    def names(**params: str) -> list[str]:
        response = api.get(f"{API}/projects", params=params)
        assert response.status_code == 200, response.text
        return [p["name"] for p in response.json()["items"]]

    assert names(rag="red") == ["Bravo"]
    assert names(stage="closed") == ["Charlie"]
    assert names(lead_team="Commissioning Team") == ["Alpha"]
    assert names(objective_id=objective["id"]) == ["Bravo"]
    assert names(sort="-rag") == ["Bravo", "Charlie", "Alpha"]
    assert names(sort="-name", limit="2", offset="1") == ["Bravo", "Alpha"]
    assert api.get(f"{API}/projects", params={"limit": 1}).json()["total"] == 3
    assert api.get(f"{API}/projects", params={"sort": "drop table"}).status_code == 422
    assert api.get(f"{API}/projects/lead-teams").json()["items"] == [
        "Commissioning Team",
        "Operations Team",
    ]


def test_highlight_reports_keep_history_newest_first_and_default_the_author(
    api: TestClient,
) -> None:
    project = make_project(api)
    for period in ("2025-04", "2025-05"):
        make_highlight_report(api, project["id"], period=period)
    history = api.get(f"{API}/highlight-reports", params={"project_id": project["id"]}).json()
    assert [r["period"] for r in history["items"]] == ["2025-05", "2025-04"]
    assert history["items"][0]["author"] == "Tester"
    again = api.post(
        f"{API}/highlight-reports", json=report_body(project["id"], period="2025-05", rag="amber")
    )
    assert list(field_errors(again)) == ["period"]
    quarter = api.post(
        f"{API}/highlight-reports", json=report_body(project["id"], period="2025/26 Q1")
    )
    assert list(field_errors(quarter)) == ["period"]


def test_raid_score_is_derived_and_lists_highest_first(api: TestClient) -> None:
    project = make_project(api)
    for title, likelihood, impact in (("Low", 1, 2), ("High", 4, 5), ("Mid", 3, 3)):
        item = make_raid_item(api, project["id"], title=title, likelihood=likelihood, impact=impact)
        assert item["score"] == likelihood * impact
    listed = api.get(f"{API}/raid-items", params={"project_id": project["id"]}).json()["items"]
    assert [(i["title"], i["score"], i["severity"]) for i in listed] == [
        ("High", 20, "red"),
        ("Mid", 9, "amber"),
        ("Low", 2, "green"),
    ]
    assert api.get(f"{API}/raid-items", params={"min_score": 9}).json()["total"] == 2
    updated = api.patch(
        f"{API}/raid-items/{listed[2]['id']}",
        json={"impact": 5},
        headers={"If-Match": f'"{listed[2]["version"]}"'},
    )
    assert updated.json()["score"] == 5
    bad = api.post(f"{API}/raid-items", json=raid_body(project["id"], likelihood=6, impact=1))
    assert list(field_errors(bad)) == ["likelihood"]


def test_improvement_plan_counts_open_and_closed_actions_by_area(api: TestClient) -> None:
    make_improvement_plan(api)
    summary = api.get(f"{API}/improvement-actions/summary").json()
    assert (summary["open"], summary["closed"], summary["total"]) == (2, 1, 3)
    assert summary["areas"] == [
        {"area": "Quality assurance", "open": 2, "closed": 0, "total": 2, "overdue": 0},
        {"area": "Strategic decisions", "open": 0, "closed": 1, "total": 1, "overdue": 0},
    ]
    listed = api.get(f"{API}/improvement-actions", params={"area": "Quality assurance"}).json()
    assert [a["open"] for a in listed["items"]] == [True, True]


def test_portfolio_summary_counts_rag_stage_and_milestones_in_the_window(api: TestClient) -> None:
    red = make_project(api, name="Red", rag="red", rag_reason="Late")
    make_project(api, name="Green", rag="green", stage="closed")
    make_project(api, name="Unrated", stage="proposed")
    make_milestone(api, red["id"], title="Overdue", baseline_date=days(-5))
    make_milestone(api, red["id"], title="Due", baseline_date=days(5))
    make_milestone(api, red["id"], title="Moved out", baseline_date=days(5), forecast_date=days(60))
    make_milestone(api, red["id"], title="Done", baseline_date=days(-2), actual_date=days(-2))
    make_milestone(api, red["id"], title="Before window", baseline_date=days(-40))
    summary = api.get(f"{API}/portfolio/summary", params={"from": days(-10), "to": days(10)})
    assert summary.status_code == 200, summary.text
    body = summary.json()
    assert body["projects"] == 3
    assert body["by_rag"] == {"green": 1, "amber": 0, "red": 1, "not_set": 1}
    assert body["by_stage"] == {"proposed": 1, "in_delivery": 1, "closed": 1}
    assert (body["milestones_due"], body["milestones_overdue"]) == (2, 1)
    assert [(m["title"], m["overdue"]) for m in body["milestones"]] == [
        ("Overdue", True),
        ("Due", False),
    ]
    assert (body["from"], body["to"]) == (days(-10), days(10))


def test_portfolio_window_that_ends_before_it_starts_is_a_422(api: TestClient) -> None:
    response = api.get(f"{API}/portfolio/summary", params={"from": days(0), "to": days(-1)})
    assert list(field_errors(response)) == ["to"]


def test_objective_linked_to_a_project_cannot_be_deleted(api: TestClient) -> None:
    objective = make_objective(api)
    project = make_project(api, objective_ids=[objective["id"]])
    assert api.delete(f"{API}/objectives/{objective['id']}").status_code == 409
    assert api.delete(f"{API}/projects/{project['id']}").status_code == 204
    assert api.delete(f"{API}/objectives/{objective['id']}").status_code == 204


def test_programme_groups_projects_and_workstreams(api: TestClient) -> None:
    programme = created(api.post(f"{API}/programmes", json={"name": "Transformation"}))
    workstream = created(
        api.post(
            f"{API}/programmes",
            json={"name": "ICT requirements", "parent_id": programme["id"]},
        )
    )
    make_project(api, name="Portal", programme_id=workstream["id"])
    in_workstream = api.get(f"{API}/projects", params={"programme_id": workstream["id"]}).json()
    assert [p["name"] for p in in_workstream["items"]] == ["Portal"]
    children = api.get(f"{API}/programmes", params={"parent_id": programme["id"]}).json()
    assert [c["name"] for c in children["items"]] == ["ICT requirements"]
    unknown = api.post(f"{API}/programmes", json={"name": "X", "parent_id": str(uuid.uuid4())})
    assert list(field_errors(unknown)) == ["parent_id"]


def test_blanking_a_required_field_is_a_422_not_a_silent_no_op(api: TestClient) -> None:
    project = make_project(api, name="Keep me")
    response = api.patch(
        f"{API}/projects/{project['id']}",
        json={"name": None, "lead_team": None, "rag": None},
        headers={"If-Match": f'"{project["version"]}"'},
    )
    assert set(field_errors(response)) == {"name", "lead_team"}
    assert api.get(f"{API}/projects/{project['id']}").json()["name"] == "Keep me"


def test_text_with_a_nul_character_is_a_422(api: TestClient) -> None:
    response = api.post(f"{API}/projects", json={"name": "Bad\u0000name"})
    assert list(field_errors(response)) == ["name"]
    assert api.get(f"{API}/projects", params={"lead_team": "a\u0000b"}).status_code == 422


def test_a_highlight_report_for_a_month_not_yet_begun_is_refused_by_the_field(
    api: TestClient,
) -> None:
    project = make_project(api)
    this_month = Period.month_of(date.today())
    next_month = report_body(project["id"], period=this_month.next().code)
    refused = api.post(f"{API}/highlight-reports", json=next_month)
    assert field_errors(refused)["period"] == (
        f"You cannot report on {this_month.next().label} yet: it has not begun"
    )
    make_highlight_report(api, project["id"], period=this_month.code)


def test_areas_differing_only_in_case_or_spacing_are_one_shown_as_first_written(
    api: TestClient,
) -> None:
    make_improvement_action(api, area="Quality Assurance")
    make_improvement_action(api, area="quality  assurance ", status="completed")
    make_improvement_action(api, area="Workforce")
    summary = api.get(f"{API}/improvement-actions/summary").json()
    assert [(a["area"], a["open"], a["closed"]) for a in summary["areas"]] == [
        ("Quality Assurance", 1, 1),
        ("Workforce", 1, 0),
    ]
    listed = api.get(f"{API}/improvement-actions", params={"area": "QUALITY ASSURANCE"}).json()
    assert listed["total"] == 2


def test_an_open_action_past_its_due_date_is_overdue_and_counted(api: TestClient) -> None:
    late = make_improvement_action(api, due_date=days(-1), status="in_progress")
    done = make_improvement_action(api, due_date=days(-1), status="completed")
    due_today = make_improvement_action(api, due_date=days(0))
    assert (late["overdue"], done["overdue"], due_today["overdue"]) == (True, False, False)
    summary = api.get(f"{API}/improvement-actions/summary").json()
    assert summary["overdue"] == 1
    assert summary["areas"][0]["overdue"] == 1


def test_the_improvement_plan_as_at_a_quarter_ignores_later_completions(
    api: TestClient,
) -> None:
    make_improvement_action(
        api, due_date="2026-08-31", status="completed", completed_on="2026-11-20"
    )
    make_improvement_action(
        api, due_date="2026-08-31", status="completed", completed_on="2026-09-15"
    )
    then = api.get(f"{API}/improvement-actions/summary", params={"as_at": "2026/27 Q2"}).json()
    assert (then["open"], then["closed"], then["overdue"]) == (1, 1, 1)
    now = api.get(f"{API}/improvement-actions/summary").json()
    assert (now["open"], now["closed"], now["overdue"]) == (0, 2, 0)


def test_completing_an_action_records_the_day(api: TestClient) -> None:
    action = make_improvement_action(api)
    done = api.patch(
        f"{API}/improvement-actions/{action['id']}",
        json={"status": "completed"},
        headers={"If-Match": f'"{action["version"]}"'},
    )
    assert done.json()["completed_on"] == date.today().isoformat()
    future = api.post(
        f"{API}/improvement-actions",
        json={"action": "X", "area": "Y", "status": "completed", "completed_on": days(3)},
    )
    assert "completed_on" in field_errors(future)


def test_a_project_past_its_end_month_still_in_delivery_is_overdue_and_counted(
    api: TestClient,
) -> None:
    this_month = Period.month_of(date.today())
    late = make_project(api, name="Late", end_month=this_month.previous().code)
    on_time = make_project(api, name="Ends this month", end_month=this_month.code)
    closed = make_project(api, name="Closed", stage="closed", end_month=this_month.previous().code)
    assert [p["overdue"] for p in (late, on_time, closed)] == [True, False, False]
    listed = api.get(f"{API}/projects").json()["items"]
    assert {p["name"]: p["overdue"] for p in listed}["Late"] is True
    assert api.get(f"{API}/portfolio/summary").json()["projects_overdue"] == 1


def test_the_portfolio_as_at_a_quarter_counts_a_milestone_finished_after_it_as_overdue(
    api: TestClient,
) -> None:
    project = make_project(api)
    make_milestone(
        api,
        project["id"],
        baseline_date="2026-08-14",
        actual_date="2026-10-15",
        status="completed",
    )
    window = {"from": "2026-07-01", "to": "2026-09-30"}
    then = api.get(f"{API}/portfolio/summary", params=window | {"as_at": "2026/27 Q2"}).json()
    assert (then["milestones_due"], then["milestones_overdue"]) == (1, 1)
    assert then["milestones"][0]["slippage_days"] == 47  # 14 August to 30 September
    assert then["as_at"] == "2026-09-30"
    now = api.get(f"{API}/portfolio/summary", params=window).json()
    assert now["milestones_due"] == 0


def test_milestones_as_at_a_day_stand_as_they_did_then(api: TestClient) -> None:
    project = make_project(api)
    make_milestone(api, project["id"], baseline_date="2026-08-14", actual_date="2026-10-15")
    then = api.get(f"{API}/milestones", params={"as_at": "2026/27 Q2"}).json()["items"][0]
    assert (then["status"], then["actual_date"], then["overdue"]) == ("in_progress", None, True)
    now = api.get(f"{API}/milestones").json()["items"][0]
    assert (now["status"], now["actual_date"], now["overdue"]) == (
        "completed",
        "2026-10-15",
        False,
    )
    both = api.get(f"{API}/milestones", params={"as_at": "2026/27 Q2", "overdue": True})
    assert "as_at" in field_errors(both)


def test_a_project_names_its_senior_responsible_owner(api: TestClient) -> None:
    project = make_project(api, sro="Director of Adult Social Care")
    assert project["sro"] == "Director of Adult Social Care"
    url = f"{API}/projects/{project['id']}"
    changed = api.patch(url, json={"sro": "Head of Commissioning"}, headers={"If-Match": '"1"'})
    assert changed.status_code == 200, changed.text
    assert api.get(url).json()["sro"] == "Head of Commissioning"
    assert make_project(api, name="Another")["sro"] == ""
