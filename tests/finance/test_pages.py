"""The savings and budget pages, through the gateway as a browser would reach them."""

import re
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from common.identity import Role
from common.periods import FinancialYear, Period
from common.testing.plugin import make_caller
from stack.testing.plugin import System
from tests.finance.factories import (
    add_entry,
    add_forecast,
    make_budget_line,
    make_cashable_and_avoided,
    make_income_line,
    make_savings_line,
)
from tests.helpers import download, text_of

THIS_YEAR = FinancialYear.containing(date.today()).label
THIS_MONTH = Period.month_of(date.today()).start


def _lines(api: TestClient) -> tuple[dict[str, str], dict[str, str]]:
    sle = make_savings_line(api, in_year="£376k", delivery_confidence="red")
    income = make_income_line(api, reference="SAV-INC", in_year="£450k")
    add_entry(api, sle["id"], "2025-08", "£50k", "£350k", note="Reviews started")
    add_entry(api, sle["id"], "2025-09", "£100k", "£300k", note="Two providers disputing")
    add_entry(api, income["id"], "2025-09", "£200k", "£460k")
    return sle, income


def test_savings_tracker_shows_each_line_and_the_totals_row(api: TestClient) -> None:
    _lines(api)
    page = api.get("/savings", params={"financial_year": "2025/26"})
    assert page.status_code == 200
    text = text_of(page.text)
    assert "SAV-01 Supported Living Efficiencies Commissioning Team £376k £100k £300k £76k" in text
    assert "Off track" in text  # RAG as words, not colour alone
    assert "On track" in text
    assert "Cashable savings (2 lines) £826k £300k £760k £66k" in text
    assert 'href="/savings?financial_year=2025%2F26&amp;sort=reference&amp;format=csv"' in page.text


def test_savings_tracker_filters_and_sort_live_in_the_url(api: TestClient) -> None:
    _lines(api)
    page = api.get(
        "/savings", params={"financial_year": "2025/26", "category": "income_and_charging"}
    )
    assert "Income Review" in page.text
    assert "Supported Living Efficiencies" not in page.text
    sorted_page = api.get("/savings", params={"financial_year": "2025/26", "sort": "-slippage"})
    text = text_of(sorted_page.text)
    assert text.index("SAV-01") < text.index("SAV-INC")
    # the active column offers the reverse order, and says how it is sorted
    assert 'aria-sort="descending"' in sorted_page.text
    assert "sort=slippage" in sorted_page.text
    assert 'hx-push-url="true"' in sorted_page.text


def test_an_htmx_request_gets_only_the_results(api: TestClient) -> None:
    _lines(api)
    fragment = api.get(
        "/savings", params={"financial_year": "2025/26"}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "app-savings-table" in fragment.text


def test_savings_line_page_has_an_accessible_chart_table_activity_and_notes(
    api: TestClient,
) -> None:
    sle, _ = _lines(api)
    api.post(
        f"/api/v1/finance/savings-lines/{sle['id']}/activity-measures",
        json={"name": "Care package reviews", "unit": "reviews", "planned": 3813, "done": 452},
    )
    page = api.get(f"/savings/{sle['id']}")
    assert page.status_code == 200
    assert re.search(r"<svg[^>]*role=\"img\"", page.text)
    assert re.search(
        r'<title id="chart-[0-9a-f]+-title">Supported Living Efficiencies: monthly returns',
        page.text,
    )
    assert re.search(r'<desc id="chart-[0-9a-f]+-desc">', page.text)
    text = text_of(page.text)
    assert "2025-09 £100,000.00 £300,000.00 £376,000.00 £76,000.00" in text
    assert "452 of 3,813 reviews done (11.9%)" in text
    assert text.index("Two providers disputing") < text.index("Reviews started")  # newest first


def test_an_unknown_savings_line_page_is_not_found(api: TestClient) -> None:
    assert api.get(f"/savings/{uuid.uuid4()}").status_code == 404


def _line_of_this_year(api: TestClient) -> dict[str, Any]:
    return make_savings_line(api, in_year="£100k", financial_year=THIS_YEAR)


def _enter(
    api: TestClient,
    line: dict[str, Any],
    achieved: str,
    forecast: str,
    headers: dict[str, str] | None = None,
    **fields: str,
) -> httpx.Response:
    """Posts the entry form for one line, this month unless `month` is given."""
    data = {"line_id": line["id"], "month": f"{THIS_MONTH:%Y-%m}"} | fields
    response: httpx.Response = api.post(
        "/savings/entry",
        data=data | {"achieved_to_date": achieved, "forecast_for_year": forecast},
        headers=headers,
        follow_redirects=False,
    )
    return response


def test_entry_form_saves_a_month_and_returns_to_the_form(api: TestClient) -> None:
    line = _line_of_this_year(api)
    form = api.get("/savings/entry")
    assert f'id="achieved-{line["id"]}"' in form.text
    saved = _enter(api, line, "£20k", "£90k", note="On plan")
    assert saved.status_code == 303
    entry = f"/api/v1/finance/savings-lines/{line['id']}/entries/{THIS_MONTH:%Y-%m}"
    assert api.get(entry).json()["achieved_to_date"] == "20000.00"
    again = api.get(saved.headers["location"])
    assert "Saved the" in again.text
    assert 'name="version" value="1"' in again.text  # a second save changes, with If-Match
    changed = _enter(api, line, "£25k", "£90k", version="1")
    assert changed.status_code == 303
    assert api.get(entry).json()["achieved_to_date"] == "25000.00"


def test_entry_errors_sit_by_the_field_and_keep_what_was_typed(api: TestClient) -> None:
    line = _line_of_this_year(api)
    refused = _enter(api, line, "£95k", "about £3k")
    assert refused.status_code == 422
    assert refused.text.count("govuk-error-summary__list") == 1  # one summary, at the top
    assert f'<a href="#forecast-{line["id"]}">SAV-01: ' in refused.text
    assert f'id="forecast-{line["id"]}-error"' in refused.text
    assert "is not an amount of money" in refused.text
    assert 'value="about £3k"' in refused.text
    assert 'value="£95k"' in refused.text


def test_entry_by_htmx_answers_with_the_form_and_its_error(api: TestClient) -> None:
    line = _line_of_this_year(api)
    fragment = _enter(api, line, "£95k", "£90k", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith("<form")
    assert "cannot be more than the forecast for the year" in fragment.text
    assert f'id="achieved-{line["id"]}-error"' in fragment.text


def _lines_of_two_teams(api: TestClient) -> None:
    """SAV-01 of the Commissioning Team and SAV-OPS of the Operations Team, both this year."""
    make_savings_line(api, in_year="1", financial_year=THIS_YEAR)
    make_savings_line(
        api,
        reference="SAV-OPS",
        title="Reablement",
        owner_team="Operations Team",
        in_year="1",
        financial_year=THIS_YEAR,
    )


def test_entry_shows_only_the_chosen_team(api: TestClient) -> None:
    _lines_of_two_teams(api)
    page = api.get("/savings/entry", params={"owner_team": "Operations Team"})
    assert "SAV-OPS" in page.text
    assert "SAV-01" not in text_of(page.text.split('id="entries"')[1])


def test_budget_monitor_shows_each_line_totals_and_a_trend(api: TestClient) -> None:
    ld = make_budget_line(api, name="Learning Disabilities")
    income = make_budget_line(
        api,
        name="Client Finances income",
        budgets=[{"financial_year": "2025/26", "original_budget": "-£5m"}],
    )
    add_forecast(api, ld["id"], "2025-08", "£1.3m")
    add_forecast(api, ld["id"], "2025-09", "£1.25m")
    add_forecast(api, income["id"], "2025-09", "-£4.9m")
    page = api.get("/budget", params={"month": "2025-09"})
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Learning Disabilities (LD100) £1.2m £1.25m £50k overspend -£50k" in text
    assert "Client Finances income (LD100) -£5m -£4.9m £100k overspend" in text
    assert "Total £-3.8m" not in text
    assert "Total -£3.8m -£3.65m £150k overspend -£50k" in text
    assert 'aria-label="Forecast outturn trend for Learning Disabilities: £1.3m in August 2025' in (
        page.text
    )
    assert 'href="/budget?month=2025-09&amp;format=xlsx"' in page.text


def test_budget_monitor_says_when_the_month_is_not_a_month(api: TestClient) -> None:
    make_budget_line(api)
    page = api.get("/budget", params={"month": "September"})
    assert page.status_code == 200
    assert "govuk-error-summary" in page.text
    assert "is not a month" in page.text


def test_savings_pages_name_the_linked_projects_and_filter_by_them(api: TestClient) -> None:
    project = api.post("/api/v1/projects/projects", json={"name": "Income Review"}).json()
    line = make_savings_line(
        api,
        project_ids=[project["id"]],
        in_year="1",
    )
    make_savings_line(api, reference="SAV-02", in_year="1")
    tracker = api.get("/savings", params={"financial_year": "2025/26", "project_id": project["id"]})
    assert f'<option value="{project["id"]}" selected>Income Review</option>' in tracker.text
    assert "SAV-02" not in text_of(tracker.text.split('id="savings-results"')[1])
    detail = api.get(f"/savings/{line['id']}")
    assert (
        f'<a class="govuk-link" href="/projects/{project["id"]}">Income Review</a>' in detail.text
    )


def test_a_service_lead_sees_only_their_own_lines_to_enter(
    api: TestClient, api_as: Any, demo_org: uuid.UUID
) -> None:
    _lines_of_two_teams(api)
    lead = api_as(make_caller(demo_org, Role.SERVICE_LEAD, team="Operations Team"))
    page = lead.get("/savings/entry", params={"owner_team": ""})
    assert page.status_code == 200
    assert "SAV-OPS" in page.text
    assert "SAV-01" not in page.text
    assert 'id="owner_team"' not in page.text


# Downloads --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_savings_download_holds_the_filtered_lines_with_exact_money(
    api: TestClient, kind: str
) -> None:
    _lines(api)
    table = download(
        api,
        "/savings",
        "savings",
        financial_year="2025/26",
        owner_team="Commissioning Team",
        format=kind,
    )
    assert table.headers == [
        "Reference",
        "Savings line",
        "Owner",
        "Category",
        "Type",
        "Status",
        "Target (£)",
        "Achieved to date (£)",
        "Forecast for year (£)",
        "Slippage (£)",
        "Confidence",
    ]
    assert len(table.rows) == 1  # Income Review is another team's: filtered out
    row = table.rows[0]
    assert row[:3] == ["SAV-01", "Supported Living Efficiencies", "Commissioning Team"]
    assert [Decimal(v) for v in row[6:10]] == [
        Decimal("376000"),
        Decimal("100000"),
        Decimal("300000"),
        Decimal("76000"),
    ]
    assert row[10] == "Off track"
    if kind == "csv":
        assert (
            "376000.00"
            in api.get("/savings", params={"financial_year": "2025/26", "format": "csv"}).text
        )


def test_savings_download_keeps_the_pages_sort(api: TestClient) -> None:
    _lines(api)
    table = download(
        api, "/savings", "savings", financial_year="2025/26", sort="-reference", format="csv"
    )
    assert [r[0] for r in table.rows] == ["SAV-INC", "SAV-01"]


def test_savings_csv_guards_a_title_a_spreadsheet_would_run(api: TestClient) -> None:
    make_savings_line(
        api,
        reference="SAV-X",
        title="@SUM(1+1)*cmd|' /C calc'!A0",
        in_year="-£1k",
    )
    text = api.get("/savings", params={"financial_year": "2025/26", "format": "csv"}).text
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in text
    assert ",-1000.00," in text  # a negative amount stays a number


def test_savings_download_links_arrive_with_the_htmx_results(api: TestClient) -> None:
    _lines(api)
    fragment = api.get(
        "/savings",
        params={"financial_year": "2025/26", "category": "income_and_charging"},
        headers={"HX-Request": "true"},
    ).text
    assert (
        'href="/savings?financial_year=2025%2F26&amp;category=income_and_charging'
        '&amp;sort=reference&amp;format=xlsx"'
    ) in fragment


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_budget_download_holds_the_months_lines_with_exact_money(
    api: TestClient, kind: str
) -> None:
    ld = make_budget_line(api, name="Learning Disabilities")
    add_forecast(api, ld["id"], "2025-08", "£1.3m")
    add_forecast(api, ld["id"], "2025-09", "£1,250,000.55")
    table = download(api, "/budget", "budget-monitor-2025-09", month="2025-09", format=kind)
    assert table.headers[:4] == ["Budget line", "Cost centre", "Service area", "Budget (£)"]
    assert "Forecast outturn (£)" in table.headers
    row = dict(zip(table.headers, table.rows[0], strict=True))
    assert row["Budget line"] == "Learning Disabilities"
    assert Decimal(row["Forecast outturn (£)"]) == Decimal("1250000.55")
    assert Decimal(row["Variance (£)"]) == Decimal("50000.55")
    assert row["Over or under"] == "overspend"
    august = download(api, "/budget", "budget-monitor-2025-08", month="2025-08", format=kind)
    assert Decimal(
        dict(zip(august.headers, august.rows[0], strict=True))["Forecast outturn (£)"]
    ) == (Decimal("1300000"))


def test_budget_monitor_shows_movement_since_the_previous_and_the_original_forecast(
    api: TestClient,
) -> None:
    line = make_budget_line(api, budgets=[{"financial_year": "2025/26", "original_budget": "£10m"}])
    add_forecast(api, line["id"], "2025-04", "£13.7m")
    add_forecast(api, line["id"], "2025-06", "£13.5m")
    add_forecast(api, line["id"], "2025-09", "£13.1m")
    page = api.get("/budget", params={"month": "2025-09"})
    text = text_of(page.text)
    # since June (August had no forecast), and since April's original forecast
    assert "Learning Disabilities (LD100) £10m £13.1m £3.1m overspend -£400k -£600k" in text
    assert "forecast overspend £3.1m, down £600k from the original forecast of £3.7m" in text
    table = download(api, "/budget", "budget-monitor-2025-09", month="2025-09", format="csv")
    row = dict(zip(table.headers, table.rows[0], strict=True))
    assert Decimal(row["Original forecast (£)"]) == Decimal("13700000")
    assert Decimal(row["Movement since original forecast (£)"]) == Decimal("-600000")


def test_savings_tracker_totals_each_type_and_never_adds_cost_avoidance_in(
    api: TestClient,
) -> None:
    make_cashable_and_avoided(api, "2025/26")
    text = text_of(api.get("/savings", params={"financial_year": "2025/26"}).text)
    assert "Cashable savings (1 line) £400k £100k £300k £100k" in text
    assert "Cost avoidance (1 line) £1m £600k £900k £100k" in text
    assert "Non-cashable savings (0 lines)" in text
    assert "£1.4m" not in text  # no total adds cost avoidance to savings


def test_dashboard_headline_is_cashable_savings(api: TestClient) -> None:
    make_cashable_and_avoided(api, THIS_YEAR)
    text = text_of(api.get("/").text)
    assert f"Cashable savings target {THIS_YEAR} £400k" in text
    assert "Achieved to date £100k (25.0%)" in text
    assert "Cost avoidance forecast £900k" in text
    assert "£1.4m" not in text


def _past_months() -> tuple[date, date]:
    """The two months before this one, both of this financial year when it allows."""
    last = Period.month_of(THIS_MONTH).previous()
    return last.previous().start, last.start


def test_a_past_months_form_shows_that_months_own_return_or_nothing(api: TestClient) -> None:
    earlier, later = _past_months()
    year = FinancialYear.containing(earlier).label
    both = make_savings_line(api, in_year="£500k", financial_year=year)
    later_only = make_savings_line(api, reference="SAV-02", in_year="£500k", financial_year=year)
    add_entry(api, both["id"], f"{earlier:%Y-%m}", "£11k", "£111k", note="Earlier note")
    add_entry(api, both["id"], f"{later:%Y-%m}", "£22k", "£222k", note="Later note")
    add_entry(api, later_only["id"], f"{later:%Y-%m}", "£33k", "£333k")
    page = api.get("/savings/entry", params={"month": f"{earlier:%Y-%m}", "owner_team": ""}).text
    assert 'value="11000.00"' in page
    assert 'value="Earlier note"' in page
    for later_figure in ("22000.00", "33000.00", "Later note"):
        assert later_figure not in page
    saved = _enter(api, later_only, "£5k", "£300k", month=f"{earlier:%Y-%m}")
    assert saved.status_code == 303
    entries = api.get(f"/api/v1/finance/savings-lines/{later_only['id']}/entries").json()["items"]
    assert [(e["month"], e["achieved_to_date"]) for e in entries] == [
        (f"{earlier:%Y-%m}", "5000.00"),
        (f"{later:%Y-%m}", "33000.00"),  # saving one month never changes another
    ]


def test_the_form_asks_to_confirm_a_forecast_more_than_double_the_target(
    api: TestClient,
) -> None:
    line = _line_of_this_year(api)
    asked = _enter(api, line, "£20k", "£250k")
    assert asked.status_code == 422
    assert "more than double the target" in asked.text
    assert 'name="confirm" type="checkbox" value="yes"' in asked.text
    assert 'value="£250k"' in asked.text
    saved = _enter(api, line, "£20k", "£250k", confirm="yes", note="Two homes closed early")
    assert saved.status_code == 303


def test_the_tracker_s_owner_and_project_lists_are_read_again_only_when_they_change(
    api: TestClient, system: System
) -> None:
    seen: dict[str, list[int]] = {"owners": [], "projects": []}

    async def note(response: httpx.Response) -> None:
        path = response.request.url.path
        if path == "/api/v1/finance/savings/owners":
            seen["owners"].append(response.status_code)
        elif path == "/api/v1/projects/projects":
            seen["projects"].append(response.status_code)

    system.web.state.gateway.event_hooks["response"].append(note)
    make_savings_line(api, reference="S1", owner_team="Team A")
    assert "Team A" in api.get("/savings").text
    assert "Team A" in api.get("/savings").text
    api.post("/api/v1/projects/projects", json={"name": "Day services review"}).raise_for_status()
    make_savings_line(api, reference="S2", owner_team="Team B")
    page = api.get("/savings").text
    assert "Team B" in page
    assert "Day services review" in page
    assert seen == {"owners": [200, 304, 200], "projects": [200, 304, 200]}
