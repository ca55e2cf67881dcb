"""Small factories for finance tests: each makes one record through the API and returns its JSON."""

from typing import Any

from fastapi.testclient import TestClient

from tests.helpers import created


def make_budget_line(api: TestClient, **overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "name": "Learning Disabilities",
        "service_area": "Adult Social Care",
        "cost_centre": "LD100",
        "budgets": [{"financial_year": "2025/26", "original_budget": "£1.2m"}],
    } | overrides
    response = api.post("/api/v1/finance/budget-lines", json=payload)
    return created(response)


def add_forecast(
    api: TestClient, line_id: str, month: str, amount: str, **extra: Any
) -> dict[str, Any]:
    response = api.post(
        f"/api/v1/finance/budget-lines/{line_id}/forecasts",
        json={"month": month, "forecast_outturn": amount} | extra,
    )
    return created(response)


def make_savings_line(
    api: TestClient,
    *,
    in_year: str | None = None,
    financial_year: str = "2025/26",
    **overrides: Any,
) -> dict[str, Any]:
    """A savings line with targets for three years, or, given `in_year`, one target of
    `financial_year` only."""
    if in_year is not None:
        overrides["targets"] = [{"financial_year": financial_year, "in_year": in_year}]
    payload: dict[str, Any] = {
        "reference": "SAV-01",
        "title": "Supported Living Efficiencies",
        "owner_team": "Commissioning Team",
        "category": "care_package_reviews",
        "saving_type": "cashable",
        "recurrence": "recurring",
        "delivery_confidence": "amber",
        "status": "in_delivery",
        "targets": [
            {"financial_year": "2025/26", "in_year": "£376k"},
            {"financial_year": "2026/27", "in_year": "£575k"},
            {"financial_year": "2027/28", "in_year": "£576k"},
        ],
    } | overrides
    response = api.post("/api/v1/finance/savings-lines", json=payload)
    return created(response)


def make_income_line(api: TestClient, **overrides: Any) -> dict[str, Any]:
    """The Client Finances Team's Income Review, an income line in green confidence."""
    income = {
        "title": "Income Review",
        "owner_team": "Client Finances Team",
        "category": "income_and_charging",
        "delivery_confidence": "green",
    }
    return make_savings_line(api, **income | overrides)


def make_falls_prevention_line(
    api: TestClient, reference: str = "SAV-02", in_year: str = "£1m", **overrides: Any
) -> dict[str, Any]:
    """Falls prevention, a cost avoidance line with one year's target (£1m in 2025/26)."""
    return make_savings_line(
        api,
        reference=reference,
        title="Falls prevention",
        saving_type="cost_avoidance",
        in_year=in_year,
        **overrides,
    )


def add_entry(
    api: TestClient, line_id: str, month: str, achieved: str, forecast: str, **extra: Any
) -> dict[str, Any]:
    response = api.post(
        f"/api/v1/finance/savings-lines/{line_id}/entries",
        json={"month": month, "achieved_to_date": achieved, "forecast_for_year": forecast} | extra,
    )
    return created(response)


def make_cashable_and_avoided(api: TestClient, year: str) -> None:
    """A cashable line (£400k target) and a cost avoidance line (£1m) of `year`, with September
    returns of £100k achieved of £300k forecast and £600k of £900k."""
    cashable = make_savings_line(api, in_year="£400k", financial_year=year)
    avoided = make_falls_prevention_line(api, financial_year=year)
    add_entry(api, cashable["id"], f"{year[:4]}-09", "£100k", "£300k")
    add_entry(api, avoided["id"], f"{year[:4]}-09", "£600k", "£900k")
