"""The create and change pages of the plan (web/forms.py, web/views/editing.py), as a browser
posts them: questions, errors written for people, If-Match and the conflict page."""

import re
import uuid
from collections.abc import Callable
from html import unescape

from fastapi.testclient import TestClient

from common.identity import Caller, Role
from common.testing.plugin import make_caller
from tests.projects.conftest import API, days, make_objective, make_project

RAW = re.compile(
    r"String should|Input should|Field required|Value error|uuid_parsing|Extra inputs|"
    r"should have at least|valid decimal|\"loc\"|\"type\":|\{\"detail\""
)


def etag_in(html: str) -> str:
    """The ETag a form carries, as the browser would send it back."""
    found = re.search(r'name="etag" value="([^"]+)"', html)
    assert found is not None
    return unescape(found.group(1))


def no_raw_messages(html: str) -> None:
    assert not RAW.search(html), RAW.search(html)


def test_a_project_is_created_from_its_question_page(api: TestClient) -> None:
    objective = make_objective(api, number=2)
    page = api.get("/projects/new")
    assert page.status_code == 200
    assert "Add a project" in page.text
    assert f'value="{objective["id"]}"' in page.text  # objectives to choose from
    saved = api.post(
        "/projects/new",
        data={
            "name": "Digital front door",
            "stage": "proposed",
            "objective_ids": [objective["id"]],
            "start_month": "2026-04",
            "budget_amount": "£120,000",
            "budget_basis": "total",
            "resources": "Digital team\nContact centre",
            "council_plan": "yes",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    project = api.get(f"{API}/projects/{saved.headers['location'].split('/')[-1]}")
    body = project.json()
    assert body["name"] == "Digital front door"
    assert body["objective_ids"] == [objective["id"]]
    assert body["budget_amount"] == "120000.00"
    assert body["resources"] == ["Digital team", "Contact centre"]
    assert body["council_plan"] is True


def test_every_error_of_a_form_shows_at_once_in_plain_words_and_keeps_what_was_typed(
    api: TestClient,
) -> None:
    page = api.post(
        "/projects/new",
        data={"name": "", "start_month": "soon", "budget_amount": "lots", "stage": "proposed"},
    )
    assert page.status_code == 422
    assert "Enter the project&#39;s name" in page.text
    no_raw_messages(page.text)
    named = api.post(
        "/projects/new",
        data={"name": "Kept", "start_month": "soon", "budget_amount": "lots", "stage": "proposed"},
    )
    assert named.status_code == 422
    no_raw_messages(named.text)
    assert 'value="soon"' in named.text
    assert 'value="lots"' in named.text
    assert 'value="Kept"' in named.text
    summary = named.text.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert 'href="#start_month"' in summary
    assert 'href="#budget_amount"' in summary


def test_a_change_is_sent_with_the_etag_the_form_was_opened_with(api: TestClient) -> None:
    project = make_project(api)
    form = api.get(f"/projects/{project['id']}/edit")
    etag = etag_in(form.text)
    data = {"name": "Reablement at home", "stage": "in_delivery", "lead_team": "Operations Team"}
    saved = api.post(
        f"/projects/{project['id']}/edit",
        data=data | {"etag": etag},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    assert api.get(f"{API}/projects/{project['id']}").json()["name"] == "Reablement at home"


def test_a_stale_change_shows_both_versions_and_can_be_applied_again(api: TestClient) -> None:
    project = make_project(api)
    form = api.get(f"/projects/{project['id']}/edit")
    stale = etag_in(form.text)
    theirs = api.patch(
        f"{API}/projects/{project['id']}", json={"name": "Their name"}, headers={"if-match": "*"}
    )
    assert theirs.status_code == 200
    data = {"name": "My name", "stage": "in_delivery", "lead_team": "Operations Team"}
    conflict = api.post(f"/projects/{project['id']}/edit", data=data | {"etag": stale})
    assert conflict.status_code == 409
    assert "Someone else changed this" in conflict.text
    assert "Their name" in conflict.text
    assert "My name" in conflict.text
    fresh = etag_in(conflict.text)
    mine = api.post(
        f"/projects/{project['id']}/edit",
        data=data | {"etag": fresh, "conflict": "mine"},
        follow_redirects=False,
    )
    assert mine.status_code == 303
    assert api.get(f"{API}/projects/{project['id']}").json()["name"] == "My name"


def test_a_milestone_is_added_to_its_project_and_its_forecast_changed(api: TestClient) -> None:
    project = make_project(api)
    form = api.get("/milestones/new", params={"project_id": project["id"]})
    assert form.status_code == 200
    assert f'name="project_id" value="{project["id"]}"' in form.text
    added = api.post(
        "/milestones/new",
        data={"project_id": project["id"], "title": "Go live", "baseline_date": days(30)},
        follow_redirects=False,
    )
    assert added.status_code == 303, added.text
    assert added.headers["location"] == f"/projects/{project['id']}#milestones"
    milestone = api.get(f"{API}/milestones", params={"project_id": project["id"]}).json()["items"][
        0
    ]
    edit = api.get(f"/milestones/{milestone['id']}/edit")
    etag = etag_in(edit.text)
    bad = api.post(
        f"/milestones/{milestone['id']}/edit",
        data={
            "title": "Go live",
            "baseline_date": days(30),
            "forecast_date": "next week",
            "etag": etag,
        },
    )
    assert bad.status_code == 422
    no_raw_messages(bad.text)
    assert "Forecast date must be a real date" in bad.text


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
    assert "You do not have permission to add a project" in page.text
    assert "the programme office or an administrator" in page.text


def test_the_admin_pages_refuse_others_with_the_permission_page(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    page = api_as(make_caller(demo_org, Role.FINANCE)).get("/admin")
    assert page.status_code == 403
    assert "You do not have permission to use the administration pages" in page.text
    assert "Sorry, there is a problem" not in page.text
