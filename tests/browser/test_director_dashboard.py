"""The director's dashboard in a real browser, over the demo council: a viewer (as directors
and councillors are) sees performance by service area, the savings and budget charts beside
their tables, the overdue items and what has no active owner; axe finds no serious issue at
1280 and at 320 CSS px, and the page never scrolls sideways."""

from playwright.sync_api import Page, expect

from stack.testing.processes import RunningSystem
from tests.browser.conftest import axe_violations, has_horizontal_scroll, sign_in


def test_a_director_reads_the_dashboard_at_desktop_and_phone_widths(
    page: Page, live: RunningSystem
) -> None:
    sign_in(page, live, "viewer@demo.example")
    page.goto(live.url() + "/")
    for heading in (
        "Performance by service area",
        "Cashable savings",
        "Budget forecast",
        "Overdue",
        "No active owner",
    ):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    areas = page.locator("#service-areas tbody tr")
    expect(areas.first).to_be_visible()
    # Direction of travel in words, whatever the arrow.
    expect(page.locator("#service-areas")).to_contain_text("last period")
    # The demo council has a savings return and a forecast for every month so far this year.
    for chart in ("savings-trend-chart", "budget-trend-chart"):
        expect(page.locator(f"svg[aria-labelledby='{chart}-title {chart}-desc']")).to_be_visible()
    expect(page.locator("#savings-trend table")).to_contain_text("Delivered to date")
    assert axe_violations(page) == [], "the director's dashboard has no serious issue at 1280 px"
    page.set_viewport_size({"width": 320, "height": 640})
    assert not has_horizontal_scroll(page), "the dashboard scrolls sideways at 320 CSS px"
    assert axe_violations(page) == [], "the director's dashboard has no serious issue at 320 px"
    assert axe_violations(page, rules=("scrollable-region-focusable",)) == []
    assert page.csp_violations == []  # type: ignore[attr-defined]
