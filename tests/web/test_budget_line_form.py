"""A budget line's form asks its original and current budget for each financial year it has;
a change sends the year's amounts exactly as typed, with the ETag, and keeps the other years."""

from datetime import date

from fastapi.testclient import TestClient

from common.periods import FinancialYear
from tests.finance.factories import make_budget_line
from tests.web.test_editing_pages import etag_in, no_raw_messages

LINES = "/api/v1/finance/budget-lines"


def test_a_budget_lines_amounts_are_changed_year_by_year_to_the_penny(api: TestClient) -> None:
    line = make_budget_line(
        api,
        budgets=[
            {"financial_year": "2025/26", "original_budget": "£1.2m"},
            {"financial_year": "2026/27", "original_budget": "1,250,000"},
        ],
    )
    form = api.get(f"/budget/lines/{line['id']}/edit")
    assert form.status_code == 200
    for label in ("Original budget for 2025/26", "Current budget for 2026/27"):
        assert label in form.text
    assert 'name="budget_2025_26_current" type="text" value="1200000.00"' in form.text
    answers = {
        "name": line["name"],
        "service_area": line["service_area"],
        "cost_centre": line["cost_centre"],
        "budget_2025_26_original": "1200000.00",
        "budget_2025_26_current": "£1,234,567.89",
        "budget_2026_27_original": "1250000.00",
        "budget_2026_27_current": "1250000.00",
        "etag": etag_in(form.text),
    }
    saved = api.post(f"/budget/lines/{line['id']}/edit", data=answers, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    budgets = {b["financial_year"]: b for b in api.get(f"{LINES}/{line['id']}").json()["budgets"]}
    assert budgets["2025/26"]["current_budget"] == "1234567.89"
    assert budgets["2025/26"]["original_budget"] == "1200000.00"
    assert budgets["2026/27"]["current_budget"] == "1250000.00"

    stale = api.post(
        f"/budget/lines/{line['id']}/edit", data=answers | {"budget_2025_26_current": "1"}
    )
    assert stale.status_code == 409  # the conflict page: someone (this person) saved first
    assert "Someone else changed this budget line" in stale.text


def test_a_new_budget_line_is_asked_this_years_budget(api: TestClient) -> None:
    this_year = FinancialYear.containing(date.today()).label
    page = api.get("/budget/lines/new")
    assert f"Original budget for {this_year}" in page.text
    code = this_year.replace("/", "_")
    refused = api.post(
        "/budget/lines/new",
        data={"name": "Carers", f"budget_{code}_original": "lots"},
    )
    assert refused.status_code == 422
    no_raw_messages(refused.text)
    assert 'value="lots"' in refused.text
    saved = api.post(
        "/budget/lines/new",
        data={"name": "Carers", f"budget_{code}_original": "-£10,000.05"},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    (created,) = [b for b in api.get(LINES).json()["items"] if b["name"] == "Carers"]
    amounts = [
        (b["financial_year"], b["original_budget"], b["current_budget"]) for b in created["budgets"]
    ]
    assert amounts == [(this_year, "-10000.05", "-10000.05")]
