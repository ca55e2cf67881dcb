"""Every page, signed in as the demo administrator: no serious or critical axe-core violation,
no sideways scrolling of the whole page at 320 CSS pixels (WCAG 1.4.10), and nothing the
Content-Security-Policy refuses. Forms are checked in their error state too."""

import re
from collections.abc import Iterable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from stack.testing.processes import RunningSystem
from tests.browser.conftest import axe_violations, has_horizontal_scroll

PAGES = [
    "/",
    "/kpis",
    "/kpis/entry",
    "/kpis/approvals",
    "/projects",
    "/objectives",
    "/improvement-plan",
    "/savings",
    "/savings/entry",
    "/budget",
    "/admin",
    "/admin/users",
    "/admin/users/new",
    "/admin/api-keys",
    "/admin/organisation",
    "/account/password",
    "/account/reminders",
    "/imports",
    "/documents/service-plan",
    "/documents/quarterly-report",
    "/accessibility",
]

# the first record's page, found by following the first matching link on a list page
DETAIL_PAGES = {
    "measure": ("/kpis", r"^/kpis/[0-9a-f-]{36}$"),
    "project": ("/projects", r"^/projects/[0-9a-f-]{36}$"),
    "savings line": ("/savings", r"^/savings/[0-9a-f-]{36}\b"),
    "user": ("/admin/users", r"^/admin/users/[0-9a-f-]{36}$"),
    "highlight report form": ("{project}", r"/highlight-reports/new\?project_id="),
    "milestone form": ("{project}", r"/milestones/[0-9a-f-]{36}/edit$"),
    "status form": ("{project}", r"/rag/edit$"),
}


# Defects in pages another area owns (reported to them); each test fails loudly (strict)
# once its page is fixed, so the mark comes off.
KNOWN_DEFECTS: dict[str, str] = {}


def known_defects(names: Iterable[str]) -> list[Any]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_DEFECTS[name]))
        if name in KNOWN_DEFECTS
        else name
        for name in names
    ]


@pytest.fixture
def tab(admin: Page) -> Page:
    """The administrator's tab, back at desktop width with no CSP violations recorded yet."""
    admin.set_viewport_size({"width": 1280, "height": 900})
    admin.csp_violations.clear()  # type: ignore[attr-defined]
    return admin


def check(page: Page) -> None:
    """The page as it stands: axe at desktop width, then reflow at 320 CSS px, then the CSP."""
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    assert not has_horizontal_scroll(page), f"{page.url} scrolls sideways at 320 CSS px"
    # what scrolls inside its own box at 320 px must be reachable by keyboard
    assert axe_violations(page, rules=("scrollable-region-focusable",)) == []
    assert page.csp_violations == []  # type: ignore[attr-defined]


def shows_its_error(page: Page, message: str, *, within: str | None = None) -> None:
    """A form sent with a mistake: the title says so, focus is on the error summary, the message
    by the field (`message`, a selector matching one element: Playwright's expectations are
    strict) shows, and the page passes `check`. A form that htmx swapped into the page (`within`,
    a selector of what was swapped) keeps the page's title, so only its summary and message are
    looked for, inside it."""
    scope = page if within is None else page.locator(within)
    if within is None:
        expect(page).to_have_title(re.compile("^Error: "))
    expect(scope.locator(".govuk-error-summary")).to_be_focused()
    expect(scope.locator(message)).to_be_visible()
    check(page)


def visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None, url
    assert response.status == 200, url
    assert not page.url.endswith("/sign-in"), "signed out"
    page.wait_for_load_state("networkidle")


def first_link(page: Page, live: RunningSystem, list_path: str, pattern: str) -> str:
    visit(page, live.url() + list_path)
    hrefs: list[str] = page.eval_on_selector_all(
        "main a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    found = [h for h in hrefs if re.search(pattern, h)]
    assert found, f"no link like {pattern} on {list_path}"
    return found[0]


@pytest.fixture(scope="module")
def detail_urls(admin: Page, live: RunningSystem) -> dict[str, str]:
    urls: dict[str, str] = {}
    for name, (list_path, pattern) in DETAIL_PAGES.items():
        list_path = list_path.format(project=urls.get("project", ""))
        urls[name] = first_link(admin, live, list_path, pattern)
    return urls


@pytest.mark.parametrize("path", known_defects(PAGES))
def test_page_is_accessible_and_reflows(tab: Page, live: RunningSystem, path: str) -> None:
    visit(tab, live.url() + path)
    expect(tab.locator("h1")).to_have_count(1)
    check(tab)


@pytest.mark.parametrize("name", known_defects(DETAIL_PAGES))
def test_detail_page_is_accessible_and_reflows(
    tab: Page, live: RunningSystem, detail_urls: dict[str, str], name: str
) -> None:
    visit(tab, live.url() + detail_urls[name])
    expect(tab.locator("h1")).to_have_count(1)
    check(tab)


def test_sign_in_page_and_its_errors(page: Page, live: RunningSystem) -> None:
    page.goto(live.url() + "/sign-in")
    check(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Email address").fill("nobody@demo.example")
    page.get_by_role("button", name="Sign in").click()
    shows_its_error(page, "#password-error")


def test_kpi_entry_in_its_error_states(tab: Page, live: RunningSystem) -> None:
    visit(tab, live.url() + "/kpis/entry?period=the+first+month")
    expect(tab).to_have_title(re.compile("^Error: "))
    expect(tab.locator(".govuk-error-summary a[href='#period']")).to_be_visible()
    expect(tab.locator("#period-error")).to_be_visible()
    check(tab)

    tab.set_viewport_size({"width": 1280, "height": 900})
    visit(tab, live.url() + "/kpis/entry?provider=Performance+and+Data+Team")
    value = tab.locator("input[name$='-value']").first
    value_id = value.get_attribute("id")
    value.fill("twelve")
    tab.get_by_role("button", name="Save as drafts").click()
    shows_its_error(tab, f"#{value_id}-error")


def test_highlight_report_form_in_its_error_state(
    tab: Page, live: RunningSystem, detail_urls: dict[str, str]
) -> None:
    visit(tab, live.url() + detail_urls["highlight report form"])
    tab.get_by_label("Summary").fill("")
    tab.get_by_role("button", name="Save", exact=True).click()
    shows_its_error(tab, "#summary-error")


def test_savings_entry_in_its_error_state(tab: Page, live: RunningSystem) -> None:
    visit(tab, live.url() + "/savings/entry")
    form = tab.locator("form.app-entry").first
    form.get_by_label("Achieved to date").fill("a lot")
    form.get_by_role("button", name=re.compile("^Save")).click()
    shows_its_error(tab, ".govuk-error-message", within="form.app-entry")


def test_status_form_in_its_error_state(
    tab: Page, live: RunningSystem, detail_urls: dict[str, str]
) -> None:
    visit(tab, live.url() + detail_urls["project"])
    tab.get_by_role("link", name="Change overall RAG status").click()
    tab.get_by_label("Overall RAG status").select_option("red")
    tab.get_by_label("Reason").fill("")
    tab.get_by_role("button", name="Save status").click()
    shows_its_error(tab, ".govuk-error-message", within="#status")


def test_skip_link_is_the_first_thing_the_keyboard_reaches(tab: Page, live: RunningSystem) -> None:
    visit(tab, live.url() + "/")
    tab.keyboard.press("Tab")
    assert tab.evaluate("() => document.activeElement.textContent.trim()") == "Skip to main content"


def test_govuk_frontend_starts_within_the_content_security_policy(
    tab: Page, live: RunningSystem
) -> None:
    visit(tab, live.url() + "/")
    assert tab.evaluate("() => document.body.classList.contains('govuk-frontend-supported')")
    assert tab.csp_violations == []  # type: ignore[attr-defined]


def test_a_bad_kpi_filter_sent_by_htmx_moves_focus_to_its_error(
    tab: Page, live: RunningSystem
) -> None:
    visit(tab, live.url() + "/kpis")
    tab.locator("#period").fill("the first month")
    tab.locator("#period").press("Enter")
    expect(tab.locator("#kpi-results .govuk-error-summary")).to_be_visible()
    expect(tab.locator("#kpi-results .govuk-error-summary")).to_be_focused()


def test_the_accessibility_statement_is_open_to_everyone_and_accessible(
    page: Page, live: RunningSystem
) -> None:
    visit_signed_out = page.goto(live.url() + "/accessibility")
    assert visit_signed_out is not None
    assert visit_signed_out.status == 200
    assert not page.url.endswith("/sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Accessibility statement for ASC Tracker"
    )
    check(page)
