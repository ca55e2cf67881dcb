"""The director's part of the dashboard: RAG by service area with its direction of travel in
words, cashable savings and the budget forecast as charts beside tables of the same numbers,
the council's overdue items and what has no active owner. Only for the roles that direct."""

import re
import uuid
from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient

from common.identity import Caller, Role
from common.periods import FinancialYear, Period
from common.testing.plugin import make_caller
from tests.finance.factories import add_entry, add_forecast, make_budget_line, make_savings_line
from tests.helpers import assert_shows
from tests.kpi.factories import make_actual, make_measure, make_target
from tests.projects.conftest import days, make_milestone, make_project

LAST = Period.month_of(date.today()).previous()
YEAR = FinancialYear.containing(date.today())


def _dashboard(api_as: Callable[[Caller], TestClient], org: uuid.UUID, role: Role) -> str:
    page: str = api_as(make_caller(org, role)).get("/").text
    return page


@pytest.fixture
def council(api: TestClient) -> None:
    """A measure improving and one unreported, a savings line, a budget line and a milestone
    overdue: something in each of the director's parts."""
    measure = make_measure(api, code="R1", title="Reablement works", service_area="Reablement")
    for year in {LAST.year.label, LAST.previous().year.label}:
        make_target(api, measure, "78", year=year)
    make_actual(api, measure, LAST.previous().code, value="60")
    make_actual(api, measure, LAST.code, value="80")
    make_measure(api, code="Q1", title="Quiet measure", service_area="Quality")
    line = make_savings_line(api, reference="SAV-9", in_year="400000", financial_year=YEAR.label)
    add_entry(api, line["id"], f"{YEAR.start:%Y-%m}", "10000", "350000")
    budget = make_budget_line(
        api, budgets=[{"financial_year": YEAR.label, "original_budget": "1000000"}]
    )
    add_forecast(api, budget["id"], f"{YEAR.start:%Y-%m}", "1100000")
    project = make_project(api, name="Home first")
    make_milestone(api, project["id"], title="Contract signed", baseline_date=days(-2))


@pytest.mark.usefixtures("council")
def test_a_director_sees_each_area_heading_in_words_and_arrows(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    assert_shows(
        _dashboard(api_as, demo_org, Role.VIEWER),
        "Performance by service area",
        f"Measures by status, {LAST.label}",
        '<span aria-hidden="true" class="app-travel">↑</span> Better than last period',
        "1 improved, 0 worsened",
        f"No figures for {LAST.label}",  # Quality: nothing reported
    )


@pytest.mark.usefixtures("council")
def test_the_savings_and_budget_charts_sit_beside_tables_of_their_numbers(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    april = f"{YEAR.start:%b %Y}"
    assert_shows(
        _dashboard(api_as, demo_org, Role.VIEWER),
        f"Cashable savings {YEAR.label}, month by month</title>",
        f"By {april}, £10k of cashable savings delivered and £350k forecast",
        f"Target for {YEAR.label}: <strong>£400k</strong>",
        ">No returns</td>",  # the months after April say so
        f"Budget forecast {YEAR.label}, month by month</title>",
        "£100k overspend",
        ">No forecast</td>",
        # Each series has its own line style as well as colour, and a legend in words.
        'stroke-dasharray="2 4"',
        ">Forecast for the year</text>",
    )


@pytest.mark.usefixtures("council")
def test_overdue_items_and_what_has_no_active_owner_are_listed(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    html = _dashboard(api_as, demo_org, Role.VIEWER)
    assert_shows(html, "Milestone: Contract signed (Home first)", "Overdue</strong> ")
    # A viewer is not offered the form that clears it; the programme office is.
    assert "/milestones/" not in html
    office = _dashboard(api_as, demo_org, Role.PROGRAMME_OFFICE)
    assert re.search(r'href="/projects/[^"]+/milestones/[^"]+/edit">Milestone: Contract', office)
    assert_shows(
        html,
        "No active owner</strong> Performance and Data Team",
        "Nobody in Performance and Data Team can sign in",
    )


def test_a_year_with_nothing_reported_says_so(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    assert_shows(
        _dashboard(api_as, demo_org, Role.VIEWER),
        f"No savings returns yet in {YEAR.label}, so there is no chart.",
        "No active measures yet.",
        "Nothing is overdue.",
        "Every active measure and savings line has an owner who can sign in",
    )


def test_a_data_provider_sees_their_tasks_not_the_directors_view(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    html = api_as(make_caller(demo_org, Role.DATA_PROVIDER, team="Reablement Team")).get("/").text
    assert "Your tasks" in html
    assert "Performance by service area" not in html
