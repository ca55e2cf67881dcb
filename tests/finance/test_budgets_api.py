"""Budget lines, monthly forecasts and the budget position through the gateway."""

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.finance.factories import add_forecast, make_budget_line
from tests.helpers import field_errors

LINES = "/api/v1/finance/budget-lines"


def test_budget_accepts_the_ways_reports_write_money(api: TestClient) -> None:
    line = make_budget_line(
        api,
        budgets=[
            {"financial_year": "2025/26", "original_budget": "£1.2m", "current_budget": "£1,250k"},
            {"financial_year": "26/27", "original_budget": "1,234.50"},
        ],
    )
    assert line["budgets"] == [
        {
            "financial_year": "2025/26",
            "original_budget": "1200000.00",
            "current_budget": "1250000.00",
        },
        {"financial_year": "2026/27", "original_budget": "1234.50", "current_budget": "1234.50"},
    ]


@pytest.mark.parametrize("amount", ["about £3k", "1,23", "£1m-£2m", "£1.2.3m", "1.005"])
def test_ambiguous_money_is_refused_with_a_field_message(api: TestClient, amount: str) -> None:
    response = api.post(
        LINES,
        json={
            "name": "Older People",
            "budgets": [{"financial_year": "2025/26", "original_budget": amount}],
        },
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    errors = field_errors(response)
    assert "budgets.0.original_budget" in errors
    assert (
        "money" in errors["budgets.0.original_budget"]
        or "penny" in errors["budgets.0.original_budget"]
    )


def test_a_name_alone_still_makes_a_budget_line_and_lists(api: TestClient) -> None:
    created = api.post(LINES, json={"name": "Commissioning"})
    assert created.status_code == 201
    listed = api.get(LINES, params={"limit": 10}).json()
    assert [line["name"] for line in listed["items"]] == ["Commissioning"]
    assert listed["total"] == 1


def test_list_filters_by_financial_year(api: TestClient) -> None:
    make_budget_line(api, name="Mental Health")
    make_budget_line(
        api,
        name="Physical Support",
        budgets=[{"financial_year": "2026/27", "original_budget": "100"}],
    )
    listed = api.get(LINES, params={"financial_year": "2026/27"}).json()
    assert [line["name"] for line in listed["items"]] == ["Physical Support"]


def test_a_forecast_month_outside_the_financial_year_is_refused(api: TestClient) -> None:
    line = make_budget_line(api)
    refused = api.post(
        f"{LINES}/{line['id']}/forecasts",
        json={"month": "2026-04", "financial_year": "2025/26", "forecast_outturn": "1"},
    )
    assert "April 2026 is not in financial year 2025/26" in field_errors(refused)["month"]


def test_a_month_that_is_not_a_month_is_refused(api: TestClient) -> None:
    line = make_budget_line(api)
    response = api.post(
        f"{LINES}/{line['id']}/forecasts", json={"month": "2025-13", "forecast_outturn": "1"}
    )
    assert response.status_code == 422
    assert "month" in field_errors(response)


def test_a_second_forecast_for_the_same_month_conflicts(api: TestClient) -> None:
    line = make_budget_line(api)
    add_forecast(api, line["id"], "2025-09", "1")
    response = api.post(
        f"{LINES}/{line['id']}/forecasts", json={"month": "2025-09", "forecast_outturn": "2"}
    )
    assert response.status_code == 409


def test_budget_position_per_line_and_in_total_to_the_penny(api: TestClient) -> None:
    ld = make_budget_line(
        api,
        name="Learning Disabilities",
        budgets=[
            {
                "financial_year": "2025/26",
                "original_budget": "£30m",
                "current_budget": "30,500,000.10",
            }
        ],
    )
    income = make_budget_line(
        api,
        name="Client Finances income",
        cost_centre="INC01",
        budgets=[{"financial_year": "2025/26", "original_budget": "-£5m"}],
    )
    quiet = make_budget_line(api, name="Commissioning")
    add_forecast(api, ld["id"], "2025-08", "31,000,000.00")
    add_forecast(api, ld["id"], "2025-09", "30,899,999.99", commentary="Fewer new placements")
    add_forecast(api, income["id"], "2025-09", "-4,800,000.05")
    add_forecast(api, quiet["id"], "2025-10", "1")  # a later month is not in September's view

    position = api.get("/api/v1/finance/budget/position", params={"month": "2025-09"}).json()
    by_name = {line["name"]: line for line in position["lines"]}
    assert position["financial_year"] == "2025/26"
    assert by_name["Learning Disabilities"]["variance"] == "399999.89"
    assert by_name["Learning Disabilities"]["movement"] == "-100000.01"
    assert by_name["Learning Disabilities"]["variance_words"] == "overspend"
    assert by_name["Learning Disabilities"]["commentary"] == "Fewer new placements"
    assert by_name["Client Finances income"]["variance"] == "199999.95"
    assert by_name["Client Finances income"]["movement"] is None
    assert by_name["Commissioning"]["forecast_outturn"] is None
    assert [p["month"] for p in by_name["Learning Disabilities"]["trend"]] == ["2025-08", "2025-09"]
    assert position["totals"] == {
        "original_budget": "26200000.00",
        "budget": "26700000.10",
        "forecast_outturn": "26099999.94",
        "variance": "599999.84",
        "variance_words": "overspend",
        "movement": "-100000.01",
        "original_forecast": "26199999.95",
        "movement_since_original": "-100000.01",
        "lines_with_forecast": 2,
        "lines_without_forecast": 1,
    }


def test_budget_position_defaults_to_the_newest_month_with_a_forecast(api: TestClient) -> None:
    line = make_budget_line(api)
    add_forecast(api, line["id"], "2025-07", "1")
    add_forecast(api, line["id"], "2025-11", "2")
    assert api.get("/api/v1/finance/budget/position").json()["month"] == "2025-11"


def _position_csv(api: TestClient, forecast: str, **line: Any) -> list[list[str]]:
    """The rows of September 2025's budget position CSV, for one line forecast at `forecast`."""
    made = make_budget_line(api, **line)
    add_forecast(api, made["id"], "2025-09", forecast)
    response = api.get("/api/v1/finance/budget/position.csv", params={"month": "2025-09"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.text)))


def test_budget_position_exports_as_csv_with_a_totals_row(api: TestClient) -> None:
    rows = _position_csv(api, "1,300,000", name="=Older People")
    assert rows[0][:4] == ["Service area", "Budget line", "Cost centre", "Original budget"]
    assert rows[1][1] == "'=Older People"  # a spreadsheet must not run it as a formula
    assert rows[1][6] == "100000.00"
    assert rows[-1][0] == "Total"


def test_budget_position_csv_keeps_its_output_an_underspend_as_a_plain_number(
    api: TestClient,
) -> None:
    rows = _position_csv(api, "1,000,000")
    assert rows[0][0] == "Service area"  # no byte order mark: the API's CSV is unchanged
    assert rows[1][6] == "-200000.00"


def test_update_needs_the_current_etag(api: TestClient) -> None:
    line = make_budget_line(api)
    url = f"{LINES}/{line['id']}"
    etag = api.get(url).headers["ETag"]
    assert api.patch(url, json={"cost_centre": "X"}).status_code == 428
    assert (
        api.patch(url, json={"cost_centre": "X"}, headers={"If-Match": '"99"'}).status_code == 412
    )
    changed = api.patch(
        url,
        json={
            "budgets": [
                {"financial_year": "2025/26", "original_budget": "£1.2m", "current_budget": "£1.3m"}
            ]
        },
        headers={"If-Match": etag},
    )
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert changed.json()["budgets"][0]["current_budget"] == "1300000.00"
    # the first ETag is now stale
    assert api.patch(url, json={"cost_centre": "Y"}, headers={"If-Match": etag}).status_code == 412


def test_forecast_update_needs_if_match_and_recomputes_variance(api: TestClient) -> None:
    line = make_budget_line(api)
    created = add_forecast(api, line["id"], "2025-09", "1,200,000")
    url = f"{LINES}/{line['id']}/forecasts/2025-09"
    assert api.patch(url, json={"forecast_outturn": "1"}).status_code == 428
    changed = api.patch(
        url, json={"forecast_outturn": "£1.21m"}, headers={"If-Match": f'"{created["version"]}"'}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["variance"] == "10000.00"


def test_deleting_a_budget_line_needs_if_match(api: TestClient) -> None:
    line = make_budget_line(api)
    url = f"{LINES}/{line['id']}"
    assert api.delete(url).status_code == 428
    assert api.delete(url, headers={"If-Match": '"1"'}).status_code == 204
    assert api.get(url).status_code == 404


@pytest.mark.parametrize("amount", [1e30, "9" * 40, "£1,000bn"])
def test_an_amount_too_large_for_a_council_is_a_field_error_not_a_crash(
    api: TestClient, amount: object
) -> None:
    response = api.post(
        LINES,
        json={"name": "X", "budgets": [{"financial_year": "2025/26", "original_budget": amount}]},
    )
    assert response.status_code == 422
    assert "too large" in field_errors(response)["budgets.0.original_budget"]


POSITION = "/api/v1/finance/budget/position"


def _overspend_falling_since_april(api: TestClient) -> dict[str, object]:
    """A £10m line forecast at £13.7m in April, £13.5m in June and £13.1m in September."""
    line = make_budget_line(api, budgets=[{"financial_year": "2025/26", "original_budget": "£10m"}])
    add_forecast(api, line["id"], "2025-04", "£13.7m")
    add_forecast(api, line["id"], "2025-06", "£13.5m")
    add_forecast(api, line["id"], "2025-09", "£13.1m")
    return line


def test_movement_is_against_the_latest_earlier_forecast_whatever_month_it_was(
    api: TestClient,
) -> None:
    _overspend_falling_since_april(api)
    line = api.get(POSITION, params={"month": "2025-09"}).json()["lines"][0]
    assert line["previous_forecast"] == "13500000.00"
    assert line["previous_month"] == "2025-06"
    assert line["movement"] == "-400000.00"  # since June, though August had no forecast
    assert api.get(POSITION, params={"month": "2025-09"}).json()["totals"]["movement"] == (
        "-400000.00"
    )


def test_movement_against_the_years_original_forecast_in_the_api_and_csv(
    api: TestClient,
) -> None:
    line = _overspend_falling_since_april(api)
    position = api.get(POSITION, params={"month": "2025-09"}).json()
    row = position["lines"][0]
    assert (row["original_forecast"], row["original_month"]) == ("13700000.00", "2025-04")
    assert row["movement_since_original"] == "-600000.00"
    assert position["totals"]["original_forecast"] == "13700000.00"
    assert position["totals"]["movement_since_original"] == "-600000.00"
    forecasts = api.get(f"{LINES}/{line['id']}/forecasts").json()["items"]
    assert [f["movement_since_original"] for f in forecasts] == ["0.00", "-200000.00", "-600000.00"]
    assert [f["movement"] for f in forecasts] == [None, "-200000.00", "-400000.00"]
    rows = list(csv.DictReader(io.StringIO(api.get(f"{POSITION}.csv?month=2025-09").text)))
    assert rows[0]["Original forecast"] == "13700000.00"
    assert rows[0]["Movement since original forecast"] == "-600000.00"
    assert rows[-1]["Movement since original forecast"] == "-600000.00"


def test_the_position_as_at_a_quarter_is_the_latest_forecast_inside_it_never_after(
    api: TestClient,
) -> None:
    _overspend_falling_since_april(api)
    q1 = api.get(POSITION, params={"as_at": "2025/26 Q1"}).json()
    assert (q1["month"], q1["totals"]["forecast_outturn"]) == ("2025-06", "13500000.00")
    assert q1["as_at"] == "2025-06-30"
    q3 = api.get(POSITION, params={"as_at": "2025-12-31"}).json()
    assert q3["month"] == "2025-09"  # the latest forecast before the quarter's end
    empty = api.get(POSITION, params={"as_at": "2026/27 Q1"}).json()
    assert empty["totals"]["lines_with_forecast"] == 0
    assert empty["financial_year"] == "2026/27"


def test_the_forecasts_as_at_a_day_leave_out_later_months(api: TestClient) -> None:
    line = _overspend_falling_since_april(api)
    forecasts = api.get(f"{LINES}/{line['id']}/forecasts", params={"as_at": "2025/26 Q1"}).json()[
        "items"
    ]
    assert [f["month"] for f in forecasts] == ["2025-04", "2025-06"]


def test_an_as_at_that_names_no_day_is_a_field_error(api: TestClient) -> None:
    response = api.get(POSITION, params={"as_at": "garbage"})
    assert response.status_code == 422
    assert "as at" in field_errors(response)["as_at"]
