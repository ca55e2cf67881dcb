"""A savings line's benefit worked by formula: the working in words, audited inputs, KPI actuals
moving achieved-to-date, and totals that keep opportunity, planned and achieved apart."""

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from tests.finance.factories import make_savings_line
from tests.kpi.factories import make_actual, make_measure

FINANCE = "/api/v1/finance"


def _people_weeks(people: str = "120", actual: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "method": "people_weeks",
        "inputs": {
            "people": {"planned": people, "actual": actual},
            "weekly_difference": {"planned": "28.40"},
            "weeks": {"planned": "38.1"},
        },
    } | extra


def _set(
    api: TestClient, line: dict[str, Any], body: dict[str, Any], etag: str | None = None
) -> Any:
    headers = {"If-Match": etag} if etag else {}
    return api.put(f"{FINANCE}/savings-lines/{line['id']}/benefit", json=body, headers=headers)


def test_a_line_shows_its_working_in_words(api: TestClient) -> None:
    line = make_savings_line(api)
    response = _set(api, line, _people_weeks())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["planned"] == {
        "amount": "129844.80",
        "words": "120 people × £28.40 a week × 38.1 weeks = £129,844.80",
    }
    assert body["achieved_to_date"] is None
    assert "nearest penny" in body["rounding"]
    read = api.get(f"{FINANCE}/savings-lines/{line['id']}/benefit")
    assert read.json()["planned"]["amount"] == "129844.80"


def test_actual_inputs_give_achieved_to_date_by_the_same_formula(api: TestClient) -> None:
    line = make_savings_line(api)
    body = _set(api, line, _people_weeks(actual="45")).json()
    assert body["achieved_to_date"]["words"] == (
        "45 people × £28.40 a week × 38.1 weeks = £48,691.80"
    )


def test_a_missing_input_and_fractions_of_a_penny_are_refused_by_field(api: TestClient) -> None:
    line = make_savings_line(api)
    body = _people_weeks()
    del body["inputs"]["weeks"]
    body["inputs"]["weekly_difference"]["planned"] = "28.405"
    response = _set(api, line, body)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"inputs.weeks", "inputs.weekly_difference.planned"} <= fields


def test_every_input_change_is_audited_and_needs_if_match(api: TestClient) -> None:
    line = make_savings_line(api)
    first = _set(api, line, _people_weeks())
    assert _set(api, line, _people_weeks(people="130")).status_code == 428
    changed = _set(api, line, _people_weeks(people="130"), etag=first.headers["ETag"])
    assert changed.status_code == 200, changed.text
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert (
        _set(api, line, _people_weeks(people="140"), etag=first.headers["ETag"]).status_code == 412
    )
    events = api.get(f"{FINANCE}/audit-events", params={"entity": "benefit_inputs"}).json()["items"]
    updates = [e for e in events if e["action"] == "update"]
    assert any(
        (Decimal(e["before"]["planned"]), Decimal(e["after"]["planned"]))
        == (Decimal(120), Decimal(130))
        for e in updates
    ), [(e["action"], e["before"], e["after"]) for e in events]


def test_a_kpi_linked_to_an_input_moves_achieved_to_date(api: TestClient) -> None:
    measure = make_measure(api, code="REV", title="People reviewed", unit="count")
    line = make_savings_line(api)
    body = _people_weeks()
    body["inputs"]["people"] |= {"measure_id": measure["id"], "measure_reading": "latest"}
    assert _set(api, line, body).json()["achieved_to_date"] is None
    make_actual(api, measure, "2025-04", value="30")
    make_actual(api, measure, "2025-05", value="45")
    read = api.get(f"{FINANCE}/savings-lines/{line['id']}/benefit").json()
    people = next(i for i in read["inputs"] if i["name"] == "people")
    assert people["actual_from_measure"] == "45"
    assert read["achieved_to_date"]["amount"] == "48691.80"


def test_an_unknown_kpi_is_refused_on_its_input(api: TestClient) -> None:
    line = make_savings_line(api)
    body = _people_weeks()
    body["inputs"]["people"]["measure_id"] = "00000000-0000-0000-0000-000000000001"
    response = _set(api, line, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "inputs.people.measure_id"


def test_totals_keep_opportunity_planned_and_achieved_apart_and_count_overlap_once(
    api: TestClient,
) -> None:
    review = make_savings_line(api, reference="SAV-01")
    reablement = make_savings_line(api, reference="SAV-02")
    prize = make_savings_line(api, reference="SAV-03")
    _set(api, review, _people_weeks(actual="45"))
    _set(
        api,
        reablement,
        {
            "method": "units_cost",
            "inputs": {"units": {"planned": "100"}, "unit_cost": {"planned": "500"}},
            "overlaps_line_id": review["id"],
            "overlap_percent": "50",
        },
    )
    _set(
        api,
        prize,
        {
            "method": "spend_reduction",
            "stage": "opportunity",
            "spend_line": "residential care",
            "inputs": {"spend": {"planned": "24000000"}, "reduction_percent": {"planned": "10"}},
        },
    )
    totals = api.get(f"{FINANCE}/benefits/totals").json()
    assert totals["opportunity"]["net"] == "2400000.00"
    assert totals["planned"]["gross"] == "179844.80"
    assert totals["planned"]["net"] == "154844.80"
    assert [n["words"] for n in totals["planned"]["notes"]] == [
        "£25,000.00 not counted twice: SAV-02 overlaps SAV-01"
    ]
    assert totals["achieved"]["net"] == "48691.80"
    assert not {"total", "grand_total", "sum"} & totals.keys()
