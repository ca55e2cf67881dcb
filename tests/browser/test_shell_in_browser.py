"""The web shell in a real browser: accessible, and it reflows at 320 CSS pixels."""

from playwright.sync_api import Browser, Page

from common.testing.processes import RunningSystem
from tests.browser.conftest import axe_violations, has_horizontal_scroll


def test_dashboard_has_no_serious_accessibility_violations(page: Page, live: RunningSystem) -> None:
    page.goto(live.url() + "/")
    assert page.title().startswith("Dashboard")
    assert axe_violations(page) == []


def test_dashboard_reflows_at_320_css_pixels(browser: Browser, live: RunningSystem) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live.url() + "/")
    assert not has_horizontal_scroll(page)
    context.close()


def test_skip_link_is_the_first_thing_the_keyboard_reaches(page: Page, live: RunningSystem) -> None:
    page.goto(live.url() + "/")
    page.keyboard.press("Tab")
    assert (
        page.evaluate("() => document.activeElement.textContent.trim()") == "Skip to main content"
    )


def test_pages_break_none_of_their_own_content_security_policy(
    page: Page, live: RunningSystem
) -> None:
    page.goto(live.url() + "/")
    page.wait_for_load_state("networkidle")
    assert page.csp_violations == []  # type: ignore[attr-defined]
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')")
