"""The savings figures members are shown: split by type, in the councils' BRAG, as at a day, and
returns far above target confirmed before they count."""

from typing import Any

from fastapi.testclient import TestClient

from tests.finance.factories import add_entry, make_cashable_and_avoided, make_savings_line
from tests.helpers import field_errors

LINES = "/api/v1/finance/savings-lines"
TOTALS = "/api/v1/finance/savings/totals"
YEAR = "2025/26"


def _one_of_each_type(api: TestClient) -> None:
    make_cashable_and_avoided(api, YEAR)
    make_savings_line(
        api,
        reference="SAV-03",
        title="Staff time released",
        saving_type="non_cashable",
        in_year="£50k",
        financial_year=YEAR,
    )


def _by_type(totals: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["saving_type"]: t for t in totals["by_type"]}


def test_totals_are_split_by_type_and_cost_avoidance_is_not_a_saving(api: TestClient) -> None:
    _one_of_each_type(api)
    for totals in (
        api.get(LINES, params={"financial_year": YEAR}).json()["totals"],
        api.get(TOTALS, params={"by": "category", "financial_year": YEAR}).json()["overall"],
    ):
        types = _by_type(totals)
        assert list(types) == ["cashable", "non_cashable", "cost_avoidance"]
        assert types["cashable"]["label"] == "Cashable"
        assert (types["cashable"]["target"], types["cashable"]["achieved_to_date"]) == (
            "400000.00",
            "100000.00",
        )
        assert types["cost_avoidance"]["forecast_for_year"] == "900000.00"
        assert types["non_cashable"]["lines_without_return"] == 1
        assert totals["cashable_percent_delivered"] == "25.0"
        assert totals["cashable_percent_forecast"] == "75.0"


def test_totals_by_year_split_each_year_by_type(api: TestClient) -> None:
    _one_of_each_type(api)
    year = api.get(TOTALS, params={"by": "year"}).json()["groups"][0]
    assert _by_type(year)["cashable"]["target"] == "400000.00"


def test_each_line_has_the_councils_brag_and_the_totals_count_them(api: TestClient) -> None:
    def line(ref: str, **fields: Any) -> dict[str, Any]:
        return make_savings_line(api, reference=ref, in_year="£100k", financial_year=YEAR, **fields)

    delivered = line("B", status="delivered")
    on_track = line("G", delivery_confidence="green")
    short = line("A1", delivery_confidence="green")
    line("A2", delivery_confidence="amber")
    line("R1", delivery_confidence="red")
    line("R2", status="written_off", written_off_reason="Market moved")
    add_entry(api, delivered["id"], "2025-09", "£100k", "£100k")
    add_entry(api, on_track["id"], "2025-09", "£50k", "£100k")
    add_entry(api, short["id"], "2025-09", "£50k", "£80k")  # green, but forecast short of target
    page = api.get(LINES, params={"financial_year": YEAR}).json()
    assert {r["reference"]: r["selected"]["brag"] for r in page["items"]} == {
        "A1": "amber",
        "A2": "amber",
        "B": "blue",
        "G": "green",
        "R1": "red",
        "R2": "red",
    }
    assert page["totals"]["brag"] == {"blue": 1, "green": 1, "amber": 2, "red": 2}
    assert {r["reference"]: r["selected"]["brag_label"] for r in page["items"]}["B"] == (
        "Delivered (Blue)"
    )


def test_the_tracker_and_totals_as_at_a_quarter_use_no_later_return(api: TestClient) -> None:
    line = make_savings_line(api)
    add_entry(api, line["id"], "2026-07", "£100k", "£500k", note="July")
    add_entry(api, line["id"], "2026-11", "£300k", "£575k", note="November")
    page = api.get(LINES, params={"as_at": "2026/27 Q2"}).json()
    assert page["financial_year"] == "2026/27"  # the year of the day asked for
    selected = page["items"][0]["selected"]
    assert (selected["latest_month"], selected["achieved_to_date"]) == ("2026-07", "100000.00")
    assert selected["latest_note"] == "July"
    totals = api.get(TOTALS, params={"by": "type", "as_at": "2026/27 Q2"}).json()
    assert totals["financial_year"] == "2026/27"
    assert totals["overall"]["achieved_to_date"] == "100000.00"
    before = api.get(LINES, params={"as_at": "2026-06-30"}).json()["items"][0]["selected"]
    assert before["latest_month"] is None


def test_an_as_at_that_is_no_day_is_refused_on_the_field(api: TestClient) -> None:
    response = api.get(LINES, params={"as_at": "Q9"})
    assert response.status_code == 422
    assert "as_at" in field_errors(response)


def test_a_forecast_more_than_double_the_target_needs_confirming_with_a_note(
    api: TestClient,
) -> None:
    line = make_savings_line(api)  # £376k target in 2025/26
    url = f"{LINES}/{line['id']}/entries"
    body = {"month": "2025-09", "achieved_to_date": "£10k", "forecast_for_year": "£800k"}
    refused = api.post(url, json=body)
    assert refused.status_code == 422
    assert "more than double" in field_errors(refused)["forecast_for_year"]
    no_note = api.post(url, json=body | {"confirm": True})
    assert no_note.status_code == 422
    assert "note" in field_errors(no_note)
    saved = api.post(url, json=body | {"confirm": True, "note": "Two homes closed early"})
    assert saved.status_code == 201, saved.text
    changed = api.patch(
        f"{url}/2025-09",
        json={"forecast_for_year": "£900k", "note": ""},
        headers={"If-Match": f'"{saved.json()["version"]}"'},
    )
    assert changed.status_code == 422
    assert "more than double" in field_errors(changed)["forecast_for_year"]
    exactly_double = make_savings_line(api, reference="SAV-09")
    assert (
        api.post(
            f"{LINES}/{exactly_double['id']}/entries",
            json=body | {"forecast_for_year": "£752k"},
        ).status_code
        == 201
    )
