"""Month by month through a year, for the director's dashboard: cashable savings against their
target (`GET /finance/savings/trend`) and the forecast outturn against the budget
(`GET /finance/budget/trend`). Exact pence, and a month with no figures says so (None)."""

from fastapi.testclient import TestClient

from common.periods import FinancialYear
from tests.finance.factories import add_entry, add_forecast, make_budget_line, make_savings_line

YEAR = "2025/26"


def test_cashable_savings_each_month_total_every_lines_latest_return(api: TestClient) -> None:
    first = make_savings_line(api, reference="S1", in_year="100000.10", financial_year=YEAR)
    second = make_savings_line(api, reference="S2", in_year="50000.05", financial_year=YEAR)
    make_savings_line(
        api,
        reference="AV",
        saving_type="cost_avoidance",
        in_year="999999",
        financial_year=YEAR,
    )
    add_entry(api, first["id"], "2025-04", "1000.01", "90000.00")
    add_entry(api, second["id"], "2025-05", "2000.02", "50000.05")
    add_entry(api, first["id"], "2025-06", "3000.03", "95000.00")
    response = api.get("/api/v1/finance/savings/trend", params={"financial_year": YEAR})
    assert response.status_code == 200, response.text
    trend = response.json()
    assert (trend["saving_type"], trend["lines"], trend["target"]) == ("cashable", 2, "150000.15")
    months = {m["month"]: m for m in trend["months"]}
    assert list(months) == [f"{m:%Y-%m}" for m in FinancialYear.parse(YEAR).months()]
    assert months["2025-04"] == {
        "month": "2025-04",
        "achieved_to_date": "1000.01",
        "forecast_for_year": "90000.00",
        "lines_with_return": 1,
    }
    assert (months["2025-05"]["achieved_to_date"], months["2025-05"]["forecast_for_year"]) == (
        "3000.03",
        "140000.05",
    )
    assert months["2025-06"]["achieved_to_date"] == "5000.05"
    assert months["2025-06"]["lines_with_return"] == 2
    # Nothing reported after June: no figures, not June's carried on.
    assert months["2025-07"]["achieved_to_date"] is None
    assert months["2025-07"]["lines_with_return"] == 0


def test_a_year_with_no_returns_has_a_target_and_no_monthly_figures(api: TestClient) -> None:
    make_savings_line(api, in_year="376000", financial_year=YEAR)
    trend = api.get("/api/v1/finance/savings/trend", params={"financial_year": YEAR}).json()
    assert trend["target"] == "376000.00"
    assert {m["forecast_for_year"] for m in trend["months"]} == {None}


def test_the_forecast_outturn_each_month_against_the_budget(api: TestClient) -> None:
    budget = [{"financial_year": YEAR, "original_budget": "1000000.50"}]
    first = make_budget_line(api, name="Learning Disabilities", budgets=budget)
    second = make_budget_line(
        api,
        name="Older People",
        cost_centre="OP1",
        budgets=[{"financial_year": YEAR, "original_budget": "500000"}],
    )
    add_forecast(api, first["id"], "2025-04", "1000100.50")
    add_forecast(api, second["id"], "2025-04", "499000.00")
    add_forecast(api, first["id"], "2025-05", "1000200.75")
    response = api.get("/api/v1/finance/budget/trend", params={"financial_year": YEAR})
    assert response.status_code == 200, response.text
    trend = response.json()
    assert (trend["financial_year"], trend["lines"], trend["budget"]) == (YEAR, 2, "1500000.50")
    months = {m["month"]: m for m in trend["months"]}
    assert months["2025-04"] == {
        "month": "2025-04",
        "forecast_outturn": "1499100.50",
        "variance": "-900.00",
        "lines_with_forecast": 2,
    }
    assert (months["2025-05"]["forecast_outturn"], months["2025-05"]["variance"]) == (
        "1000200.75",
        "200.25",
    )
    assert months["2025-05"]["lines_with_forecast"] == 1
    assert months["2025-06"] == {
        "month": "2025-06",
        "forecast_outturn": None,
        "variance": None,
        "lines_with_forecast": 0,
    }


def test_the_budget_trend_defaults_to_the_year_of_the_latest_forecast(api: TestClient) -> None:
    line = make_budget_line(api)
    add_forecast(api, line["id"], "2025-09", "1200000")
    assert api.get("/api/v1/finance/budget/trend").json()["financial_year"] == YEAR


def test_a_bad_year_is_a_422_on_financial_year(api: TestClient) -> None:
    for path in ("/api/v1/finance/budget/trend", "/api/v1/finance/savings/trend"):
        response = api.get(path, params={"financial_year": "last year"})
        assert response.status_code == 422, path
        assert [e["field"] for e in response.json()["errors"]] == ["financial_year"]
