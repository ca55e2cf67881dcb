"""The projects pages through the gateway, as a browser (and htmx) uses them."""

import re
import uuid
from collections.abc import Callable
from datetime import date
from html import unescape
from typing import Any

from fastapi.testclient import TestClient

from common.db import Database
from common.identity import Caller, Role
from common.periods import Period
from common.settings import Settings
from common.testing.plugin import make_caller
from stack.testing.plugin import build_system
from tests.helpers import Down, assert_hides, assert_shows, created, page_text
from tests.kpi.factories import make_actual, make_measure, make_target
from tests.projects.conftest import (
    API,
    days,
    make_highlight_report,
    make_improvement_action,
    make_improvement_plan,
    make_late_and_on_track,
    make_milestone,
    make_objective,
    make_priority,
    make_project,
    make_raid_item,
)

HTMX = {"HX-Request": "true"}


def _project_and_service_lead(
    api: TestClient, api_as: Callable[[Caller], TestClient], org: uuid.UUID, team: str
) -> tuple[dict[str, Any], dict[str, Any], TestClient]:
    """A project led by the Operations Team, its one milestone, and a service lead of `team`."""
    project = make_project(api)
    milestone = make_milestone(api, project["id"])
    return project, milestone, api_as(make_caller(org, Role.SERVICE_LEAD, team=team))


def test_tracker_lists_projects_with_rag_words_next_milestone_and_slippage(
    api: TestClient,
) -> None:
    make_late_and_on_track(api, budget_amount="200000", budget_basis="per_annum")
    html = page_text(api, "/projects")
    assert_shows(
        html,
        "At risk",
        "On track",
        "Team recruited",
        "Overdue",
        "10 days late",
        "Apr 2025",
        'href="/objectives#objective-4"',
    )


def test_tracker_filters_are_kept_in_the_url_and_htmx_gets_only_the_results(
    api: TestClient,
) -> None:
    make_project(api, name="Reablement", rag="red", rag_reason="Late")
    make_project(api, name="Direct Payments", rag="green")
    fragment = page_text(api, "/projects", params={"rag": "red", "sort": "-name"}, headers=HTMX)
    assert_shows(
        fragment,
        "Reablement",
        "rag=red",  # the sort links keep the filter
    )
    assert_hides(fragment, "<html", "Direct Payments")
    full = api.get("/projects", params={"rag": "red"})
    assert_shows(full.text, "<html", 'hx-push-url="true"', '<option value="red" selected>')


def test_tracker_shows_a_bad_filter_as_an_error(api: TestClient) -> None:
    html = page_text(api, "/projects", params={"rag": "purple"})
    assert "govuk-error-summary" in html


def test_project_page_shows_summary_timeline_reports_and_raid(api: TestClient) -> None:
    project = make_project(
        api,
        name="VCS Front Door",
        start_month="2024-01",
        end_month="2026-09",
        start_text="January 2024",
        budget_amount="200000",
        budget_basis="per_annum",
        funding_source="Better Care Fund",
        budget_text="£200k per annum (Better Care Fund)",
        resources=["Project Manager", "Commissioning"],
    )
    make_milestone(
        api, project["id"], title="Offer launched", baseline_date=days(-20), forecast_date=days(5)
    )
    make_highlight_report(api, project["id"], period="2025-05", summary="Good month")
    make_raid_item(api, project["id"], title="Funding ends", likelihood=4, impact=4)
    text = page_text(api, f"/projects/{project['id']}")
    assert_shows(
        text,
        "£200,000.00 per year, from the Better Care Fund",
        "The plan says: “£200k per annum (Better Care Fund)”",
        "Project Manager, Commissioning",
        '<svg class="app-chart app-gantt"',
        '<title id="gantt-title">VCS Front Door: milestone timeline</title>',
        "25 days late",
        "Good month",
        "May 2025",
        "16 High",
        "Funding ends",
    )


def test_unknown_project_page_is_404(api: TestClient) -> None:
    assert api.get("/projects/00000000-0000-4000-8000-00000000abcd").status_code == 404


def test_a_milestone_year_typed_as_0015_is_refused_next_to_the_field(api: TestClient) -> None:
    project = make_project(api)
    milestone = make_milestone(api, project["id"], baseline_date=days(-1))
    url = f"/milestones/{milestone['id']}/edit"
    etag = re.search(r'name="etag" value="([^"]+)"', api.get(url).text)
    assert etag is not None
    data = {
        "title": milestone["title"],
        "baseline_date": milestone["baseline_date"],
        "forecast_date": "0015-06-30",
        "etag": unescape(etag.group(1)),
    }
    page = api.post(url, data=data)
    assert page.status_code == 422
    assert_shows(
        page.text,
        'id="forecast_date-error"',
        "Enter a date between 2000 and 2100",
        'value="0015-06-30"',  # what was typed stays, to be corrected
    )
    assert api.get(f"{API}/milestones/{milestone['id']}").json()["forecast_date"] is None


def test_project_rag_needs_a_reason_when_amber(api: TestClient) -> None:
    project = make_project(api)
    form = api.get(f"/projects/{project['id']}/rag/edit", headers=HTMX)
    assert 'name="rag_reason"' in form.text
    url = f"/projects/{project['id']}/rag"
    refused = api.post(
        url, data={"version": project["version"], "rag": "amber", "rag_reason": ""}, headers=HTMX
    )
    assert refused.status_code == 200
    assert 'href="#rag_reason"' in refused.text
    assert "Say why this is at risk (amber)" in refused.text
    saved = api.post(
        url,
        data={"version": project["version"], "rag": "amber", "rag_reason": "Supplier late"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = api.get(f"/projects/{project['id']}")
    assert "At risk" in page.text
    assert "Supplier late" in page.text


def test_a_viewer_sees_no_edit_controls_and_cannot_change_the_rag(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    project = make_project(api)
    make_milestone(api, project["id"])
    assert "/rag/edit" in api.get(f"/projects/{project['id']}").text
    viewer = api_as(make_caller(demo_org, Role.VIEWER))
    html = page_text(viewer, f"/projects/{project['id']}")
    assert_hides(html, "/rag/edit", "/edit", "Write a highlight report")
    refused = viewer.post(
        f"/projects/{project['id']}/rag",
        data={"version": project["version"], "rag": "red", "rag_reason": "x"},
        headers=HTMX,
    )
    assert "govuk-error-summary" in refused.text
    assert api.get(f"{API}/projects/{project['id']}").json()["rag"] is None


def test_the_projects_lead_sees_edit_controls_and_changes_the_rag(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    project, milestone, lead = _project_and_service_lead(api, api_as, demo_org, "Operations Team")
    page = lead.get(f"/projects/{project['id']}").text
    assert_shows(
        page, "/rag/edit", f"/milestones/{milestone['id']}/edit", "Write a highlight report"
    )
    new_report = lead.get("/highlight-reports/new", params={"project_id": project["id"]})
    assert 'name="summary"' in new_report.text
    saved = lead.post(
        f"/projects/{project['id']}/rag",
        data={"version": project["version"], "rag": "amber", "rag_reason": "Supplier late"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert api.get(f"{API}/projects/{project['id']}").json()["rag"] == "amber"


def test_another_teams_service_lead_sees_no_edit_controls_and_cannot_change_the_rag(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    project, milestone, other = _project_and_service_lead(
        api, api_as, demo_org, "Commissioning Team"
    )
    url = f"/projects/{project['id']}"
    html = page_text(other, url)
    assert "/edit" not in html
    assert "Write a highlight report" not in html
    assert 'name="rag_reason"' not in other.get(f"{url}/rag/edit", headers=HTMX).text
    form = other.get(f"/milestones/{milestone['id']}/edit")
    assert form.status_code == 403
    assert 'name="forecast_date"' not in form.text
    assert "Operations Team" in form.text  # the refusal says who leads it
    new = other.get("/highlight-reports/new", params={"project_id": project["id"]})
    assert new.status_code == 403
    assert "Operations Team" in new.text
    refused = other.post(
        f"{url}/rag",
        data={"version": project["version"], "rag": "red", "rag_reason": "x"},
        headers=HTMX,
    )
    assert "govuk-error-summary" in refused.text
    assert "Operations Team" in refused.text  # the refusal says who leads it
    assert api.get(f"{API}/projects/{project['id']}").json()["rag"] is None


def test_highlight_report_is_written_and_joins_the_history(api: TestClient) -> None:
    project = make_project(api)
    form = api.get("/highlight-reports/new", params={"project_id": project["id"]})
    assert form.status_code == 200
    assert 'for="summary"' in form.text
    assert f'name="project_id" value="{project["id"]}"' in form.text
    url = "/highlight-reports/new"
    project_id = {"project_id": project["id"]}
    missing = api.post(url, data=project_id | {"period": "2025-06", "rag": "green", "summary": ""})
    assert missing.status_code == 422
    assert 'href="#summary"' in missing.text
    assert 'value="2025-06"' in missing.text
    bad_month = api.post(url, data=project_id | {"period": "June", "rag": "green", "summary": "x"})
    assert bad_month.status_code == 422
    assert 'id="period-error"' in bad_month.text
    saved = api.post(
        url,
        data=project_id | {"period": "2025-06", "rag": "green", "summary": "All milestones met"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert "All milestones met" in api.get(f"/projects/{project['id']}").text


def test_objectives_page_draws_kpi_status_live_from_the_kpi_service(api: TestClient) -> None:
    priority = make_priority(api, title="Secure best value from all Council spending")
    measure = created(
        api.post("/api/v1/kpi/measures", json={"code": "ASC09", "title": "Debt recovered"})
    )
    objective = make_objective(
        api, number=10, priority_ids=[priority["id"]], kpi_measure_ids=[measure["id"]]
    )
    make_project(
        api, name="Income Review", rag="red", rag_reason="Late", objective_ids=[objective["id"]]
    )
    html = page_text(api, "/objectives")
    assert_shows(
        html,
        "Secure best value from all Council spending",
        "Debt recovered",
        "Income Review",
        "Off track",
    )
    scorecard = api.get("/api/v1/kpi/scorecard", params={"limit": 500})
    if scorecard.status_code == 200:
        row = next(r for r in scorecard.json()["items"] if r["measure"]["id"] == measure["id"])
        words = {"green": "On track", "amber": "At risk", "red": "Off track", "no_data": "No data"}
        assert words.get(row["rag"], row["rag"]) in html
    else:
        assert "No data" in html
    section = re.search(r'id="objective-10".*?</section>', html, re.S)
    assert section is not None
    assert "Debt recovered" in section.group(0)


def test_objectives_page_shows_each_kpis_current_rag_from_the_scorecard(api: TestClient) -> None:
    month = Period.month_of(date.today()).previous()  # the scorecard's default period
    on_track = make_measure(api, code="K1", title="Carers supported")
    make_target(api, on_track, "78", year=month.year.label)
    make_actual(api, on_track, month.code, value="80")
    off_track = make_measure(api, code="K2", title="Debt recovered")
    make_target(api, off_track, "78", year=month.year.label)
    make_actual(api, off_track, month.code, value="60")
    make_objective(api, number=1, kpi_measure_ids=[on_track["id"], off_track["id"]])
    html = page_text(api, "/objectives")
    kpis = {
        title: words
        for words, title in re.findall(
            r'<li>\s*<strong class="govuk-tag[^"]*">([^<]+)</strong>\s*'
            r'<a class="govuk-link" href="/kpis/[^"]+">([^<]+?)</a>',
            html,
        )
    }
    assert kpis == {"Carers supported": "On track", "Debt recovered": "Off track"}


def test_objectives_page_still_shows_when_the_kpi_service_is_down(
    api: TestClient, settings: Settings, database: Database, demo_org: uuid.UUID
) -> None:
    measure = make_measure(api, code="K1", title="Carers supported")
    make_objective(
        api, number=1, statement="Improve the carers offer", kpi_measure_ids=[measure["id"]]
    )
    system = build_system(
        settings, database, caller=make_caller(demo_org), transports={"kpi": Down()}
    )
    with system.client() as without_kpi:
        page = without_kpi.get("/objectives")
    assert page.status_code == 200
    assert "Improve the carers offer" in page.text
    assert "KPI service is not answering" in page.text


def test_improvement_plan_shows_open_and_closed_counts_by_area(api: TestClient) -> None:
    make_improvement_plan(api)
    html = page_text(api, "/improvement-plan")
    assert "2 of 3 actions remain open." in html
    assert re.search(r"Quality assurance</a></th>\s*<td[^>]*>2</td>\s*<td[^>]*>0</td>", html)
    assert "Audit case files" in html


def test_a_highlight_report_for_a_future_month_is_refused_beside_the_month(
    api: TestClient,
) -> None:
    project = make_project(api)
    next_month = Period.month_of(date.today()).next()
    page = api.post(
        "/highlight-reports/new",
        data={"project_id": project["id"], "period": next_month.code, "rag": "green"}
        | {"summary": "All good"},
    )
    assert page.status_code == 422
    assert_shows(
        page.text,
        f"You cannot report on {next_month.label} yet: it has not begun",
        'id="period-error"',
        "All good",  # what was typed is kept
    )


def test_the_improvement_plan_flags_overdue_actions_in_words_and_merges_cased_areas(
    api: TestClient,
) -> None:
    for area, due in (("Quality Assurance", days(-3)), ("Quality assurance", days(10))):
        make_improvement_action(api, action=f"Audit {due}", area=area, due_date=due)
    html = api.get("/improvement-plan").text
    assert html.count('<h2 class="govuk-heading-m" id="area-') == 1
    assert ">Quality Assurance</h2>" in html
    assert html.count(">Overdue</strong>") == 1  # a word, not colour alone
    assert "2 of 2 actions remain open, 1 overdue." in re.sub(r"\s+", " ", html)


def test_the_tracker_says_in_words_which_projects_are_past_their_end(api: TestClient) -> None:
    this_month = Period.month_of(date.today())
    make_project(api, name="Late", end_month=this_month.previous().code)
    make_project(api, name="On time", end_month=this_month.code)
    html = api.get("/projects").text
    assert html.count(">Overdue</strong>") == 1
    assert re.search(r"Late.*?In delivery\s*<strong[^>]*>Overdue</strong>", html, re.S)
