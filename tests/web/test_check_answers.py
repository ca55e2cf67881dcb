"""Adding a project, a KPI with its targets or a savings line in steps, then "Check your
answers" (web/forms.py): each step is checked on its own page, everything typed is carried to
the summary, each Change goes back to its question, and Create saves it through the API."""

import re
from html import unescape
from typing import Any

from fastapi.testclient import TestClient

from tests.projects.conftest import API, make_objective

CHANGE = re.compile(r'<button type="submit" name="change" value="(\w+)"')


FIELDS = re.compile(
    r'<input type="hidden" name="(\w+)" value="([^"]*)"'
    r'|name="(\w+)" type="text" value="([^"]*)"'
    r'|name="(\w+)" type="(?:radio|checkbox)" value="([^"]*)" checked'
    r'|name="(\w+)" rows="4"[^>]*>([^<]*)</textarea>'
)


def carried(html: str) -> dict[str, Any]:
    """The fields a page posts back as a browser would: hidden ones, and the answers shown."""
    fields: dict[str, Any] = {}
    for match in FIELDS.finditer(html):
        name, value = (g for g in match.groups() if g is not None)
        if name == "csrf_token":
            continue
        value = unescape(value)
        if name in fields:
            existing = fields[name]
            fields[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            fields[name] = value
    return fields


def test_a_project_is_added_in_steps_then_checked_and_created(api: TestClient) -> None:
    objective = make_objective(api, number=3)
    first = api.get("/projects/new")
    assert first.status_code == 200
    assert "About the project" in first.text
    assert "Continue" in first.text
    assert '<input type="hidden" name="budget_amount" value="">' in first.text  # carried
    assert 'id="budget_amount"' not in first.text  # asked on a later page

    empty = api.post("/projects/new", data=carried(first.text) | {"name": "", "stage": "proposed"})
    assert empty.status_code == 422
    assert "Enter the project&#39;s name" in empty.text
    assert "Budget" not in empty.text.split("govuk-error-summary")[1].split("</ul>")[0]

    step = carried(first.text) | {"name": "Digital front door", "sro": "Director of ASC"}
    second = api.post("/projects/new", data=step | {"stage": "proposed"})
    assert second.status_code == 200, second.text
    assert "What it delivers" in second.text
    assert 'value="Digital front door"' in second.text
    assert f'value="{objective["id"]}"' in second.text  # objectives to choose from

    step = carried(second.text) | {"objective_ids": [objective["id"]], "council_plan": "yes"}
    third = api.post("/projects/new", data=step)
    assert "Dates and budget" in third.text

    step = carried(third.text) | {"start_month": "2026-04", "budget_amount": "£120k"}
    check = api.post("/projects/new", data=step | {"budget_basis": "total"})
    assert check.status_code == 200, check.text
    assert "Check your answers before adding the project" in check.text
    assert "Digital front door" in check.text
    assert "Director of ASC" in check.text
    assert "££" not in check.text
    assert "£120k" in check.text
    assert {"name", "sro", "budget_amount", "objective_ids"} <= set(CHANGE.findall(check.text))

    change = api.post("/projects/new", data=carried(check.text) | {"change": "budget_amount"})
    assert "Dates and budget" in change.text
    assert 'value="£120k"' in change.text  # what was typed is kept
    assert 'name="returning"' in change.text
    back = api.post("/projects/new", data=carried(change.text) | {"budget_amount": "£150k"})
    assert "Check your answers" in back.text  # straight back to the summary
    assert "£150k" in back.text

    created = api.post(
        "/projects/new", data=carried(back.text) | {"create": "yes"}, follow_redirects=False
    )
    assert created.status_code == 303, created.text
    project = api.get(f"{API}/projects/{created.headers['location'].split('/')[-1]}").json()
    assert (project["name"], project["sro"], project["budget_amount"]) == (
        "Digital front door",
        "Director of ASC",
        "150000.00",
    )
    assert project["objective_ids"] == [objective["id"]]
    assert project["council_plan"] is True


def test_a_kpi_is_added_with_its_targets_and_a_profile_that_does_not_fit_goes_back(
    api: TestClient,
) -> None:
    answers = {
        "code": "ASC-10",
        "title": "Reviews on time",
        "unit": "count",
        "polarity": "bigger_is_better",
        "frequency": "quarterly",
        "target_type": "profiled",
        "tolerance_kind": "percent",
        "council_plan": "no",
    }
    page = api.get("/kpis/new")
    assert "About the KPI" in page.text
    for _ in range(4):
        fields = carried(page.text) | {
            k: v for k, v in answers.items() if f'name="{k}"' in page.text
        }
        page = api.post("/kpis/new", data=fields)
        assert page.status_code == 200, page.text
        if "Targets by year" in page.text:
            break
    names = re.findall(r'name="(kpi_target_\w+)" type="text"', page.text)
    assert len(names) == 3
    profile = names[0].replace("target", "profile")
    targets = {names[0]: "400", profile: "90\n100\n100", names[1]: "420"}
    check = api.post("/kpis/new", data=carried(page.text) | targets)
    assert "Check your answers before adding the KPI" in check.text

    refused = api.post("/kpis/new", data=carried(check.text) | {"create": "yes"})
    assert refused.status_code == 422
    assert "Targets by year" in refused.text  # back on the page of the question at fault
    assert "needs 4 profile figures" in refused.text
    assert f'href="#{profile}"' in refused.text

    assert 'value="400"' in refused.text  # what was typed is kept
    fixed = carried(refused.text) | {profile: "90\n100\n100\n110"}
    check = api.post("/kpis/new", data=fixed)
    assert "Check your answers" in check.text
    created = api.post(
        "/kpis/new", data=carried(check.text) | {"create": "yes"}, follow_redirects=False
    )
    assert created.status_code == 303, created.text
    measure_id = created.headers["location"].split("/")[-1]
    targets_saved = api.get("/api/v1/kpi/targets", params={"measure_id": measure_id}).json()
    assert [(t["value"], t["profile"]) for t in targets_saved["items"]] == [
        ("400", ["90", "100", "100", "110"]),
        ("420", None),
    ]


def test_a_savings_line_is_added_in_steps(api: TestClient) -> None:
    page = api.get("/savings/new")
    assert "About the saving" in page.text
    answers = {
        "reference": "SAV-77",
        "title": "Day services review",
        "category": "care_package_reviews",
    }
    while "Check your answers" not in page.text:
        fields = carried(page.text) | {
            k: v for k, v in answers.items() if f'name="{k}"' in page.text
        }
        if "Targets by year" in page.text:
            fields |= {re.findall(r'name="(target_\w+)" type="text"', page.text)[1]: "£50k"}
        page = api.post("/savings/new", data=fields)
        assert page.status_code == 200, page.text
    assert "SAV-77" in page.text
    created = api.post(
        "/savings/new", data=carried(page.text) | {"create": "yes"}, follow_redirects=False
    )
    assert created.status_code == 303, created.text
    line = api.get(f"/api/v1/finance/savings-lines/{created.headers['location'].split('/')[-1]}")
    assert line.json()["reference"] == "SAV-77"
    assert [t["in_year"] for t in line.json()["targets"]] == ["50000.00"]
