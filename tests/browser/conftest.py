"""Real-browser fixtures: Debian's Chromium driven by Playwright, against the real processes."""

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, sync_playwright

from stack.testing.processes import RunningSystem, live_fixture

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not path:
        pytest.fail("Chromium is not installed: `make test` installs Debian's chromium package.")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


# People sign in for real (`sign_in`), so sessions, cookies and CSRF tokens are exercised.
live = live_fixture("asc_browser", dev_identity=False)


@contextmanager
def new_tab(browser: Browser) -> Iterator[Page]:
    """A desktop-width tab of its own (no cookies) that records any Content-Security-Policy
    violation of the app's own pages."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        recording_csp(page)
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page that records any Content-Security-Policy violation of the app's own pages."""
    with new_tab(browser) as page:
        yield page


@pytest.fixture(scope="module")
def admin(browser: Browser, live: RunningSystem) -> Iterator[Page]:
    """One signed-in administrator's tab for the whole module (signing in once is enough)."""
    with new_tab(browser) as page:
        sign_in(page, live, "admin@demo.example")
        yield page


def recording_csp(page: Page) -> None:
    """Keep every Content-Security-Policy violation the page reports in `page.csp_violations`."""
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.csp_violations = violations  # type: ignore[attr-defined]


def axe_violations(
    page: Page,
    *,
    impacts: tuple[str, ...] = ("serious", "critical"),
    rules: tuple[str, ...] = (),
) -> list[str]:
    """Run axe-core on the page (every WCAG 2.2 AA rule, or just `rules`); describe each
    violation of the given impacts.

    axe is evaluated as a function body rather than added as a script tag, which the app's
    Content-Security-Policy (rightly) refuses.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(f"() => {{ {AXE}\n; window.axe = axe; }}")
    only: dict[str, Any] = (
        {"type": "rule", "values": list(rules)}
        if rules
        else {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
    )
    result: dict[str, Any] = page.evaluate(
        "async (only) => await axe.run(document, {runOnly: only})", only
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + json.dumps([node["target"] for node in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def has_horizontal_scroll(page: Page) -> bool:
    """True when the whole page scrolls sideways (WCAG 1.4.10 reflow at 320 CSS px)."""
    return bool(page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1"))


DEMO_PASSWORD = "asc-demo-password"  # published: demo data only


def settled(page: Page) -> None:
    """Wait until htmx has settled its last swap.

    htmx makes a swapped-in form live only when the swap settles (20 ms later): a key pressed
    before then submits the form without htmx, as a full page. No person is that quick; a test
    on a loaded machine can be.
    """
    busy = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"
    page.wait_for_function(f"() => !document.querySelector('{busy}')")


def sign_in(page: Page, live: RunningSystem, email: str) -> None:
    """Sign in through the sign-in page, as a person would."""
    page.goto(live.url() + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: not url.endswith("/sign-in"))
    page.wait_for_load_state("networkidle")


def savings_entry(page: Page, live: RunningSystem) -> Locator:
    """Sign the service lead in and load the savings entry page; the first savings line's form."""
    sign_in(page, live, "service.lead@demo.example")
    page.goto(live.url() + "/savings/entry")
    page.wait_for_load_state("networkidle")
    return page.locator("form.app-entry").first
