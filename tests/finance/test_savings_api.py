"""Savings lines, monthly returns, totals and the tracker through the gateway."""

import csv
import io
import uuid
from typing import Any

import httpx
from fastapi.testclient import TestClient

from common.http import ServiceClients
from common.identity import Role
from common.settings import Settings
from common.testing.plugin import make_caller
from stack.testing.plugin import System
from tests.finance.factories import add_entry, make_income_line, make_savings_line
from tests.helpers import field_errors

LINES = "/api/v1/finance/savings-lines"


def test_savings_line_keeps_every_field_of_the_issue(api: TestClient) -> None:
    line = make_savings_line(
        api,
        description="Right-size care in every supported living setting.",
        saving_type="cost_avoidance",
        recurrence="one_off",
        delivery_confidence="green",
        targets=[{"financial_year": "2025/26", "in_year": "£188k", "full_year_effect": "£376k"}],
    )
    read = api.get(f"{LINES}/{line['id']}")
    assert read.headers["ETag"] == '"1"'
    body = read.json()
    assert body["saving_type"] == "cost_avoidance"
    assert body["recurrence"] == "one_off"
    assert body["delivery_confidence"] == "green"
    assert body["status"] == "in_delivery"
    assert body["owner_team"] == "Commissioning Team"
    assert body["targets"] == [
        {"financial_year": "2025/26", "in_year": "188000.00", "full_year_effect": "376000.00"}
    ]


def test_an_unknown_category_is_refused_with_a_field_message(api: TestClient) -> None:
    response = api.post(LINES, json={"reference": "X", "title": "X", "category": "magic"})
    assert response.status_code == 422
    assert "category" in field_errors(response)


def test_ambiguous_target_money_is_refused(api: TestClient) -> None:
    response = api.post(
        LINES,
        json={
            "reference": "X",
            "title": "X",
            "category": "other",
            "targets": [{"financial_year": "2025/26", "in_year": "about £3k"}],
        },
    )
    assert response.status_code == 422
    assert "not an amount of money" in field_errors(response)["targets.0.in_year"]


def test_writing_off_needs_a_reason(api: TestClient) -> None:
    line = make_savings_line(api)
    url = f"{LINES}/{line['id']}"
    refused = api.patch(url, json={"status": "written_off"}, headers={"If-Match": '"1"'})
    assert refused.status_code == 422
    assert "written_off_reason" in field_errors(refused)
    accepted = api.patch(
        url,
        json={"status": "written_off", "written_off_reason": "Provider market cannot absorb it"},
        headers={"If-Match": '"1"'},
    )
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "written_off"


def test_a_duplicate_reference_conflicts(api: TestClient) -> None:
    make_savings_line(api)
    response = api.post(LINES, json={"reference": "SAV-01", "title": "Y", "category": "other"})
    assert response.status_code == 409


def test_a_savings_line_linked_to_an_unknown_project_is_refused(api: TestClient) -> None:
    missing = uuid.uuid4()
    response = api.post(
        LINES,
        json={"reference": "P1", "title": "T", "category": "other", "project_ids": [str(missing)]},
    )
    assert response.status_code == 422
    assert str(missing) in field_errors(response)["project_ids.0"]
    assert api.get(LINES, params={"financial_year": "2025/26"}).json()["total"] == 0


def test_a_savings_line_links_to_a_project_the_projects_service_knows(api: TestClient) -> None:
    project = api.post("/api/v1/projects/projects", json={"name": "Supported Living Efficiencies"})
    assert project.status_code == 201, project.text
    line = make_savings_line(api, project_ids=[project.json()["id"]])
    assert line["project_ids"] == [project.json()["id"]]
    unknown = str(uuid.uuid4())
    mixed = api.patch(
        f"{LINES}/{line['id']}",
        json={"project_ids": [project.json()["id"], unknown]},
        headers={"If-Match": '"1"'},
    )
    assert mixed.status_code == 422
    assert unknown in field_errors(mixed)["project_ids.0"]


class _Answer(httpx.BaseTransport):
    def __init__(self, status: int) -> None:
        self.status = status

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(self.status, json={})


def _projects_answer(system: System, settings: Settings, status: int) -> None:
    client = httpx.Client(base_url="http://projects", transport=_Answer(status))
    system.services["finance"].state.clients = ServiceClients(settings, {"projects": client})


def test_a_known_project_can_be_linked(api: TestClient, system: System, settings: Settings) -> None:
    _projects_answer(system, settings, 200)
    project = uuid.uuid4()
    line = make_savings_line(api, project_ids=[str(project), str(project)])
    assert line["project_ids"] == [str(project)]


def test_projects_service_down_means_the_link_cannot_be_checked_now(
    api: TestClient, system: System, settings: Settings
) -> None:
    _projects_answer(system, settings, 503)
    response = api.post(
        LINES,
        json={
            "reference": "P",
            "title": "T",
            "category": "other",
            "project_ids": [str(uuid.uuid4())],
        },
    )
    assert response.status_code == 503
    assert "projects service" in response.json()["detail"]


def test_achieved_to_date_cannot_exceed_the_forecast_for_the_year(api: TestClient) -> None:
    line = make_savings_line(api)
    response = api.post(
        f"{LINES}/{line['id']}/entries",
        json={"month": "2025-09", "achieved_to_date": "£200k", "forecast_for_year": "£150k"},
    )
    assert response.status_code == 422
    assert field_errors(response) == {
        "achieved_to_date": "Achieved to date (£200,000.00) cannot be more than the forecast "
        "for the year (£150,000.00)"
    }


def test_an_entry_month_outside_the_financial_year_is_refused(api: TestClient) -> None:
    line = make_savings_line(api)
    response = api.post(
        f"{LINES}/{line['id']}/entries",
        json={
            "month": "2025-03",
            "financial_year": "2025/26",
            "achieved_to_date": "1",
            "forecast_for_year": "2",
        },
    )
    assert response.status_code == 422
    assert "March 2025 is not in financial year 2025/26" in field_errors(response)["month"]


def test_entry_slippage_is_target_less_forecast_to_the_penny(api: TestClient) -> None:
    line = make_savings_line(api)
    entry = add_entry(api, line["id"], "2025-09", "£150k", "301,250.51", note="Reviews on track")
    assert entry["financial_year"] == "2025/26"
    assert entry["target"] == "376000.00"
    assert entry["slippage"] == "74749.49"


def test_an_entry_update_needs_if_match_and_keeps_the_rule(api: TestClient) -> None:
    line = make_savings_line(api)
    add_entry(api, line["id"], "2025-09", "100", "300")
    url = f"{LINES}/{line['id']}/entries/2025-09"
    etag = api.get(url).headers["ETag"]
    assert api.patch(url, json={"achieved_to_date": "200"}).status_code == 428
    too_much = api.patch(url, json={"achieved_to_date": "301"}, headers={"If-Match": etag})
    assert too_much.status_code == 422
    assert "achieved_to_date" in field_errors(too_much)
    ok = api.patch(url, json={"achieved_to_date": "300"}, headers={"If-Match": etag})
    assert ok.status_code == 200
    assert api.patch(url, json={"note": "x"}, headers={"If-Match": etag}).status_code == 412


def test_the_tracker_uses_the_latest_return_of_the_year(api: TestClient) -> None:
    line = make_savings_line(api)
    add_entry(api, line["id"], "2025-08", "50,000", "376,000")
    add_entry(api, line["id"], "2025-09", "90,000.50", "350,000.25")
    add_entry(api, line["id"], "2026-04", "1", "575,000")  # next year's return
    page = api.get(LINES, params={"financial_year": "2025/26"}).json()
    assert page["items"][0]["selected"] == {
        "financial_year": "2025/26",
        "target": "376000.00",
        "full_year_effect": "376000.00",
        "achieved_to_date": "90000.50",
        "forecast_for_year": "350000.25",
        "slippage": "25999.75",
        "latest_month": "2025-09",
        "latest_note": "",
        "brag": "amber",
        "brag_label": "At risk (Amber)",
    }


def _three_lines(api: TestClient) -> dict[str, dict[str, Any]]:
    a = make_savings_line(api)
    b = make_income_line(
        api,
        reference="SAV-02",
        targets=[{"financial_year": "2025/26", "in_year": "£250k", "full_year_effect": "£300k"}],
    )
    c = make_savings_line(
        api,
        reference="SAV-03",
        title="Reablement",
        owner_team="Operations Team",
        category="reablement",
        saving_type="cost_avoidance",
        delivery_confidence="red",
        in_year="£100k",
    )
    add_entry(api, a["id"], "2025-09", "£100k", "£300k")
    add_entry(api, b["id"], "2025-09", "£125k", "£260,000.01")
    return {"a": a, "b": b, "c": c}


def test_tracker_totals_cover_every_matching_line_not_just_the_page(api: TestClient) -> None:
    _three_lines(api)
    page = api.get(LINES, params={"financial_year": "2025/26", "limit": 1}).json()
    assert len(page["items"]) == 1
    assert page["total"] == 3
    expected = {
        "lines": 3,
        "target": "726000.00",
        "full_year_effect": "776000.00",
        "achieved_to_date": "225000.00",
        "forecast_for_year": "560000.01",
        "slippage": "65999.99",
        "lines_without_return": 1,
    }
    assert {key: page["totals"][key] for key in expected} == expected


def test_tracker_filters_by_category_type_owner_and_sorts(api: TestClient) -> None:
    _three_lines(api)
    params = {"financial_year": "2025/26"}

    def refs(**extra: str) -> list[str]:
        return [i["reference"] for i in api.get(LINES, params=params | extra).json()["items"]]

    assert refs(category="reablement") == ["SAV-03"]
    assert refs(saving_type="cashable") == ["SAV-01", "SAV-02"]
    assert refs(owner_team="Client Finances Team") == ["SAV-02"]
    assert refs(sort="-slippage") == ["SAV-01", "SAV-02", "SAV-03"]  # no return sorts last
    assert refs(sort="slippage") == ["SAV-02", "SAV-01", "SAV-03"]
    assert refs(sort="confidence") == ["SAV-03", "SAV-01", "SAV-02"]
    assert refs(financial_year="2027/28") == ["SAV-01"]
    bad = api.get(LINES, params={"sort": "colour"})
    assert bad.status_code == 422
    assert "sort" in field_errors(bad)


def test_tracker_filters_by_project(api: TestClient, system: System, settings: Settings) -> None:
    _projects_answer(system, settings, 200)
    project = uuid.uuid4()
    make_savings_line(api, project_ids=[str(project)])
    make_savings_line(api, reference="SAV-02")
    page = api.get(LINES, params={"financial_year": "2025/26", "project_id": str(project)})
    assert [i["reference"] for i in page.json()["items"]] == ["SAV-01"]


def test_totals_by_category_type_owner_and_year(api: TestClient) -> None:
    _three_lines(api)
    url = "/api/v1/finance/savings/totals"

    def groups(by: str) -> dict[str, dict[str, Any]]:
        body = api.get(url, params={"financial_year": "2025/26", "by": by}).json()
        return {g["key"]: g for g in body["groups"]}

    by_category = groups("category")
    assert by_category["income_and_charging"]["slippage"] == "-10000.01"
    assert by_category["income_and_charging"]["label"] == "Income and charging"
    assert groups("type")["cashable"]["target"] == "626000.00"
    assert groups("owner")["Operations Team"]["lines_without_return"] == 1
    assert groups("project")["none"]["lines"] == 3
    by_year = api.get(url, params={"by": "year"}).json()
    assert {g["key"]: g["target"] for g in by_year["groups"]} == {
        "2025/26": "726000.00",
        "2026/27": "575000.00",
        "2027/28": "576000.00",
    }
    assert by_year["overall"]["target"] == "1877000.00"
    assert api.get(url, params={"by": "colour"}).status_code == 422


def test_savings_export_is_csv_with_totals(api: TestClient) -> None:
    _three_lines(api)
    response = api.get(f"{LINES}/export.csv", params={"financial_year": "2025/26"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][8] == "Target 2025/26"
    assert [r[0] for r in rows[1:]] == [
        "SAV-01",
        "SAV-02",
        "SAV-03",
        "Total cashable",
        "Total non-cashable",
        "Total cost avoidance",
        "Total",
    ]
    assert rows[4][8] == "626000.00"  # cost avoidance is not in the cashable total
    assert rows[6][8] == "100000.00"
    assert rows[-1][12] == "65999.99"


def test_a_mitigating_line_is_linked_to_the_slipping_line(api: TestClient) -> None:
    lines = _three_lines(api)
    mitigation = make_savings_line(
        api, reference="SAV-04", title="Mitigation", mitigates_line_id=lines["a"]["id"]
    )
    assert mitigation["mitigates_line_id"] == lines["a"]["id"]
    assert api.get(f"{LINES}/{lines['a']['id']}").json()["mitigated_by"] == [mitigation["id"]]
    unknown = api.post(
        LINES,
        json={
            "reference": "Z",
            "title": "Z",
            "category": "other",
            "mitigates_line_id": str(uuid.uuid4()),
        },
    )
    assert unknown.status_code == 422
    assert "mitigates_line_id" in field_errors(unknown)


def test_activity_measure_shows_the_share_done(api: TestClient) -> None:
    line = make_savings_line(api)
    created = api.post(
        f"{LINES}/{line['id']}/activity-measures",
        json={"name": "Care package reviews", "unit": "reviews", "planned": 3813, "done": 400},
    )
    assert created.status_code == 201
    url = f"/api/v1/finance/activity-measures/{created.json()['id']}"
    assert api.patch(url, json={"done": 452}).status_code == 428
    changed = api.patch(url, json={"done": 452}, headers={"If-Match": created.headers["ETag"]})
    assert changed.json()["percent_done"] == "11.9"
    assert api.get(f"{LINES}/{line['id']}").json()["activity_measures"][0]["done"] == 452


def test_another_council_cannot_see_or_change_a_line(
    api: TestClient, api_as: Any, other_org: uuid.UUID
) -> None:
    line = make_savings_line(api)
    other = api_as(make_caller(other_org, Role.ADMIN))
    assert other.get(f"{LINES}/{line['id']}").status_code == 404
    assert other.get(LINES, params={"financial_year": "2025/26"}).json()["total"] == 0
    assert (
        other.patch(f"{LINES}/{line['id']}", json={"title": "x"}, headers={"If-Match": '"1"'})
    ).status_code == 404


def _lead(api_as: Any, org: uuid.UUID, team: str | None) -> TestClient:
    client: TestClient = api_as(make_caller(org, Role.SERVICE_LEAD, team=team, user="lead"))
    return client


def test_a_service_lead_cannot_change_another_teams_line(
    api: TestClient, api_as: Any, demo_org: uuid.UUID
) -> None:
    theirs = make_savings_line(api)  # owned by the Commissioning Team
    lead = _lead(api_as, demo_org, "Operations Team")
    url = f"{LINES}/{theirs['id']}"
    attempts = [
        lead.patch(url, json={"title": "Mine now"}, headers={"If-Match": '"1"'}),
        lead.post(
            f"{url}/entries",
            json={"month": "2025-09", "achieved_to_date": "1", "forecast_for_year": "2"},
        ),
        lead.post(f"{url}/activity-measures", json={"name": "Reviews", "planned": 10}),
        lead.delete(url, headers={"If-Match": '"1"'}),
        lead.post(
            LINES,
            json={
                "reference": "X",
                "title": "X",
                "category": "other",
                "owner_team": "Commissioning Team",
            },
        ),
    ]
    assert [r.status_code for r in attempts] == [403] * 5
    assert "Commissioning Team" in attempts[0].json()["detail"]
    assert api.get(url).json()["title"] == "Supported Living Efficiencies"
    assert lead.get(url).status_code == 200  # reading stays open


def test_a_service_lead_changes_their_own_teams_line_but_cannot_give_it_away(
    api: TestClient, api_as: Any, demo_org: uuid.UUID
) -> None:
    lead = _lead(api_as, demo_org, "Commissioning Team")
    line = make_savings_line(lead)
    url = f"{LINES}/{line['id']}"
    entry = lead.post(
        f"{url}/entries",
        json={"month": "2025-09", "achieved_to_date": "1", "forecast_for_year": "2"},
    )
    assert entry.status_code == 201
    away = lead.patch(url, json={"owner_team": "Operations Team"}, headers={"If-Match": '"1"'})
    assert away.status_code == 403
    ok = lead.patch(url, json={"delivery_confidence": "green"}, headers={"If-Match": '"1"'})
    assert ok.status_code == 200


def test_a_service_lead_without_a_team_changes_no_line(
    api: TestClient, api_as: Any, demo_org: uuid.UUID
) -> None:
    line = make_savings_line(api)
    lead = _lead(api_as, demo_org, None)
    response = lead.patch(f"{LINES}/{line['id']}", json={"title": "x"}, headers={"If-Match": '"1"'})
    assert response.status_code == 403


def test_finance_may_change_any_teams_line(
    api: TestClient, api_as: Any, demo_org: uuid.UUID
) -> None:
    line = make_savings_line(api)
    finance = api_as(make_caller(demo_org, Role.FINANCE, team="Finance Team"))
    response = finance.patch(
        f"{LINES}/{line['id']}", json={"title": "Renamed"}, headers={"If-Match": '"1"'}
    )
    assert response.status_code == 200


def test_a_line_with_a_return_but_no_target_in_the_year_still_shows_with_zero_target(
    api: TestClient,
) -> None:
    line = make_savings_line(api, in_year="£10k")
    add_entry(api, line["id"], "2026-05", "£1k", "£4k")
    page = api.get(LINES, params={"financial_year": "2026/27"}).json()
    assert [i["reference"] for i in page["items"]] == ["SAV-01"]
    assert page["items"][0]["selected"]["target"] == "0.00"
    assert page["items"][0]["selected"]["slippage"] == "-4000.00"
