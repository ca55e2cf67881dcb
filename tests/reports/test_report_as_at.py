"""The quarterly report is as at the end of its quarter: figures made later, already in the
database, never reach it; a quarter with nothing says so; a quarter that is none is refused."""

import html

import pytest
from fastapi.testclient import TestClient

from tests.finance.factories import (
    add_entry,
    add_forecast,
    make_budget_line,
    make_falls_prevention_line,
    make_savings_line,
)
from tests.helpers import text_of
from tests.projects.conftest import make_improvement_action, make_milestone, make_project

REPORT = "/documents/quarterly-report"


@pytest.fixture
def a_year_of_returns(api: TestClient) -> None:
    """Forecasts, savings returns, an action and a milestone through 2025/26, each quarter's
    figures followed by later ones."""
    line = make_budget_line(
        api, name="Older People", budgets=[{"financial_year": "2025/26", "original_budget": "£10m"}]
    )
    for month, amount in (
        ("2025-06", "£13.7m"),
        ("2025-09", "£13.5m"),
        ("2025-12", "£13.1m"),
        ("2026-03", "£12m"),
    ):
        add_forecast(api, line["id"], month, amount)
    cashable = make_savings_line(api, in_year="£400k")
    for month, achieved, forecast, note in (
        ("2025-06", "£50k", "£400k", "Reviews started"),
        ("2025-09", "£120k", "£380k", "Slower than planned"),
        ("2025-12", "£200k", "£300k", "Two providers disputing"),
        ("2026-02", "£390k", "£400k", "Caught up"),
    ):
        add_entry(api, cashable["id"], month, achieved, forecast, note=note)
    make_savings_line(
        api,
        reference="SAV-02",
        title="Direct payments uplift",
        mitigates_line_id=cashable["id"],
        in_year="£50k",
    )
    avoided = make_falls_prevention_line(api, reference="SAV-CA", delivery_confidence="green")
    add_entry(api, avoided["id"], "2025-09", "£500k", "£1m")
    make_improvement_action(
        api,
        action="Audit files",
        due_date="2025-08-31",
        status="completed",
        completed_on="2025-11-10",
    )
    project = make_project(api, name="Reablement")
    make_milestone(
        api, project["id"], title="Go live", baseline_date="2025-08-15", actual_date="2025-10-20"
    )


def _report(api: TestClient, quarter: str) -> str:
    page = api.get(REPORT, params={"quarter": quarter})
    assert page.status_code == 200, page.text
    return text_of(page.text)


QUARTERS = [
    pytest.param(
        "2025/26 Q1",
        [
            "At the end of June 2025 the forecast outturn is £13.7m",
            "Cashable savings: £50k achieved of a target of £450k",
        ],
        ["£13.5m", "£13.1m", "£120k"],
        id="q1-shows-q1s-figures-and-none-made-later",
    ),
    pytest.param(
        "2025/26 Q2",
        [
            "At the end of September 2025 the forecast outturn is £13.5m",
            "forecast overspend £3.5m, down £200k from the original forecast of £3.7m",
            "Cashable savings: £120k achieved of a target of £450k",
            "Cost avoidance (not a saving to the budget): £500k achieved",
            "1 of 1 improvement plan actions remain open, 1 overdue",
            "1 milestones were due in Q2 2025/26, of which 1 are overdue",
        ],
        ["£13.1m", "£200k achieved"],
        id="q2-shows-q2s-figures-movement-and-overdue-items",
    ),
    pytest.param(
        "2025/26 Q3",
        [
            "At the end of December 2025 the forecast outturn is £13.1m",
            "down £600k from the original forecast of £3.7m",
            "Cashable savings: £200k achieved of a target of £450k (44.4%)",
            "£300k forecast (66.7%)",
            "0 of 1 improvement plan actions remain open",
            "SAV-01 Supported Living Efficiencies At risk (Amber)",
            "Two providers disputing",  # the line's own words on the risk
            "SAV-02 Direct payments uplift",  # and the line that mitigates it
        ],
        ["£12m", "Caught up", "£390k"],
        id="q3-shows-q3s-figures-brag-and-savings-exceptions",
    ),
]


@pytest.mark.usefixtures("a_year_of_returns")
@pytest.mark.parametrize(("quarter", "shown", "not_shown"), QUARTERS)
def test_each_quarter_shows_its_own_figures_and_none_made_later(
    api: TestClient, quarter: str, shown: list[str], not_shown: list[str]
) -> None:
    text = _report(api, quarter)
    for words in shown:
        assert words in text
    for words in not_shown:
        assert words not in text


def test_a_quarter_with_no_data_says_so_and_never_on_budget(api: TestClient) -> None:
    make_budget_line(api)  # a budget, but no forecast yet
    text = _report(api, "2025/26 Q1")
    assert "No budget forecast for this quarter yet" in text
    assert "on budget" not in text
    assert "£0.00" not in text
    assert "No savings returns for this quarter yet" in text


@pytest.mark.parametrize("quarter", ["garbage", "2025-04", "2025/26 Q5"])
def test_a_quarter_that_is_not_one_is_refused_with_a_plain_message(
    api: TestClient, quarter: str
) -> None:
    page = api.get(REPORT, params={"quarter": quarter})
    assert page.status_code == 400
    assert f'"{quarter}" is not a quarter: write it like "2026/27 Q2"' in html.unescape(page.text)
    assert api.get(f"{REPORT}.docx", params={"quarter": quarter}).status_code == 400
    assert api.get(f"{REPORT}.pdf", params={"quarter": quarter}).status_code == 400
