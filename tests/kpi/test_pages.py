"""The KPI pages, through the gateway like a browser: tracker, measure, data entry, approvals."""

import re
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from common.identity import Caller, Role
from common.periods import Period
from common.testing.plugin import make_caller
from stack.testing.plugin import System
from tests.helpers import assert_hides, assert_shows, download, page_text
from tests.kpi.factories import API, approver_for, make_actual, make_measure, make_target

PROVIDER = "Performance and Data Team"


def _two_measures(api: TestClient) -> tuple[dict[str, Any], dict[str, Any]]:
    good = make_measure(api, code="G1", title="Living independently", council_plan=True)
    make_target(api, good, "78")
    make_actual(api, good, "2025-08", value="77")
    make_actual(api, good, "2025-09", value="80", commentary="Demo: a good month")
    bad = make_measure(api, code="R1", title="Carers assessed", unit="count")
    make_target(api, bad, "752")
    make_actual(api, bad, "2025-09", value="600")
    return good, bad


def _enter(api: TestClient, figures: dict[str, dict[str, str]]) -> httpx.Response:
    """Submits the entry form of September 2025 with each measure's fields, by measure id; a
    measure's period is September 2025 unless its fields give another."""
    form: dict[str, str | list[str]] = {
        "period": "2025-09",
        "provider": PROVIDER,
        "measure": list(figures),
        "action": "submit",
    }
    for measure_id, fields in figures.items():
        form |= {f"m-{measure_id}-{k}": v for k, v in ({"period": "2025-09"} | fields).items()}
    response: httpx.Response = api.post("/kpis/entry", data=form, follow_redirects=False)
    return response


def test_tracker_shows_each_measure_with_rag_in_words(api: TestClient) -> None:
    _two_measures(api)
    html = page_text(api, "/kpis", params={"period": "2025-09"})
    assert_shows(
        html,
        "<table",
        "Living independently",
        "80%",
        ">Green</strong>",
        ">Red</strong>",
        "Improving",
        'class="app-sparkline"',
        'hx-push-url="true"',
    )
    assert "80.0%" not in html  # decimal places 0 by default


def test_tracker_filters_by_htmx_return_only_the_table(api: TestClient) -> None:
    _two_measures(api)
    fragment = page_text(
        api, "/kpis", params={"period": "2025-09", "rag": "red"}, headers={"HX-Request": "true"}
    )
    assert_shows(fragment, 'id="kpi-results"', "Carers assessed")
    assert_hides(fragment, "<html", "Living independently")


def test_tracker_sort_links_keep_the_filters_in_the_url(api: TestClient) -> None:
    _two_measures(api)
    html = api.get("/kpis", params={"period": "2025-09", "council_plan": "true"}).text
    assert "/kpis?period=2025-09&amp;council_plan=true&amp;sort=rag" in html
    assert "Carers assessed" not in html


def test_tracker_says_when_the_period_is_not_a_period(api: TestClient) -> None:
    _two_measures(api)
    html = api.get("/kpis", params={"period": "next week"}).text
    assert "govuk-error-summary" in html
    assert "is not a period" in html
    fragment = api.get("/kpis", params={"period": "next week"}, headers={"HX-Request": "true"}).text
    assert "<html" not in fragment
    assert "is not a period" in fragment


def test_measure_page_has_definition_targets_chart_table_and_history(api: TestClient) -> None:
    good, _ = _two_measures(api)
    html = page_text(api, f"/kpis/{good['id']}")
    assert re.search(r'<title id="chart-[0-9a-f]+-title">', html)
    assert_shows(
        html,
        "Living independently",
        "<svg",
        "September 2025",
        "Demo: a good month",
        "Approved",
        "tester",
    )


def test_measure_page_for_an_unknown_measure_is_404(api: TestClient) -> None:
    assert api.get("/kpis/00000000-0000-4000-8000-0000000000ff").status_code == 404


def test_entry_form_lists_every_measure_due_from_the_provider(api: TestClient) -> None:
    make_measure(api, code="M1", title="Monthly one")
    make_measure(api, code="Q1", title="Quarterly one", frequency="quarterly")
    make_measure(api, code="X1", title="Someone else's", data_provider="Other Team")
    html = api.get("/kpis/entry", params={"period": "2025-09", "provider": PROVIDER}).text
    assert_shows(html, "Monthly one", "Quarterly one", "Q2 2025/26", 'name="action" value="submit"')
    assert "Someone else" not in html


def test_entry_errors_are_shown_by_field_keep_the_input_and_store_nothing(
    api: TestClient,
) -> None:
    one = make_measure(api, code="M1", title="Monthly one")
    two = make_measure(api, code="M2", title="Monthly two")
    page = _enter(api, {one["id"]: {"value": "70"}, two["id"]: {"value": "seventy"}})
    assert page.status_code == 422
    assert_shows(
        page.text,
        "govuk-error-summary",
        f'href="#m-{two["id"]}-value"',
        'value="seventy"',
        'value="70"',
    )
    assert api.get(f"{API}/actuals").json()["total"] == 0


def test_entry_submits_every_figure_for_approval(api: TestClient) -> None:
    one = make_measure(api, code="M1", title="Monthly one")
    figures = {"numerator": "3", "denominator": "4", "commentary": "Three of four"}
    page = _enter(api, {one["id"]: figures})
    assert page.status_code == 303
    actual = api.get(f"{API}/actuals").json()["items"][0]
    assert (actual["status"], actual["value"]) == ("submitted", "75")
    shown = api.get(page.headers["location"]).text
    assert "submitted for approval" in shown
    assert 'value="3"' in shown


def test_an_approver_approves_or_returns_with_a_reason(api: TestClient) -> None:
    measure = make_measure(api, code="M1", title="Monthly one")
    first = make_actual(api, measure, "2025-08", value="50", approve=False)
    second = make_actual(api, measure, "2025-09", value="55", approve=False)
    for actual in (first, second):
        api.post(f"{API}/actuals/{actual['id']}/submit", headers={"If-Match": '"1"'})
    html = api.get("/kpis/approvals").text
    assert "August 2025" in html
    assert "September 2025" in html
    approved = approver_for(api).post(
        f"/kpis/actuals/{first['id']}/approve", data={"version": "2"}, follow_redirects=False
    )
    assert approved.status_code == 303
    no_reason = api.post(f"/kpis/actuals/{second['id']}/return", data={"version": "2"})
    assert no_reason.status_code == 422
    assert "Enter a reason" in no_reason.text
    stale = api.post(
        f"/kpis/actuals/{second['id']}/return", data={"version": "1", "reason": "Check it"}
    )
    assert "Someone else changed this figure" in stale.text
    returned = api.post(
        f"/kpis/actuals/{second['id']}/return",
        data={"version": "2", "reason": "Check it"},
        follow_redirects=False,
    )
    assert returned.status_code == 303
    statuses = {a["period"]: a["status"] for a in api.get(f"{API}/actuals").json()["items"]}
    assert statuses == {"2025-08": "approved", "2025-09": "returned"}


def test_a_data_provider_starts_with_their_own_teams_measures(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    make_measure(api, code="M1", title="Ours to report")
    make_measure(api, code="X1", title="Someone else's", data_provider="Other Team")
    provider = api_as(make_caller(demo_org, Role.DATA_PROVIDER, team=PROVIDER))
    html = provider.get("/kpis/entry", params={"period": "2025-09"}).text
    assert "Ours to report" in html
    assert "Someone else" not in html


# Downloads --------------------------------------------------------------------------------------


KPI_HEADERS = [
    "Ref",
    "Measure",
    "Period",
    "Latest actual",
    "Target",
    "Unit",
    "Status",
    "Direction",
    "Frequency",
    "Council Plan KPI",
    "Data provider",
    "Service area",
]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_tracker_downloads_hold_the_filtered_rows_with_figures_as_numbers(
    api: TestClient, kind: str
) -> None:
    _two_measures(api)
    table = download(api, "/kpis", "kpis", period="2025-09", rag="red", format=kind)
    assert table.headers == KPI_HEADERS
    assert len(table.rows) == 1  # the green measure is filtered out
    row = table.rows[0]
    assert row[:7] == ["R1", "Carers assessed", "September 2025", "600", "752", "Number", "Red"]
    assert row[8:] == ["Monthly", "N", PROVIDER, "Adult Social Care"]
    everything = download(api, "/kpis", "kpis", period="2025-09", sort="-code", format=kind)
    assert [r[0] for r in everything.rows] == ["R1", "G1"]  # the page's sort
    good = everything.rows[1]
    assert (good[3], good[4], good[5], good[6]) == ("80", "78", "Percentage", "Green")
    assert good[9] == "Y"


def test_tracker_download_links_carry_the_filters_inside_the_htmx_fragment(
    api: TestClient,
) -> None:
    _two_measures(api)
    fragment = api.get(
        "/kpis", params={"period": "2025-09", "rag": "red"}, headers={"HX-Request": "true"}
    ).text
    assert_shows(
        fragment,
        'href="/kpis?period=2025-09&amp;rag=red&amp;sort=code&amp;format=csv"',
        'href="/kpis?period=2025-09&amp;rag=red&amp;sort=code&amp;format=xlsx"',
        "Download Excel (.xlsx)",
    )


def test_tracker_csv_guards_a_title_a_spreadsheet_would_run(api: TestClient) -> None:
    measure = make_measure(api, code="X1", title='=HYPERLINK("http://x.example","Click")')
    make_target(api, measure, "-5")
    response = api.get("/kpis", params={"period": "2025-09", "format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert '"\'=HYPERLINK(""http://x.example"",""Click"")"' in text
    assert ",-5," in text  # a negative number stays a number


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_approvals_queue_downloads_each_figure_waiting(api: TestClient, kind: str) -> None:
    measure = make_measure(api, code="M1", title="Monthly one")
    waiting = make_actual(api, measure, "2025-09", value="55.5", approve=False, commentary="Up")
    api.post(f"{API}/actuals/{waiting['id']}/submit", headers={"If-Match": '"1"'})
    make_actual(api, measure, "2025-08", value="50", approve=False)  # a draft: not waiting
    page = api.get("/kpis/approvals").text
    assert 'href="/kpis/approvals?format=csv"' in page
    table = download(api, "/kpis/approvals", "kpi-approvals", format=kind)
    assert table.headers[:5] == ["Ref", "Measure", "Period", "Figure", "Unit"]
    assert table.rows == [
        ["M1", "Monthly one", "September 2025", "55.5", "Percentage", "", "", "Up"]
    ]


def test_entry_form_asks_for_commentary_beside_a_red_figure_and_refuses_a_running_month(
    api: TestClient,
) -> None:
    red = make_measure(api, code="M1", title="Monthly one")
    make_target(api, red, "78")
    running = make_measure(api, code="M2", title="Monthly two", unit="count")
    this_month = Period.month_of(date.today())
    running_figures = {"period": this_month.code, "numerator": "412", "denominator": "500"}
    page = _enter(api, {red["id"]: {"value": "60"}, running["id"]: running_figures})
    assert page.status_code == 422
    assert_shows(
        page.text,
        f'href="#m-{red["id"]}-commentary"',
        "This figure is off track (Red): say why",
        f"{this_month.label} has not ended yet",
        "M2 is a count: enter the figure itself as the value",
    )
    assert api.get(f"{API}/actuals").json()["total"] == 0


def test_pages_show_figures_to_the_measures_places_and_downloads_keep_them_exact(
    api: TestClient,
) -> None:
    share = make_measure(api, code="P1", title="Reviews on time", decimal_places=1)
    make_target(api, share, "12")
    make_actual(api, share, "2025-09", numerator="452", denominator="3813")
    tracker = api.get("/kpis", params={"period": "2025-09"}).text
    assert "11.9%" in tracker
    assert "11.854183" not in tracker
    measure_page = api.get(f"/kpis/{share['id']}").text
    assert "11.9%" in measure_page
    assert "11.854183" not in measure_page
    csv = api.get("/kpis", params={"period": "2025-09", "format": "csv"}).text
    assert "11.854183" in csv


def test_the_tracker_s_filter_lists_are_read_again_only_when_the_measures_change(
    api: TestClient, system: System
) -> None:
    seen: list[int] = []

    async def note(response: httpx.Response) -> None:
        if response.request.url.path == "/api/v1/kpi/measures":
            seen.append(response.status_code)

    system.web.state.gateway.event_hooks["response"].append(note)
    make_measure(api, code="F1", title="First", data_provider="Team A")
    assert "Team A" in api.get("/kpis", params={"period": "2025-09"}).text
    assert "Team A" in api.get("/kpis", params={"period": "2025-09"}).text
    make_measure(api, code="F2", title="Second", data_provider="Team B")
    page = api.get("/kpis", params={"period": "2025-09"}).text
    assert "Team A" in page
    assert "Team B" in page
    assert seen == [200, 304, 200]  # kept while unchanged; read again once a measure was added
