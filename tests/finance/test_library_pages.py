"""The savings library pages and a line's working, through the gateway as a browser reaches
them (tests/browser/test_library_journey.py drives them in Chromium, with axe)."""

import html
import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from common.identity import Caller
from common.spreadsheets import read_table
from tests.finance.factories import make_savings_line
from tests.finance.test_library_api import import_annex, platform
from tests.helpers import assert_shows, text_of


def test_a_savings_line_page_shows_its_working_its_theme_and_its_peers(
    api: TestClient, api_as: Callable[[Caller], TestClient]
) -> None:
    import_annex(platform(api_as))
    line = make_savings_line(api, title="Review of care packages")
    benefit = {
        "method": "people_weeks",
        "inputs": {
            "people": {"planned": "120"},
            "weekly_difference": {"planned": "28.40"},
            "weeks": {"planned": "38.1"},
        },
    }
    assert api.put(f"/api/v1/finance/savings-lines/{line['id']}/benefit", json=benefit).is_success
    text = text_of(api.get(f"/savings/{line['id']}").text)
    assert_shows(
        text,
        "120 people × £28.40 a week × 38.1 weeks = £129,844.80",
        "No actuals yet, so nothing is achieved to date.",
        "Theme Care package reviews (suggested by its words)",
        "Northfield, 2023/24: Review of care packages, £2,100,000.00 achieved",
        "Difference a week £28.40 \u2013 Not yet known",
        "People 120 \u2013 Not yet known",
    )


def test_a_savings_line_without_a_calculation_says_nothing_of_one(api: TestClient) -> None:
    line = make_savings_line(api, title="Review of care packages")
    text = text_of(api.get(f"/savings/{line['id']}").text)
    assert "How the benefit is worked out" not in text
    assert "No other council\u2019s savings on this theme are in the library yet." in text


def test_the_library_page_filters_by_theme_and_year_and_shows_a_bad_year_by_its_field(
    api: TestClient, api_as: Callable[[Caller], TestClient]
) -> None:
    import_annex(platform(api_as))
    page = api.get("/savings-library", params={"theme": "technology_enabled_care"})
    text = text_of(page.text)
    assert_shows(text, "Northfield", "£412,350.00", "Adult social care savings annex 2024, page 14")
    assert "Eastmoor" not in text
    fragment = api.get(
        "/savings-library",
        params={"financial_year": "2023/24"},
        headers={"HX-Request": "true"},
    )
    assert fragment.text.lstrip().startswith('<div id="library-results">')
    bad = api.get("/savings-library", params={"financial_year": "next year"})
    assert bad.status_code == 200
    assert 'id="financial_year-error"' in bad.text
    assert 'value="next year"' in bad.text  # what was typed is kept


def test_the_measure_library_adopts_what_is_ticked_and_asks_when_nothing_is(
    api: TestClient,
) -> None:
    page = api.get("/measure-library")
    keys = re.findall(r'name="keys" type="checkbox" value="([^"]+)"', page.text)
    assert len(keys) >= 2
    none = api.post("/measure-library", data={}, follow_redirects=False)
    assert none.status_code == 422
    assert "Select at least one measure to adopt" in none.text
    done = api.post("/measure-library", data={"keys": keys[:2]}, follow_redirects=False)
    assert done.status_code == 303, done.text
    after = api.get(done.headers["location"]).text
    assert "2 measures added to your plan." in after
    adopted = after[after.index('id="adopted-measures"') :]
    assert adopted.count("<li>") == 2
    assert re.findall(r'name="keys" type="checkbox" value="([^"]+)"', after) == keys[2:]


def test_the_library_page_downloads_councils_down_and_themes_across(
    api: TestClient, api_as: Callable[[Caller], TestClient]
) -> None:
    import_annex(platform(api_as))
    page = api.get("/savings-library", params={"financial_year": "2023/24"})
    assert 'href="/savings-library?financial_year=2023%2F24&amp;format=csv"' in page.text
    download = api.get("/savings-library", params={"financial_year": "2023/24", "format": "csv"})
    assert download.status_code == 200
    rows = read_table(download.content, "table.csv").rows
    north = next(r for r in rows if r[0] == "Northfield")
    header = read_table(download.content, "table.csv").headers
    assert north[header.index("Care package reviews (£)")] == "2100000.00"
    assert north[-1] == "2512350.00"
    xlsx = api.get("/savings-library", params={"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_a_person_confirms_or_changes_a_lines_theme_on_its_form(api: TestClient) -> None:
    line = make_savings_line(api, title="Review of care packages")
    form = api.get(f"/savings/{line['id']}/edit").text
    assert '<option value="" selected>As its words suggest</option>' in form
    etag = html.unescape(re.findall(r'name="etag" value="([^"]*)"', form)[0])
    data = {
        "etag": etag,
        "owner_team": "Commissioning Team",
        "reference": "SAV-01",
        "title": "Review of care packages",
        "category": "care_package_reviews",
        "saving_type": "cashable",
        "recurrence": "recurring",
        "status": "in_delivery",
        "delivery_confidence": "amber",
        "theme": "transport",
    }
    saved = api.post(f"/savings/{line['id']}/edit", data=data, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    read = api.get(f"/api/v1/finance/savings-lines/{line['id']}").json()
    assert (read["theme"], read["theme_confirmed"]) == ("transport", True)
    assert "Theme Transport Change" in text_of(api.get(f"/savings/{line['id']}").text)
