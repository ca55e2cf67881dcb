"""The journeys people make, in a real browser, signed in as a demo person of each role.

Each person signs in through the sign-in page. Not covered yet: the quarterly report, whose
page does not exist yet.
"""

import re
from datetime import datetime, timedelta

from playwright.sync_api import Page, expect

from stack.testing.processes import RunningSystem
from tests.browser.conftest import sign_in


def focused(page: Page, expression: str) -> object:
    return page.evaluate(f"() => {{ const el = document.activeElement; return {expression}; }}")


def focus_is_visible(page: Page) -> bool:
    """The focused element draws the GOV.UK focus state (an outline or a box shadow)."""
    return bool(
        focused(
            page,
            "getComputedStyle(el).outlineStyle !== 'none' && getComputedStyle(el).outlineWidth"
            " !== '0px' || getComputedStyle(el).boxShadow !== 'none'",
        )
    )


def tab_to(page: Page, condition: str, limit: int = 60) -> None:
    """Press Tab until the focused element meets `condition` (a JS expression over `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page, f"!!el && ({condition})"):
            return
    raise AssertionError(f"Tab never reached an element where {condition}")


def test_a_person_signs_in_and_sees_their_name(page: Page, live: RunningSystem) -> None:
    page.goto(live.url() + "/kpis")
    expect(page).to_have_url(re.compile(r"/sign-in"))
    page.get_by_label("Email address").fill("viewer@demo.example")
    page.get_by_label("Password").fill("asc-demo-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile("^KPI tracker"))  # back where they were going
    expect(page.locator("header")).to_contain_text("Demo viewer")
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_keyboard_only_sign_in_moves_focus_to_the_error_summary(
    page: Page, live: RunningSystem
) -> None:
    page.goto(live.url() + "/sign-in")
    tab_to(page, "el.id === 'email'")
    assert focus_is_visible(page)
    page.keyboard.type("service.lead@demo.example")
    page.keyboard.press("Enter")  # forgot the password
    page.wait_for_load_state("networkidle")
    expect(page).to_have_title(re.compile("^Error: Sign in"))
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert focus_is_visible(page)
    summary_link = page.locator(".govuk-error-summary a")
    expect(summary_link).to_have_text("Enter your password")
    expect(page.locator("#password-error")).to_contain_text("Enter your password")
    tab_to(page, "el.getAttribute('href') === '#password'")
    page.keyboard.press("Enter")  # the summary's link takes focus to the field
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type("asc-demo-password")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page).to_have_title(re.compile("^Dashboard"))
    expect(page.locator("header")).to_contain_text("Demo service lead")


def test_data_provider_corrects_an_invalid_figure_and_submits_the_month(
    page: Page, live: RunningSystem
) -> None:
    sign_in(page, live, "data.provider@demo.example")
    page.goto(live.url() + "/kpis/entry")
    # a data provider starts on their own team's measures
    expect(page.get_by_label("Data provider")).to_have_value("Performance and Data Team")
    values = page.locator("input[name$='-value']")
    first, second = values.nth(0), values.nth(1)
    first_id = first.get_attribute("id")
    first.fill("about forty")
    second.fill("12")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Submit for approval").click()
    assert posted.value.status == 422  # refused for the bad figure, not for a missing token
    page.wait_for_load_state("networkidle")
    expect(page).to_have_title(re.compile("^Error: Enter KPI actuals"))
    message = page.locator(f"#{first_id}-error")
    expect(message).to_be_visible()
    expect(page.locator(f".govuk-error-summary a[href='#{first_id}']")).to_be_visible()
    expect(page.locator(f"#{first_id}")).to_have_value("about forty")  # kept as typed
    page.locator(f".govuk-error-summary a[href='#{first_id}']").click()
    expect(page.locator(f"#{first_id}")).to_be_focused()
    page.locator(f"#{first_id}").fill("40")
    page.get_by_role("button", name="Submit for approval").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("submitted for approval")
    expect(page.locator(f"#{first_id}")).to_have_value("40")
    fieldset = page.locator("fieldset", has=page.locator(f"#{first_id}"))
    expect(fieldset.locator(".govuk-tag")).to_have_text("submitted")


def test_programme_office_slips_a_milestone_and_sets_the_project_amber(
    page: Page, live: RunningSystem
) -> None:
    sign_in(page, live, "programme.office@demo.example")
    page.goto(live.url() + "/projects")
    page.locator("main table a[href^='/projects/']").first.click()
    project = page.locator("h1").inner_text()
    row = page.locator("#milestones tbody tr").filter(has_text="Not yet").first
    title = row.locator("th").inner_text()
    baseline = datetime.strptime(row.locator("td").nth(0).inner_text(), "%d %B %Y").date()
    later = baseline + timedelta(days=45)
    row.get_by_role("link", name=re.compile("^Change")).click()
    forecast = page.get_by_label("Forecast date")
    expect(forecast).to_be_visible()
    forecast.fill(later.isoformat())
    page.get_by_role("button", name="Save", exact=True).click()
    row = page.locator("#milestones tbody tr").filter(has_text=title).first
    expect(row).to_contain_text(f"{later.day} {later:%B %Y}")
    expect(row).to_contain_text("45 days late")

    page.get_by_role("link", name="Change overall RAG status").click()
    page.get_by_label("Overall RAG status").select_option("amber")
    reason = f"The {title} milestone has slipped by six weeks."
    page.get_by_label("Reason").fill(reason)
    page.get_by_role("button", name="Save status").click()
    overall = page.locator("#status .govuk-summary-list__row").filter(has_text="Overall")
    expect(overall.locator(".govuk-tag")).to_have_text("At risk")
    expect(overall).to_contain_text(reason)
    page.reload()  # it was saved, not only swapped in
    overall = page.locator("#status .govuk-summary-list__row").filter(has_text="Overall")
    expect(overall.locator(".govuk-tag")).to_have_text("At risk")
    expect(page.locator("#milestones")).to_contain_text("45 days late")
    page.goto(live.url() + "/projects")  # and so it shows in the list of projects
    link = page.get_by_role("link", name=project, exact=True)
    expect(page.locator("main tbody tr").filter(has=link)).to_contain_text("At risk")
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_service_lead_enters_savings_by_keyboard_alone(page: Page, live: RunningSystem) -> None:
    sign_in(page, live, "service.lead@demo.example")
    page.goto(live.url() + "/savings/entry")
    page.wait_for_load_state("networkidle")
    forms = page.locator("form.app-entry")
    expect(forms.first).to_contain_text("Commissioning Team")  # their own lines
    achieved_id = forms.first.locator("input[name='achieved_to_date']").get_attribute("id")
    assert achieved_id

    # This month may have no return yet, so its form starts empty: the forecast is needed too.
    forecast_id = forms.first.locator("input[name='forecast_for_year']").get_attribute("id")
    tab_to(page, f"el.id === '{forecast_id}'")
    page.keyboard.press("Control+A")
    page.keyboard.type("123,456.78")
    tab_to(page, f"el.id === '{achieved_id}'")
    assert focus_is_visible(page)
    page.keyboard.press("Control+A")
    page.keyboard.type("lots")
    page.keyboard.press("Enter")
    summary = forms.first.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # focus moves to the errors
    assert focus_is_visible(page)
    expect(page.locator(f"#{achieved_id}-error")).to_be_visible()
    expect(page.locator(f"#{achieved_id}")).to_have_value("lots")

    tab_to(page, f"el.getAttribute('href') === '#{achieved_id}'")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{achieved_id}")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("123,456.78")
    page.keyboard.press("Enter")
    expect(forms.first.locator(".govuk-notification-banner")).to_contain_text("Saved the")
    expect(page.locator(f"#{achieved_id}-error")).to_have_count(0)

    page.goto(live.url() + "/savings/entry")  # stored, not only shown
    expect(page.locator(f"#{achieved_id}")).to_have_value("123456.78")
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_a_director_opens_the_quarterly_report_from_the_dashboard(
    page: Page, live: RunningSystem
) -> None:
    sign_in(page, live, "viewer@demo.example")
    page.goto(live.url() + "/")
    page.get_by_role("link", name="Quarterly performance report").click()
    page.wait_for_load_state("networkidle")
    assert page.title().startswith("Quarterly performance report")
    for heading in (
        "Exceptions: KPIs off track or at risk",
        "Budget forecast position",
        "Savings by project",
        "KPI scorecard",
    ):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("link", name="Download as a Word document (.docx)")).to_be_visible()
