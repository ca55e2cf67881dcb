"""The KPI API through the gateway: CRUD, validation, the workflow, bulk entry and reports."""

import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from common.errors import ValidationFailed
from common.identity import Caller, Role
from common.periods import Period
from common.testing.plugin import make_caller
from services.kpi.actuals.service import check_figures
from services.kpi.measures.models import Measure
from tests.helpers import field_errors
from tests.kpi.factories import (
    API,
    APPROVER,
    CUMULATIVE_RATE,
    approver_for,
    make_actual,
    make_measure,
    make_target,
    post_actual,
    post_target,
)


def count_actuals(api: TestClient) -> int:
    total: int = api.get(f"{API}/actuals").json()["total"]
    return total


# Measures ---------------------------------------------------------------------------------------


def test_a_measure_needs_only_code_and_title(api: TestClient) -> None:
    created = api.post(f"{API}/measures", json={"code": "ASC01", "title": "Carers supported"})
    assert created.status_code == 201
    body = created.json()
    assert body["unit"] == "count"
    assert body["polarity"] == "bigger_is_better"
    assert body["tolerance"] == "5"
    assert body["active"] is True


def test_a_measure_keeps_every_field_of_the_service_plan(api: TestClient) -> None:
    plan = CUMULATIVE_RATE | {
        "code": "ASCOF2A",
        "council_plan": True,
        "national_reference": "ASCOF 2A",
        "numerator_definition": "Admissions to care homes, aged 65+",
        "denominator_definition": "Population aged 65+",
        "baseline_value": "901.5",
        "baseline_period": "2024/25",
        "tolerance_kind": "absolute",
        "tolerance": "20",
        "decimal_places": 1,
    }
    measure = make_measure(api, **plan)
    read = api.get(f"{API}/measures/{measure['id']}")
    assert read.headers["ETag"] == '"1"'
    assert read.json() | {"id": measure["id"]} == measure
    assert measure | plan == measure  # every field as the plan gave it


def test_measures_filter_sort_and_page(api: TestClient) -> None:
    make_measure(api, code="A", title="Beta", frequency="monthly", council_plan=True)
    make_measure(api, code="B", title="Alpha", frequency="quarterly", data_provider="Other Team")
    make_measure(api, code="C", title="Gamma", frequency="monthly", service_area="Finance")

    def codes(**query: Any) -> list[str]:
        items = api.get(f"{API}/measures", params=query).json()["items"]
        return [m["code"] for m in items]

    assert codes(frequency="monthly") == ["A", "C"]
    assert codes(council_plan=True) == ["A"]
    assert codes(data_provider="Other Team") == ["B"]
    assert codes(service_area="Finance") == ["C"]
    assert codes(sort="title") == ["B", "A", "C"]
    assert codes(sort="-code", limit=2) == ["C", "B"]
    assert codes(sort="code", limit=2, offset=2) == ["C"]


def test_updating_a_measure_needs_the_current_etag(api: TestClient) -> None:
    measure = make_measure(api)
    url = f"{API}/measures/{measure['id']}"
    assert api.patch(url, json={"title": "New"}).status_code == 428
    ok = api.patch(url, json={"title": "New"}, headers={"If-Match": '"1"'})
    assert ok.status_code == 200
    assert ok.headers["ETag"] == '"2"'
    stale = api.patch(url, json={"title": "Newer"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert api.get(url).json()["title"] == "New"


def test_a_measure_with_actuals_cannot_be_deleted(api: TestClient) -> None:
    measure = make_measure(api)
    make_actual(api, measure, "2025-04", value="50", approve=False)
    url = f"{API}/measures/{measure['id']}"
    assert api.delete(url, headers={"If-Match": '"1"'}).status_code == 409
    empty = make_measure(api, code="EMPTY")
    assert (
        api.delete(f"{API}/measures/{empty['id']}", headers={"If-Match": '"1"'}).status_code == 204
    )


# Targets ----------------------------------------------------------------------------------------


def test_one_target_per_measure_and_year_with_the_councils_note(api: TestClient) -> None:
    measure = make_measure(api)
    target = make_target(
        api, measure, "30", note="Current baseline 19% / Target level of 30%", year="25/26"
    )
    assert target["financial_year"] == "2025/26"
    assert target["note"] == "Current baseline 19% / Target level of 30%"
    again = post_target(api, measure, "31")
    assert "financial_year" in field_errors(again)


def test_a_profile_must_have_one_figure_per_period(api: TestClient) -> None:
    measure = make_measure(api, frequency="quarterly")
    response = post_target(api, measure, "100", profile=["10", "20", "30"])
    assert "4 profile figures" in field_errors(response)["profile"]


# Actuals: bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "body", "field", "words"),
    [
        ({}, {"period": "2025-05", "value": "seventy"}, "value", "is not a number"),
        ({}, {"period": "2025-05", "numerator": "5", "denominator": "0"}, "denominator", "0"),
        ({}, {"period": "2025/26 Q1", "value": "50"}, "period", "reported monthly"),
        ({}, {"period": "2099-05", "value": "50"}, "period", "has not started"),
        ({}, {"period": "2025-05", "value": "101"}, "value", "between 0 and 100"),
        ({}, {"period": "2025-05", "numerator": "11", "denominator": "10"}, "numerator", "100"),
        ({"unit": "count"}, {"period": "2025-05", "value": "-1"}, "value", "negative"),
        ({}, {"period": "May 2025", "value": "50"}, "period", "not a period"),
        ({}, {"period": "2025-05"}, "value", "Enter a value"),
    ],
)
def test_bad_actuals_are_422_and_store_nothing(
    api: TestClient, overrides: dict[str, str], body: dict[str, str], field: str, words: str
) -> None:
    measure = make_measure(api, **overrides)
    response = post_actual(api, measure, **body)
    assert words in field_errors(response)[field]
    assert count_actuals(api) == 0


def test_a_duplicate_actual_for_a_period_is_422_and_stores_nothing(api: TestClient) -> None:
    measure = make_measure(api)
    make_actual(api, measure, "2025-05", value="50", approve=False)
    again = post_actual(api, measure, "2025-05", value="60")
    assert "already has an actual for May 2025" in field_errors(again)["period"]
    assert count_actuals(api) == 1
    assert api.get(f"{API}/actuals").json()["items"][0]["value"] == "50"


def test_a_count_over_100_is_fine_when_the_unit_allows_it(api: TestClient) -> None:
    measure = make_measure(api, unit="count")
    actual = make_actual(api, measure, "2025-05", value="752", approve=False)
    assert actual["value"] == "752"


def test_numbers_may_be_written_with_commas(api: TestClient) -> None:
    measure = make_measure(api, unit="count")
    assert make_actual(api, measure, "2025-05", value="1,102", approve=False)["value"] == "1102"


# Actuals: workflow ------------------------------------------------------------------------------


def test_two_concurrent_edits_of_one_actual_one_wins_the_other_gets_412(api: TestClient) -> None:
    measure = make_measure(api)
    actual = make_actual(api, measure, "2025-05", value="50", approve=False)
    url = f"{API}/actuals/{actual['id']}"
    etag_a = api.get(url).headers["ETag"]
    etag_b = api.get(url).headers["ETag"]
    first = api.patch(url, json={"value": "51"}, headers={"If-Match": etag_a})
    second = api.patch(url, json={"value": "52"}, headers={"If-Match": etag_b})
    assert sorted([first.status_code, second.status_code]) == [200, 412]
    assert api.get(url).json()["value"] == "51"


def test_editing_an_actual_without_if_match_is_428(api: TestClient) -> None:
    measure = make_measure(api)
    actual = make_actual(api, measure, "2025-05", value="50", approve=False)
    response = api.patch(f"{API}/actuals/{actual['id']}", json={"value": "51"})
    assert response.status_code == 428


def test_a_correction_keeps_every_revision_and_reports_the_latest_approved(
    api: TestClient,
) -> None:
    measure = make_measure(api)
    actual = make_actual(api, measure, "2025-05", value="50", commentary="First count")
    assert actual["status"] == "approved"
    assert actual["approved_value"] == "50"
    url = f"{API}/actuals/{actual['id']}"
    corrected = api.patch(
        url,
        json={"value": "55", "commentary": "Late returns added"},
        headers={"If-Match": f'"{actual["version"]}"'},
    )
    assert corrected.status_code == 200
    assert corrected.json()["status"] == "draft"
    assert corrected.json()["approved_value"] == "50"  # still reported until approved
    submitted = api.post(f"{url}/submit", headers={"If-Match": corrected.headers["ETag"]})
    approved = approver_for(api).post(
        f"{url}/approve", headers={"If-Match": submitted.headers["ETag"]}
    )
    assert approved.json()["approved_value"] == "55"
    history = api.get(f"{url}/revisions").json()["items"]
    assert [(r["action"], r["value"]) for r in history] == [
        ("created", "50"),
        ("submitted", "50"),
        ("approved", "50"),
        ("corrected", "55"),
        ("submitted", "55"),
        ("approved", "55"),
    ]
    assert [r["changed_by"] for r in history] == ["tester", "tester", APPROVER] * 2
    assert not any(r["self_approved"] for r in history)
    assert approved.json()["approved_revision"] == 6


def test_an_approver_returns_an_actual_with_a_reason(api: TestClient) -> None:
    measure = make_measure(api)
    actual = make_actual(api, measure, "2025-05", value="50", approve=False)
    url = f"{API}/actuals/{actual['id']}"
    submitted = api.post(f"{url}/submit", headers={"If-Match": '"1"'})
    no_reason = api.post(f"{url}/return", json={}, headers={"If-Match": submitted.headers["ETag"]})
    assert "reason" in field_errors(no_reason)
    returned = api.post(
        f"{url}/return",
        json={"reason": "Check the denominator"},
        headers={"If-Match": submitted.headers["ETag"]},
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_reason"] == "Check the denominator"
    assert api.get(f"{url}/revisions").json()["items"][-1]["reason"] == "Check the denominator"
    again = api.post(f"{url}/approve", headers={"If-Match": returned.headers["ETag"]})
    assert again.status_code == 409


def test_a_data_provider_cannot_approve(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    measure = make_measure(api)
    actual = make_actual(api, measure, "2025-05", value="50", approve=False)
    provider = api_as(
        make_caller(demo_org, Role.DATA_PROVIDER, user="provider", team=measure["data_provider"])
    )
    url = f"{API}/actuals/{actual['id']}"
    submitted = provider.post(f"{url}/submit", headers={"If-Match": '"1"'})
    assert submitted.status_code == 200
    refused = provider.post(f"{url}/approve", headers={"If-Match": submitted.headers["ETag"]})
    assert refused.status_code == 403
    assert api.get(f"{url}/revisions").json()["items"][-1]["changed_by"] == "provider"


def test_a_data_provider_enters_figures_only_for_their_own_teams_measures(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    ours = make_measure(api, code="OURS", data_provider="Integration Team")
    theirs = make_measure(api, code="THEIRS", data_provider="Commissioning Team")
    provider = api_as(make_caller(demo_org, Role.DATA_PROVIDER, team="Integration Team"))
    row = {"period": "2025-05", "value": "50"}
    assert post_actual(provider, ours, **row).status_code == 201
    refused = post_actual(provider, theirs, **row)
    assert refused.status_code == 403
    assert "Commissioning Team" in refused.json()["detail"]
    bulk = provider.post(
        f"{API}/actuals/bulk",
        json={"rows": [{"measure_code": "THEIRS", "period": "2025-06", "value": "1"}]},
    )
    assert bulk.status_code == 403
    assert count_actuals(api) == 1


def test_a_data_provider_cannot_set_up_measures_or_targets(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    measure = make_measure(api)
    provider = api_as(make_caller(demo_org, Role.DATA_PROVIDER, team=measure["data_provider"]))
    assert provider.post(f"{API}/measures", json={"code": "X", "title": "X"}).status_code == 403
    target = {"measure_id": measure["id"], "financial_year": "2025/26", "value": "1"}
    assert provider.post(f"{API}/targets", json=target).status_code == 403
    assert api.get(f"{API}/measures").json()["total"] == 1


def test_another_council_cannot_see_the_actuals(
    api: TestClient, api_as: Callable[[Caller], TestClient], other_org: uuid.UUID
) -> None:
    measure = make_measure(api)
    actual = make_actual(api, measure, "2025-05", value="50")
    other = api_as(make_caller(other_org))
    assert other.get(f"{API}/actuals/{actual['id']}").status_code == 404
    assert other.get(f"{API}/scorecard", params={"period": "2025-05"}).json()["total"] == 0


def test_a_rate_can_be_sent_as_a_count_over_the_population(api: TestClient) -> None:
    population = api.post(
        f"{API}/populations",
        json={"area": "Demo", "age_band": "65+", "financial_year": "2025/26", "population": 30000},
    )
    assert population.status_code == 201
    measure = make_measure(
        api,
        unit="rate_per_100k",
        frequency="quarterly",
        population_area="Demo",
        population_age_band="65+",
    )
    actual = make_actual(api, measure, "2025/26 Q1", numerator="45", approve=False)
    assert actual["value"] == "150"
    assert actual["denominator"] == "30000"  # the population it was worked out from
    unknown = post_actual(api, measure, "2024/25 Q1", numerator="45")
    assert "denominator" in field_errors(unknown)


# Bulk -------------------------------------------------------------------------------------------


def test_bulk_json_stores_every_row_and_can_submit(api: TestClient) -> None:
    make_measure(api, code="A")
    make_measure(api, code="B", unit="count")
    response = api.post(
        f"{API}/actuals/bulk",
        json={
            "rows": [
                {"measure_code": "A", "period": "2025-04", "numerator": "3", "denominator": "4"},
                {"measure_code": "B", "period": "2025-04", "value": "752"},
            ],
            "submit": True,
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["created"], body["updated"]) == (2, 0)
    assert [a["status"] for a in body["actuals"]] == ["submitted", "submitted"]
    assert body["actuals"][0]["value"] == "75"


def test_bulk_with_nothing_new_says_it_changed_nothing(api: TestClient) -> None:
    """An empty batch, or one that repeats what is stored, writes no audit row and says so
    (the suite-wide audit check refuses a silent 2xx write)."""
    make_measure(api, code="A", unit="count")
    row = {"measure_code": "A", "period": "2025-04", "value": "5"}
    first = api.post(f"{API}/actuals/bulk", json={"rows": [row]})
    assert first.headers["x-audit-rows"] != "0"
    version = first.json()["actuals"][0]["version"]

    empty = api.post(f"{API}/actuals/bulk", json={"rows": []})
    again = api.post(f"{API}/actuals/bulk", json={"rows": [{**row, "version": version}]})

    for response in (empty, again):
        assert response.status_code == 200, response.text
        assert (response.json()["created"], response.json()["updated"]) == (0, 0)
        assert response.headers["x-audit-no-change"] == "unchanged"


def test_bulk_is_all_or_nothing_with_an_error_for_each_bad_row(api: TestClient) -> None:
    make_measure(api, code="A")
    response = api.post(
        f"{API}/actuals/bulk",
        json={
            "rows": [
                {"measure_code": "A", "period": "2025-04", "value": "50"},
                {"measure_code": "A", "period": "2025-05", "value": "lots"},
                {"measure_code": "A", "period": "2025-06", "numerator": "1", "denominator": "0"},
                {"measure_code": "Z", "period": "2025-06", "value": "1"},
                {"measure_code": "A", "period": "2025-04", "value": "50"},
            ]
        },
    )
    errors = field_errors(response)
    assert set(errors) == {
        "rows.1.value",
        "rows.2.denominator",
        "rows.3.measure_code",
        "rows.4.period",
    }
    assert count_actuals(api) == 0


def test_a_csv_file_of_actuals_is_stored_and_submitted_in_one_step(api: TestClient) -> None:
    make_measure(api, code="A")
    csv_body = (
        "measure_code,period,value,numerator,denominator,commentary\n"
        'A,2025-04,50,,,"Demo, with a comma"\n'
        "A,2025-05,,1,2,\n"
    )
    response = api.post(
        f"{API}/actuals/bulk.csv",
        files={"file": ("actuals.csv", csv_body.encode(), "text/csv")},
        params={"submit": "true"},
    )
    assert response.status_code == 200, response.text
    assert [a["value"] for a in response.json()["actuals"]] == ["50", "50"]
    assert response.json()["actuals"][0]["commentary"] == "Demo, with a comma"
    assert {a["status"] for a in response.json()["actuals"]} == {"submitted"}


def test_a_csv_body_sent_to_the_json_bulk_operation_is_still_read(api: TestClient) -> None:
    make_measure(api, code="A")
    csv_body = "measure_code,period,value\nA,2025-04,50\n"
    response = api.post(
        f"{API}/actuals/bulk",
        content=csv_body.encode(),
        headers={"content-type": "text/csv"},
        params={"submit": "true"},
    )
    assert response.status_code == 200, response.text
    assert [a["status"] for a in response.json()["actuals"]] == ["submitted"]


def test_bulk_csv_with_an_unknown_column_names_the_file_field(api: TestClient) -> None:
    response = api.post(
        f"{API}/actuals/bulk.csv", files={"file": ("a.csv", b"code,month\nA,2025-04\n", "text/csv")}
    )
    assert set(field_errors(response)) == {"file"}


def test_bulk_csv_with_a_bad_row_stores_nothing(api: TestClient) -> None:
    make_measure(api, code="A")
    csv_body = "measure_code,period,value\nA,2025-04,50\nA,2025/26 Q2,50\n"
    response = api.post(
        f"{API}/actuals/bulk.csv", files={"file": ("actuals.csv", csv_body.encode(), "text/csv")}
    )
    assert set(field_errors(response)) == {"rows.1.period"}
    assert count_actuals(api) == 0


def test_bulk_corrects_an_existing_actual_only_with_its_version(api: TestClient) -> None:
    measure = make_measure(api, code="A")
    actual = make_actual(api, measure, "2025-04", value="50", approve=False)
    row = {"measure_code": "A", "period": "2025-04", "value": "60"}
    assert "rows.0.period" in field_errors(api.post(f"{API}/actuals/bulk", json={"rows": [row]}))
    stale = api.post(f"{API}/actuals/bulk", json={"rows": [row | {"version": 7}]})
    assert "rows.0.version" in field_errors(stale)
    ok = api.post(f"{API}/actuals/bulk", json={"rows": [row | {"version": actual["version"]}]})
    assert ok.json()["updated"] == 1
    assert ok.json()["actuals"][0]["value"] == "60"


# Reports ----------------------------------------------------------------------------------------


def _rag_by_code(api: TestClient, period: str, **params: Any) -> dict[str, str]:
    response = api.get(f"{API}/scorecard", params={"period": period, **params})
    assert response.status_code == 200, response.text
    return {row["measure"]["code"]: row["rag"] for row in response.json()["items"]}


def test_scorecard_gives_every_rag_state(api: TestClient) -> None:
    green = make_measure(api, code="G")
    make_target(api, green, "78")
    make_actual(api, green, "2025-09", value="80")
    amber = make_measure(api, code="A")
    make_target(api, amber, "78")
    make_actual(api, amber, "2025-09", value="76")
    red = make_measure(api, code="R")
    make_target(api, red, "78")
    make_actual(api, red, "2025-09", value="60")
    no_data = make_measure(api, code="ND")
    make_target(api, no_data, "78")
    make_actual(api, no_data, "2025-09", value="80", approve=False)  # not approved: not reported
    no_target = make_measure(api, code="NT")
    make_actual(api, no_target, "2025-09", value="80")
    assert _rag_by_code(api, "2025-09") == {
        "A": "amber",
        "G": "green",
        "ND": "no_data",
        "NT": "no_target",
        "R": "red",
    }
    assert list(_rag_by_code(api, "2025-09", rag="red")) == ["R"]
    assert list(_rag_by_code(api, "2025-09", sort="rag")) == ["R", "A", "G", "ND", "NT"]
    counts = api.get(f"{API}/scorecard", params={"period": "2025-09"}).json()["counts"]
    assert counts == {"green": 1, "amber": 1, "red": 1, "no_data": 1, "no_target": 1}
    red_only = api.get(f"{API}/scorecard", params={"period": "2025-09", "rag": "red"}).json()
    assert red_only["total"] == 1
    assert red_only["counts"] == {"green": 0, "amber": 0, "red": 1, "no_data": 0, "no_target": 0}


def test_scorecard_judges_a_cumulative_rate_year_to_date(api: TestClient) -> None:
    measure = make_measure(api, code="FALLS", **CUMULATIVE_RATE)
    make_target(api, measure, "1102")
    make_actual(api, measure, "2025/26 Q1", value="260")
    make_actual(api, measure, "2025/26 Q2", value="300")
    row = api.get(f"{API}/scorecard", params={"period": "2025-10"}).json()["items"][0]
    assert row["period"] == "2025/26 Q2"
    assert (row["target"], row["actual"], row["period_actual"]) == ("551", "560", "300")
    assert row["rag"] == "amber"
    assert row["direction_previous"] == "worsening"


def test_scorecard_for_a_money_reduction_target(api: TestClient) -> None:
    measure = make_measure(
        api,
        code="SLE",
        unit="gbp",
        polarity="smaller_is_better",
        baseline_value="5200000",
        tolerance_kind="absolute",
        tolerance="50000",
    )
    make_target(api, measure, "376000", kind="reduction", note="£376k reduction")
    make_actual(api, measure, "2025-09", value="4860000")
    row = api.get(f"{API}/scorecard", params={"period": "2025-09"}).json()["items"][0]
    assert (row["target"], row["rag"]) == ("4824000", "amber")


def test_series_lists_every_period_with_target_rag_and_direction(api: TestClient) -> None:
    measure = make_measure(api, frequency="quarterly")
    make_target(api, measure, "50", year="2024/25")
    make_actual(api, measure, "2024/25 Q1", value="40")
    make_actual(api, measure, "2025/26 Q1", value="55")
    response = api.get(f"{API}/measures/{measure['id']}/series", params={"to_year": "2025/26"})
    assert response.status_code == 200, response.text
    points = {p["period"]: p for p in response.json()["points"]}
    assert points["2024/25 Q1"]["rag"] == "red"
    assert points["2024/25 Q2"]["rag"] == "no_data"
    assert points["2025/26 Q1"]["rag"] == "no_target"
    assert points["2025/26 Q1"]["direction_last_year"] == "improving"
    assert points["2025/26 Q1"]["status"] == "approved"


def test_a_bad_scorecard_period_is_422(api: TestClient) -> None:
    assert "period" in field_errors(api.get(f"{API}/scorecard", params={"period": "soon"}))


# Populations and benchmarks ---------------------------------------------------------------------


def test_benchmarks_crud_with_if_match(api: TestClient) -> None:
    measure = make_measure(api)
    created = api.post(
        f"{API}/benchmarks",
        json={
            "measure_id": measure["id"],
            "financial_year": "2024/25",
            "comparator": "national",
            "value": "77.8",
            "source": "Demo comparator",
        },
    )
    assert created.status_code == 201, created.text
    url = f"{API}/benchmarks/{created.json()['id']}"
    assert api.patch(url, json={"value": "78"}).status_code == 428
    changed = api.patch(url, json={"value": "78"}, headers={"If-Match": created.headers["ETag"]})
    assert changed.json()["value"] == "78"
    listed = api.get(f"{API}/benchmarks", params={"measure_id": measure["id"]}).json()
    assert listed["total"] == 1
    assert api.delete(url, headers={"If-Match": changed.headers["ETag"]}).status_code == 204


def test_populations_crud(api: TestClient) -> None:
    body = {"area": "Demo", "age_band": "65+", "financial_year": "2025/26", "population": 1}
    created = api.post(f"{API}/populations", json=body)
    assert created.status_code == 201
    assert "financial_year" in field_errors(api.post(f"{API}/populations", json=body))
    url = f"{API}/populations/{created.json()['id']}"
    changed = api.patch(
        url, json={"population": 25000}, headers={"If-Match": created.headers["ETag"]}
    )
    assert changed.json()["population"] == 25000
    assert api.get(f"{API}/populations").json()["total"] == 1
    assert api.delete(url, headers={"If-Match": changed.headers["ETag"]}).status_code == 204
    assert api.get(url).status_code == 404


def test_the_submitter_of_a_figure_cannot_approve_it(api: TestClient) -> None:
    measure = make_measure(api)
    actual = make_actual(api, measure, "2025-05", value="50", approve=False)
    url = f"{API}/actuals/{actual['id']}"
    submitted = api.post(f"{url}/submit", headers={"If-Match": '"1"'})
    refused = api.post(f"{url}/approve", headers={"If-Match": submitted.headers["ETag"]})
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("You submitted this figure, so someone else")
    assert api.get(url).json()["status"] == "submitted"
    approved = approver_for(api).post(
        f"{url}/approve", headers={"If-Match": submitted.headers["ETag"]}
    )
    assert approved.status_code == 200
    assert approved.json()["approved_value"] == "50"


def test_where_the_council_allows_it_a_one_person_team_approves_its_own_figure_marked_so(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    alone = api_as(
        make_caller(demo_org, Role.PROGRAMME_OFFICE).model_copy(update={"self_approval": True})
    )
    measure = make_measure(alone)
    actual = make_actual(alone, measure, "2025-05", value="50", approve=False)
    url = f"{API}/actuals/{actual['id']}"
    submitted = alone.post(f"{url}/submit", headers={"If-Match": '"1"'})
    approved = alone.post(f"{url}/approve", headers={"If-Match": submitted.headers["ETag"]})
    assert approved.status_code == 200, approved.text
    last = alone.get(f"{url}/revisions").json()["items"][-1]
    assert (last["action"], last["changed_by"], last["self_approved"]) == (
        "approved",
        "tester",
        True,
    )
    events = alone.get(f"{API}/audit-events", params={"entity": "actual_revisions"}).json()
    assert any(
        e["after"].get("self_approved") is True for e in events["items"] if e.get("after")
    ), events


# What entry refuses -----------------------------------------------------------------------------


def test_a_month_that_has_not_ended_is_refused_even_on_its_first_day(api: TestClient) -> None:
    measure = make_measure(api)
    running = Period.month_of(date.today())
    response = post_actual(api, measure, running.code, value="5")
    assert f"{running.label} has not ended yet" in field_errors(response)["period"]
    assert count_actuals(api) == 0


def test_a_quarter_is_refused_while_it_runs() -> None:
    measure = Measure(code="Q1", unit="count", frequency="quarterly")
    q3 = Period.parse("2026/27 Q3")
    with pytest.raises(ValidationFailed) as raised:
        check_figures(
            None,  # type: ignore[arg-type]
            measure,
            period=q3.code,
            value=None,
            numerator=None,
            denominator=None,
            today=date(2026, 12, 31),
        )
    messages = [e["message"] for e in raised.value.errors]
    assert "Q3 2026/27 has not ended yet: enter its figure from 1 January 2027" in messages
    # The day after the quarter ends, it is due.
    figures = check_figures(
        None,  # type: ignore[arg-type]
        measure,
        period=q3.code,
        value=Decimal(5),
        numerator=None,
        denominator=None,
        today=date(2027, 1, 1),
    )
    assert figures.value == 5


def test_a_count_measure_refuses_a_numerator_and_denominator(api: TestClient) -> None:
    measure = make_measure(api, unit="count")
    response = post_actual(api, measure, "2025-05", numerator="412", denominator="500")
    assert field_errors(response)["numerator"] == (
        "M1 is a count: enter the figure itself as the value, not a numerator and denominator"
    )
    assert count_actuals(api) == 0


# Commentary on Red and Amber figures ------------------------------------------------------------


@pytest.mark.parametrize(("value", "word"), [("60", "off track (Red)"), ("76", "at risk (Amber)")])
def test_a_red_or_amber_figure_is_submitted_only_with_commentary(
    api: TestClient, value: str, word: str
) -> None:
    measure = make_measure(api)
    make_target(api, measure, "78")
    actual = post_actual(api, measure, "2025-05", value=value)
    refused = api.post(
        f"{API}/actuals/{actual.json()['id']}/submit", headers={"If-Match": actual.headers["ETag"]}
    )
    assert field_errors(refused)["commentary"] == (
        f"This figure is {word}: say why, and what is being done about it"
    )
    assert api.get(f"{API}/actuals/{actual.json()['id']}").json()["status"] == "draft"


def test_a_green_figure_is_submitted_without_commentary_and_red_with_it(api: TestClient) -> None:
    measure = make_measure(api)
    make_target(api, measure, "78")
    assert make_actual(api, measure, "2025-05", value="80")["status"] == "approved"
    red = make_actual(api, measure, "2025-06", value="60", commentary="Two staff off sick")
    assert red["status"] == "approved"


def test_bulk_submission_of_a_red_figure_without_commentary_stores_nothing(
    api: TestClient,
) -> None:
    measure = make_measure(api)
    make_target(api, measure, "78")
    response = api.post(
        f"{API}/actuals/bulk",
        json={"submit": True, "rows": [{"measure_code": "M1", "period": "2025-05", "value": "60"}]},
    )
    assert "off track (Red)" in field_errors(response)["rows.0.commentary"]
    assert count_actuals(api) == 0


# As at a quarter's end or a date ----------------------------------------------------------------


def _reported_before_and_after_q2(api: TestClient) -> tuple[dict[str, Any], dict[str, Any]]:
    monthly = make_measure(api, code="M1")
    make_target(api, monthly, "78")
    make_actual(api, monthly, "2025-08", value="60", commentary="Short of staff")
    make_actual(api, monthly, "2025-11", value="90")  # after Q2: never in a Q2 report
    quarterly = make_measure(api, code="Q1", frequency="quarterly")
    make_target(api, quarterly, "78")
    make_actual(api, quarterly, "2025/26 Q2", value="77", commentary="Nearly there")
    make_actual(api, quarterly, "2025/26 Q3", value="95")
    return monthly, quarterly


@pytest.mark.parametrize("as_at", ["2025/26 Q2", "Q2 2025/26", "2025-09-30", "2025-10-15"])
def test_scorecard_as_at_shows_each_measures_latest_approved_figure_by_then_never_after(
    api: TestClient, as_at: str
) -> None:
    _reported_before_and_after_q2(api)
    card = api.get(f"{API}/scorecard", params={"as_at": as_at}).json()
    assert (card["period"], card["as_at"]) == ("2025-09", "2025-09-30" if "Q2" in as_at else as_at)
    rows = {row["measure"]["code"]: row for row in card["items"]}
    # September has no figure, so August's is the latest by then; November's is after.
    assert (rows["M1"]["period"], rows["M1"]["actual"], rows["M1"]["rag"]) == (
        "2025-08",
        "60",
        "red",
    )
    assert rows["M1"]["entry"]["commentary"] == "Short of staff"
    assert (rows["Q1"]["period"], rows["Q1"]["actual"], rows["Q1"]["rag"]) == (
        "2025/26 Q2",
        "77",
        "amber",
    )


def test_scorecard_as_at_before_any_figure_says_no_data(api: TestClient) -> None:
    _reported_before_and_after_q2(api)
    card = api.get(f"{API}/scorecard", params={"as_at": "2025/26 Q1"}).json()
    assert {row["rag"] for row in card["items"]} == {"no_data"}


def test_series_as_at_ends_with_the_last_period_ended_by_then(api: TestClient) -> None:
    monthly, _ = _reported_before_and_after_q2(api)
    points = api.get(f"{API}/measures/{monthly['id']}/series", params={"as_at": "2025/26 Q2"})
    assert points.json()["points"][-1]["period"] == "2025-09"
    assert "2025-11" not in [p["period"] for p in points.json()["points"]]


@pytest.mark.parametrize(
    "params", [{"as_at": "garbage"}, {"as_at": "2025/26 Q2", "period": "2025-09"}]
)
def test_a_bad_as_at_is_422_naming_it(api: TestClient, params: dict[str, str]) -> None:
    assert "as_at" in field_errors(api.get(f"{API}/scorecard", params=params))


# What the API displays, and where the year is heading -------------------------------------------


def test_scorecard_gives_the_exact_figure_and_its_display_to_the_measures_places(
    api: TestClient,
) -> None:
    share = make_measure(api, decimal_places=1)
    make_target(api, share, "12")
    make_actual(api, share, "2025-09", numerator="452", denominator="3813")
    row = api.get(f"{API}/scorecard", params={"period": "2025-09"}).json()["items"][0]
    assert (row["actual"], row["actual_display"]) == ("11.854183", "11.9")
    assert (row["target"], row["target_display"]) == ("12", "12.0")


def test_scorecard_forecasts_the_year_end_rag_from_the_trajectory(api: TestClient) -> None:
    falling = make_measure(api, code="F1", tolerance="5")
    make_target(api, falling, "78")
    for month, value in (("2025-04", "80"), ("2025-05", "79"), ("2025-06", "78")):
        make_actual(api, falling, month, value=value)
    carers = make_measure(api, code="C1", unit="count", target_type="cumulative")
    make_target(api, carers, "1200")
    for month in ("2025-04", "2025-05", "2025-06"):
        make_actual(api, carers, month, value="110")  # 1,320 a year at this rate
    rows = {
        r["measure"]["code"]: r
        for r in api.get(f"{API}/scorecard", params={"period": "2025-06"}).json()["items"]
    }
    # Green now; one point a month down the line gives 69 in March, beyond 5% of 78.
    assert (rows["F1"]["rag"], rows["F1"]["year_end_forecast"]) == ("green", "69")
    assert rows["F1"]["year_end_rag"] == "red"
    assert (rows["C1"]["year_end_forecast"], rows["C1"]["year_end_rag"]) == ("1320", "green")
