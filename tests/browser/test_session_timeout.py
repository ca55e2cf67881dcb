"""A session that times out while someone types (WCAG 2.2.1, 2.2.6): the GOV.UK timeout warning
comes first, as a modal dialog with "Stay signed in"; if the session ends anyway, what was typed
is back in the form after signing in again, unsaved until Save is pressed.

The apps run with a 15-second idle limit here, so a test can wait for it.
"""

import re

from playwright.sync_api import Page, expect

from stack.testing.processes import RunningSystem, live_fixture
from tests.browser.conftest import DEMO_PASSWORD, axe_violations, savings_entry, sign_in

IDLE_SECONDS = 15


live = live_fixture(
    "asc_timeout", dev_identity=False, settings={"SESSION_IDLE_MINUTES": str(IDLE_SECONDS / 60)}
)


def test_the_warning_comes_before_the_end_and_stay_signed_in_keeps_the_session(
    page: Page, live: RunningSystem
) -> None:
    sign_in(page, live, "service.lead@demo.example")
    page.goto(live.url() + "/savings/entry")
    field = page.locator("input[name='achieved_to_date']").first
    field.focus()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible(timeout=IDLE_SECONDS * 1000)
    expect(dialog.get_by_role("heading", name=re.compile("about to be signed out"))).to_be_focused()
    expect(page.locator("#app-status")).to_contain_text("You will be signed out in")
    assert axe_violations(page) == []
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(field).to_be_focused()  # back where the person was
    expect(page.locator("#app-status")).to_have_text("You are still signed in.")
    page.wait_for_timeout(IDLE_SECONDS * 1000 * 0.7)  # past the end the session had before
    page.reload()
    assert "/sign-in" not in page.url


def test_a_session_that_ends_mid_form_gives_back_what_was_typed_after_signing_in(
    page: Page, live: RunningSystem
) -> None:
    form = savings_entry(page, live)
    line_id = form.locator("input[name='line_id']").get_attribute("value")
    achieved = form.locator("input[name='achieved_to_date']")
    stored = achieved.input_value()
    achieved.fill("4,321")
    form.locator("input[name='note']").fill("Two placements ended early")
    dialog = page.get_by_role("dialog")
    # No answer to the warning: the dialog says the session has ended, and nothing is lost.
    expect(dialog.get_by_role("heading", name="You have been signed out")).to_be_visible(
        timeout=IDLE_SECONDS * 1000 * 2
    )
    page.wait_for_timeout(3000)  # the gateway's end comes a moment after the page's
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    form.get_by_role("button", name=re.compile("^Save")).click()  # an htmx post, too late
    page.wait_for_url(re.compile(r"/sign-in\?next="))
    expect(page.locator("h1")).to_have_count(1)  # the whole sign-in page, not a fragment
    expect(page.locator("main")).to_contain_text("What you typed has been kept, but not saved")
    page.get_by_label("Email address").fill("service.lead@demo.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/savings/entry"))

    again = page.locator(f"form.app-entry:has(input[name='line_id'][value='{line_id}'])")
    expect(again.locator("input[name='achieved_to_date']")).to_have_value("4,321")
    expect(again.locator("input[name='note']")).to_have_value("Two placements ended early")
    banner = page.locator("#app-kept-banner")
    expect(banner).to_be_visible()
    expect(banner).to_be_focused()
    expect(page.locator("#app-status")).to_contain_text("It is not saved yet")
    assert axe_violations(page) == []

    page.reload()  # not saved until Save is pressed, and put back once only
    again = page.locator(f"form.app-entry:has(input[name='line_id'][value='{line_id}'])")
    expect(again.locator("input[name='achieved_to_date']")).to_have_value(stored)
    expect(page.locator("#app-kept-banner")).to_have_count(0)
    assert page.csp_violations == []  # type: ignore[attr-defined]
