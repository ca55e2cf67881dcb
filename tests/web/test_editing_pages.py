"""The create and change pages of the plan (web/forms.py, web/views/editing.py), as a browser
posts them: questions, errors written for people, If-Match and the conflict page."""

import re
import uuid
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient

from common.identity import Caller, Role
from common.testing.plugin import make_caller
from tests.finance.factories import add_entry, add_forecast, make_budget_line, make_savings_line
from tests.helpers import NEW_PAGES, assert_shows, shown, submitted
from tests.kpi.factories import make_actual, make_measure
from tests.projects.conftest import (
    API,
    days,
    make_improvement_action,
    make_milestone,
    make_objective,
    make_priority,
    make_project,
)
from web.views.editing import TARGET_YEARS

RAW = re.compile(
    r"String should|Input should|Field required|Value error|uuid_parsing|Extra inputs|"
    r"should have at least|valid decimal|\"loc\"|\"type\":|\{\"detail\""
)


def etag_in(html: str) -> str:
    """The ETag a form carries, as the browser would send it back."""
    found = re.search(r'name="etag" value="([^"]+)"', html)
    assert found is not None
    return unescape(found.group(1))


def retire_or_restore(api: TestClient, base: str, record_id: str, action: str) -> str:
    """Opens a record's change page, checks it offers to `action` ("Retire" or "Restore") the
    record, does so with the page's ETag and returns the page it was done from."""
    form = api.get(f"{base}/{record_id}/edit")
    assert f"{action} this" in form.text
    done = api.post(
        f"{base}/{record_id}/{action.lower()}",
        data={"etag": etag_in(form.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    page: str = form.text
    return page


def no_raw_messages(html: str) -> None:
    assert not RAW.search(html), RAW.search(html)


def rejected(api: TestClient, path: str, data: dict[str, Any]) -> str:
    """Posts a form that must be refused and returns the page it is refused with, checked to be
    a 422 whose every message is written for people."""
    response = api.post(path, data=data)
    assert response.status_code == 422, (path, response.text[:300])
    no_raw_messages(response.text)
    page: str = response.text
    return page


def test_a_project_is_created_from_its_question_page(api: TestClient) -> None:
    objective = make_objective(api, number=2)
    shown(api, "/projects/new", "Add a project")
    saved = submitted(
        api,
        "/projects/new",
        {
            "name": "Digital front door",
            "stage": "proposed",
            "objective_ids": [objective["id"]],
            "start_month": "2026-04",
            "budget_amount": "£120,000",
            "budget_basis": "total",
            "resources": "Digital team\nContact centre",
            "council_plan": "yes",
        },
    )
    project = api.get(f"{API}/projects/{saved.split('/')[-1]}")
    body = project.json()
    assert body["name"] == "Digital front door"
    assert body["objective_ids"] == [objective["id"]]
    assert body["budget_amount"] == "120000.00"
    assert body["resources"] == ["Digital team", "Contact centre"]
    assert body["council_plan"] is True


def test_every_error_of_a_form_shows_at_once_in_plain_words_and_keeps_what_was_typed(
    api: TestClient,
) -> None:
    page = rejected(
        api,
        "/projects/new",
        {"name": "", "start_month": "soon", "budget_amount": "lots", "stage": "proposed"},
    )
    summary = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert re.findall(r'href="#(\w+)">([^<]+)<', summary) == [
        ("name", "Enter the project&#39;s name"),
        ("start_month", "Start month must be a month, like 2026-04"),
        ("budget_amount", "Budget must be an amount of money, like 1250.50 or £376k"),
    ]
    assert_shows(page, 'value="soon"', 'value="lots"')
    # a rule only the API knows comes back on its field too, in words for people
    late = rejected(
        api,
        "/projects/new",
        {"name": "Kept", "stage": "proposed", "start_month": "2026-09", "end_month": "2026-04"},
    )
    assert 'href="#end_month"' in late, late.split("govuk-error-summary__list")[1][:400]
    assert 'value="Kept"' in late


def test_a_change_is_sent_with_the_etag_the_form_was_opened_with(api: TestClient) -> None:
    project = make_project(api)
    form = api.get(f"/projects/{project['id']}/edit")
    etag = etag_in(form.text)
    data = {"name": "Reablement at home", "stage": "in_delivery", "lead_team": "Operations Team"}
    submitted(api, f"/projects/{project['id']}/edit", data | {"etag": etag})
    assert api.get(f"{API}/projects/{project['id']}").json()["name"] == "Reablement at home"


def test_a_stale_change_shows_both_versions_and_can_be_applied_again(api: TestClient) -> None:
    project = make_project(api)
    form = api.get(f"/projects/{project['id']}/edit")
    stale = etag_in(form.text)
    current = api.get(f"{API}/projects/{project['id']}").headers["etag"]
    theirs = api.patch(
        f"{API}/projects/{project['id']}",
        json={"name": "Their name"},
        headers={"if-match": current},
    )
    assert theirs.status_code == 200
    data = {"name": "My name", "stage": "in_delivery", "lead_team": "Operations Team"}
    conflict = api.post(f"/projects/{project['id']}/edit", data=data | {"etag": stale})
    assert conflict.status_code == 409
    assert_shows(conflict.text, "Someone else changed this", "Their name", "My name")
    fresh = etag_in(conflict.text)
    submitted(api, f"/projects/{project['id']}/edit", data | {"etag": fresh, "conflict": "mine"})
    assert api.get(f"{API}/projects/{project['id']}").json()["name"] == "My name"


def test_a_milestone_is_added_to_its_project_and_its_forecast_changed(api: TestClient) -> None:
    project = make_project(api)
    shown(
        api,
        f"/milestones/new?project_id={project['id']}",
        f'name="project_id" value="{project["id"]}"',
    )
    added = submitted(
        api,
        "/milestones/new",
        {"project_id": project["id"], "title": "Go live", "baseline_date": days(30)},
    )
    assert added == f"/projects/{project['id']}#milestones"
    milestone = api.get(f"{API}/milestones", params={"project_id": project["id"]}).json()["items"][
        0
    ]
    edit = api.get(f"/milestones/{milestone['id']}/edit")
    etag = etag_in(edit.text)
    bad = rejected(
        api,
        f"/milestones/{milestone['id']}/edit",
        {"title": "Go live", "baseline_date": days(30), "forecast_date": "next week", "etag": etag},
    )
    assert "Forecast date must be a real date" in bad


def test_an_unknown_or_malformed_id_is_the_404_page(api: TestClient) -> None:
    for path in (
        "/kpis/nonexistent",
        "/savings/nonexistent",
        f"/projects/{uuid.uuid4()}/edit",
        "/milestones/nonexistent/edit",
    ):
        page = api.get(path)
        assert page.status_code == 404, path
        assert "Page not found" in page.text, path
        no_raw_messages(page.text)


def test_a_viewer_is_told_who_may_add_a_project(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    viewer = api_as(make_caller(demo_org, Role.VIEWER))
    page = viewer.get("/projects/new")
    assert page.status_code == 403
    assert_shows(
        page.text,
        "You do not have permission to add a project",
        "the programme office or an administrator",
    )


def test_the_admin_pages_refuse_others_with_the_permission_page(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    page = api_as(make_caller(demo_org, Role.FINANCE)).get("/admin")
    assert page.status_code == 403
    assert "You do not have permission to use the administration pages" in page.text
    assert "Sorry, there is a problem" not in page.text


# --- every form, walked ---------------------------------------------------------------------


def test_every_form_shows_all_its_errors_at_once_in_words_for_people(api: TestClient) -> None:
    """Each form's question page, then the form sent empty and sent with nonsense: every
    message on the page is written for people, with a summary that links to each field."""
    project = make_project(api)
    measure = make_measure(api)
    for template in NEW_PAGES:
        path = template.format(project=project["id"], measure=measure["id"])
        page = shown(api, path)
        no_raw_messages(page)
        action = re.search(r'<form method="post" action="([^"]+)"', page)
        assert action is not None, path
        hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page))
        names = set(re.findall(r'name="([a-z_]+)"', page)) - {"csrf_token", "etag"}
        empty = rejected(api, action.group(1), hidden)
        assert "govuk-error-summary" in empty, path
        # every answer at once (a form asked in steps then shows all its problems on one page)
        everything = {k: v for k, v in hidden.items() if k != "step"}
        nonsense = rejected(
            api,
            action.group(1),
            everything | dict.fromkeys(names - set(hidden), "§ not a value ¶"),
        )
        summary = nonsense.split("govuk-error-summary__list")[1].split("</ul>")[0]
        assert summary.count("<li>") >= 1, path
        assert "§ not a value ¶" in nonsense, path  # what was typed is kept


def test_a_kpi_is_created_then_retired_without_losing_it(api: TestClient) -> None:
    saved = submitted(
        api,
        "/kpis/new",
        {
            "code": "ASC-9",
            "title": "People helped at home",
            "unit": "count",
            "polarity": "bigger_is_better",
            "frequency": "monthly",
            "target_type": "flat",
            "tolerance_kind": "percent",
            "council_plan": "no",
        },
    )
    measure_id = saved.split("/")[-1]
    assert "Retire this KPI" in retire_or_restore(api, "/kpis", measure_id, "Retire")
    assert api.get(f"/api/v1/kpi/measures/{measure_id}").json()["active"] is False
    assert "Retired" in api.get(f"/kpis/{measure_id}").text
    assert "Restore this KPI" in api.get(f"/kpis/{measure_id}/edit").text


def test_a_target_with_a_profile_is_added_to_a_kpi(api: TestClient) -> None:
    measure = make_measure(api, frequency="quarterly", target_type="profiled")
    submitted(
        api,
        "/kpi-targets/new",
        {
            "measure_id": measure["id"],
            "financial_year": "2026/27",
            "kind": "level",
            "value": "80",
            "profile": "70\n75\n78\n80",
        },
    )
    targets = api.get("/api/v1/kpi/targets", params={"measure_id": measure["id"]}).json()
    assert [t["profile"] for t in targets["items"]] == [["70", "75", "78", "80"]]


# --- the month's budget forecasts -------------------------------------------------------------


def test_a_finance_officer_enters_every_lines_forecast_in_one_form(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    first = make_budget_line(api, name="Learning Disabilities", cost_centre="LD100")
    second = make_budget_line(api, name="Older People", cost_centre="OP200")
    add_forecast(api, first["id"], "2025-08", "£1.1m")
    finance = api_as(make_caller(demo_org, Role.FINANCE, team="Finance Team"))
    form = finance.get("/budget/forecasts", params={"month": "2025-09"})
    assert form.status_code == 200
    assert 'value="1100000.00"' in form.text  # starts from last month
    data = {
        "month": "2025-09",
        f"version-{first['id']}": "",
        f"forecast-{first['id']}": "1150000",
        f"commentary-{first['id']}": "More placements",
        f"version-{second['id']}": "",
        f"forecast-{second['id']}": "",
    }
    missing = finance.post("/budget/forecasts", data=data)
    assert missing.status_code == 422
    assert "Older People: Enter the forecast outturn" in missing.text
    assert 'value="1150000"' in missing.text  # kept
    saved = submitted(
        finance, "/budget/forecasts", data | {f"forecast-{second['id']}": "£800,000.50"}
    )
    for line, amount in ((first, "1150000.00"), (second, "800000.50")):
        forecasts = api.get(f"/api/v1/finance/budget-lines/{line['id']}/forecasts").json()["items"]
        assert {f["month"]: f["forecast_outturn"] for f in forecasts}["2025-09"] == amount
    assert "2 forecasts saved" in finance.get(saved).text


def test_a_forecast_changed_by_someone_else_since_the_form_opened_is_not_overwritten(
    api: TestClient,
) -> None:
    line = make_budget_line(api)
    add_forecast(api, line["id"], "2025-09", "£1m")
    form = api.get("/budget/forecasts", params={"month": "2025-09"})
    version = re.search(rf'name="version-{line["id"]}" value="(\d+)"', form.text)
    assert version is not None
    theirs = api.patch(
        f"/api/v1/finance/budget-lines/{line['id']}/forecasts/2025-09",
        json={"forecast_outturn": "£1.3m"},
        headers={"if-match": f'"{version.group(1)}"'},
    )
    assert theirs.status_code == 200
    data = {
        "month": "2025-09",
        f"version-{line['id']}": version.group(1),
        f"forecast-{line['id']}": "1200000",
    }
    conflict = api.post("/budget/forecasts", data=data)
    assert conflict.status_code == 422
    assert "Someone else changed this since you opened it" in conflict.text
    assert "£1300000.00" in conflict.text
    forecasts = api.get(f"/api/v1/finance/budget-lines/{line['id']}/forecasts").json()["items"]
    assert forecasts[0]["forecast_outturn"] == "1300000.00"


# --- roles --------------------------------------------------------------------------------------


def test_a_viewer_is_offered_nothing_that_changes_anything(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    project = make_project(api)
    make_milestone(api, project["id"])
    measure = make_measure(api)
    line = make_savings_line(api)
    viewer = api_as(make_caller(demo_org, Role.VIEWER))
    for path in (
        "/",
        "/kpis",
        f"/kpis/{measure['id']}",
        "/projects",
        f"/projects/{project['id']}",
        "/objectives",
        "/improvement-plan",
        "/savings",
        f"/savings/{line['id']}",
        "/budget",
    ):
        page = shown(viewer, path)
        assert not re.search(r'method="post"(?! action="/sign-out")', page), path
        assert not re.search(r'href="[^"]*(/edit|/new|/entry|/imports|/forecasts)', page), path
        assert ">Change<" not in page, path
    for path in ("/kpis/entry", "/savings/entry", "/budget/forecasts", "/imports", "/savings/new"):
        refused = viewer.get(path)
        assert refused.status_code == 403, path
        assert "You do not have permission to" in refused.text, path


def test_a_data_provider_sees_figures_waiting_but_no_approve_button(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    measure = make_measure(api, data_provider="Performance Team")
    make_actual(api, measure, "2025-05", approve=False, value="50")
    provider = api_as(make_caller(demo_org, Role.DATA_PROVIDER, team="Performance Team"))
    entry = provider.get("/kpis/entry", params={"period": "2025-05"})
    assert entry.status_code == 200
    approvals = provider.get("/kpis/approvals")
    assert ">Approve<" not in approvals.text
    assert "/approve" not in approvals.text
    assert "/kpis/approvals" not in provider.get("/kpis").text


def test_only_finance_is_asked_who_owns_a_savings_line(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    line = make_savings_line(api, owner_team="Commissioning Team")
    lead = api_as(make_caller(demo_org, Role.SERVICE_LEAD, team="Commissioning Team"))
    form = lead.get(f"/savings/{line['id']}/edit")
    assert form.status_code == 200
    assert 'name="title"' in form.text
    assert 'name="owner_team"' not in form.text  # the owner is handed on by finance
    other = api_as(make_caller(demo_org, Role.SERVICE_LEAD, team="Operations Team"))
    refused = other.get(f"/savings/{line['id']}/edit")
    assert refused.status_code == 403
    assert "Commissioning Team" in refused.text


# --- history with names, and the golden thread ------------------------------------------------


def _person(api: TestClient, name: str, team: str, role: str) -> str:
    response = api.post(
        "/api/v1/users",
        json={
            "email": f"{name.split()[0].lower()}@example.org",
            "display_name": name,
            "team": team,
            "roles": [role],
            "password": "a long enough password",
        },
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_a_savings_lines_history_names_who_changed_it_and_shows_its_returns(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    line = make_savings_line(api, owner_team="Commissioning Team")
    officer = _person(api, "Ada Finance", "Finance Team", "finance")
    finance = api_as(make_caller(demo_org, Role.FINANCE, team="Finance Team", user=officer))
    form = finance.get(f"/savings/{line['id']}/edit")
    submitted(
        finance,
        f"/savings/{line['id']}/edit",
        {
            "reference": line["reference"],
            "title": line["title"],
            "owner_team": "Operations Team",
            "category": line["category"],
            "saving_type": line["saving_type"],
            "recurrence": line["recurrence"],
            "status": line["status"],
            "delivery_confidence": line["delivery_confidence"],
            "etag": etag_in(form.text),
        },
    )
    add_entry(finance, line["id"], "2025-09", "£100k", "£300k")
    page = api.get(f"/savings/{line['id']}")
    history = page.text.split('id="history"')[1]
    assert_shows(
        history, "Ada Finance (Finance Team)", "Operations Team", "Return for September 2025"
    )
    assert officer not in history  # a name, never an id


def test_the_gateway_names_people_of_the_callers_council_only(
    api: TestClient, api_as: Callable[[Caller], TestClient], other_org: uuid.UUID
) -> None:
    ours = _person(api, "Bea Lead", "Operations Team", "service_lead")
    found = api.get("/api/v1/people", params={"ids": [ours]}).json()["items"]
    assert found == [{"id": ours, "display_name": "Bea Lead", "team": "Operations Team"}]
    stranger = api_as(make_caller(other_org, Role.ADMIN))
    assert stranger.get("/api/v1/people", params={"ids": [ours]}).json()["items"] == []


def test_the_golden_thread_links_project_objective_kpi_and_savings_line_both_ways(
    api: TestClient,
) -> None:
    measure = make_measure(api, code="ASC-1", title="Reablement outcomes")
    objective = make_objective(api, number=3, kpi_measure_ids=[measure["id"]])
    project = make_project(api, objective_ids=[objective["id"]])
    line = make_savings_line(
        api, project_ids=[project["id"]], kpi_measure_id=measure["id"], reference="SAV-9"
    )
    assert_shows(
        api.get(f"/projects/{project['id']}").text,
        f'href="/kpis/{measure["id"]}"',
        "Reablement outcomes",
        f'href="/savings/{line["id"]}"',
    )
    assert_shows(
        api.get(f"/kpis/{measure['id']}").text,
        'href="/objectives#objective-3"',
        f'href="/savings/{line["id"]}"',
    )
    line_page = api.get(f"/savings/{line['id']}").text
    assert f'href="/kpis/{measure["id"]}"' in line_page


def test_a_savings_line_cannot_depend_on_a_kpi_that_does_not_exist(api: TestClient) -> None:
    missing = str(uuid.uuid4())
    response = api.post(
        "/api/v1/finance/savings-lines",
        json={"reference": "S1", "title": "T", "category": "other", "kpi_measure_id": missing},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "kpi_measure_id", "message": f"There is no KPI with id {missing}"}
    ]


def test_finance_adds_and_renames_a_budget_line_from_the_budget_monitor(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    finance = api_as(make_caller(demo_org, Role.FINANCE, team="Finance Team"))
    assert 'href="/budget/lines/new"' in finance.get("/budget").text
    submitted(
        finance,
        "/budget/lines/new",
        {"name": "Mental Health", "service_area": "Adults", "cost_centre": "MH300"},
    )
    line = next(
        item
        for item in api.get("/api/v1/finance/budget-lines").json()["items"]
        if item["name"] == "Mental Health"
    )
    form = finance.get(f"/budget/lines/{line['id']}/edit")
    submitted(
        finance,
        f"/budget/lines/{line['id']}/edit",
        {"name": "Mental Health and Wellbeing", "service_area": "Adults"}
        | {"cost_centre": "MH300", "etag": etag_in(form.text)},
    )
    assert api.get(f"/api/v1/finance/budget-lines/{line['id']}").json()["name"] == (
        "Mental Health and Wellbeing"
    )
    lead = api_as(make_caller(demo_org, Role.SERVICE_LEAD, team="Operations Team"))
    assert lead.get("/budget/lines/new").status_code == 403


def test_a_second_report_for_the_month_leads_to_changing_the_first(api: TestClient) -> None:
    project = make_project(api)
    url = "/highlight-reports/new"
    data = {"project_id": project["id"], "period": "2025-06", "rag": "green"}
    data |= {"summary": "All milestones met"}
    submitted(api, url, data)
    again = api.post(url, data=data | {"summary": "Second thoughts"})
    assert again.status_code == 422
    report = api.get(f"{API}/highlight-reports", params={"project_id": project["id"]}).json()
    report_id = report["items"][0]["id"]
    assert f'href="/highlight-reports/{report_id}/edit"' in again.text
    form = api.get(f"/highlight-reports/{report_id}/edit")
    changed = submitted(
        api,
        f"/highlight-reports/{report_id}/edit",
        {"rag": "amber", "summary": "Second thoughts", "etag": etag_in(form.text)},
    )
    assert changed == f"/projects/{project['id']}#highlight-reports"
    page = api.get(f"/projects/{project['id']}").text
    assert_shows(page, "Second thoughts", "Highlight report: changed")  # and in its history


def test_a_savings_line_is_added_with_a_target_a_year_and_one_year_changed(
    api: TestClient,
) -> None:
    this, following = TARGET_YEARS[1], TARGET_YEARS[2]

    def field(year: object) -> str:
        return f"target_{str(year).replace('/', '_')}"

    added = submitted(
        api,
        "/savings/new",
        {
            "reference": "SAV-77",
            "title": "Reablement first",
            "category": "reablement",
            "saving_type": "cashable",
            "recurrence": "recurring",
            "status": "proposed",
            "delivery_confidence": "amber",
            "owner_team": "Operations Team",
            field(this.label): "£100k",
            field(following.label): "250,000",
        },
    )
    line_id = added.split("/")[-1]
    line = api.get(f"/api/v1/finance/savings-lines/{line_id}").json()
    assert {t["financial_year"]: t["in_year"] for t in line["targets"]} == {
        this.label: "100000.00",
        following.label: "250000.00",
    }
    form = api.get(f"/savings/{line_id}/edit")
    assert 'value="100000.00"' in form.text
    texts = re.findall(r'name="([^"]+)" type="text" value="([^"]*)"', form.text)
    values = dict(texts) | {"category": "reablement", "owner_team": "Operations Team"}
    submitted(
        api,
        f"/savings/{line_id}/edit",
        values | {field(following.label): "300000", "etag": etag_in(form.text)},
    )
    line = api.get(f"/api/v1/finance/savings-lines/{line_id}").json()
    assert {t["financial_year"]: t["in_year"] for t in line["targets"]} == {
        this.label: "100000.00",
        following.label: "300000.00",
    }


def test_a_service_lead_adds_a_savings_line_owned_by_their_own_team(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    lead = api_as(make_caller(demo_org, Role.SERVICE_LEAD, team="Operations Team"))
    form = lead.get("/savings/new")
    assert 'name="owner_team"' not in form.text
    added = submitted(
        lead,
        "/savings/new",
        {"reference": "SAV-5", "title": "Fewer agency staff", "category": "other"},
    )
    line_id = added.split("/")[-1]
    assert api.get(f"/api/v1/finance/savings-lines/{line_id}").json()["owner_team"] == (
        "Operations Team"
    )


@pytest.mark.parametrize(
    ("base", "make", "answers", "listed_on"),
    [
        ("/priorities", make_priority, {"title": "Know our market"}, "/objectives"),
        (
            "/improvement-plan/actions",
            make_improvement_action,
            {"area": "Quality assurance", "action": "Audit case files", "status": "in_progress"},
            "/improvement-plan",
        ),
        ("/budget/lines", make_budget_line, {"name": "Home care"}, "/budget"),
    ],
)
def test_a_record_with_no_page_of_its_own_goes_back_to_the_page_that_lists_it(
    api: TestClient,
    base: str,
    make: Callable[[TestClient], dict[str, Any]],
    answers: dict[str, str],
    listed_on: str,
) -> None:
    record = make(api)
    edit = f"{base}/{record['id']}/edit"
    for path in (f"{base}/new", edit):
        assert f'href="{listed_on}" class="govuk-back-link"' in api.get(path).text
    form = api.get(edit)
    assert submitted(api, edit, answers | {"etag": etag_in(form.text)}) == listed_on
