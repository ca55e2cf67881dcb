"""The savings library across councils: a council's opt-in (off by default) and what leaves it,
themes by rule and by a person, published tables imported by a platform administrator through
the import pipeline, and totals by council and year with figures per head."""

import csv
import io
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from common.identity import NO_COUNCIL, Caller, Role
from common.testing.plugin import make_caller
from tests.finance.factories import make_savings_line

FINANCE = "/api/v1/finance"
ANNEX = (
    '"Savings achieved by area, 2023/24"\n'
    "Council,Area,Description,Savings achieved,Status,Page,Adult population\n"
    "Northfield,Review of care packages,,£2.1 million,on target,14,312456\n"
    'Northfield,Assistive technology,,"£412,350",over-performed,14,312456\n'
    "Eastmoor,Care package reviews,Strengths-based reviews of home care,£0.75m,less successful,"
    "15,\n"
    "Eastmoor,Transport,Travel training,£95k,on target,15,\n"
    'Total,,,"£3,357,350",,,\n'
)


def platform(api_as: Callable[[Caller], TestClient]) -> TestClient:
    return api_as(Caller(org_id=NO_COUNCIL, user_id="platform", client="test", platform_admin=True))


def import_annex(client: TestClient, text: str = ANNEX, *, commit: bool = True, **form: str) -> Any:
    return client.post(
        f"{FINANCE}/library/published-tables/import",
        params={"commit": str(commit).lower()},
        files={"file": ("annex.csv", text.encode(), "text/csv")},
        data={"source_document": "Adult social care savings annex 2024", **form},
    )


def opt_in(client: TestClient, name: str, population: int | None = None) -> Any:
    etag = client.get(f"{FINANCE}/library/setting").headers["ETag"]
    return client.put(
        f"{FINANCE}/library/setting",
        json={"share_savings": True, "council_name": name, "adult_population": population},
        headers={"If-Match": etag},
    )


def test_a_platform_administrator_imports_a_published_table_with_units_and_its_source(
    api: TestClient, api_as: Callable[[Caller], TestClient]
) -> None:
    admin = platform(api_as)
    preview = import_annex(admin, commit=False)
    assert preview.status_code == 200, preview.text
    assert preview.json()["counts"]["create"] == 4
    assert api.get(f"{FINANCE}/library/savings").json()["total"] == 0  # a preview keeps nothing
    response = import_annex(admin)
    assert response.status_code == 200, response.text
    body = api.get(f"{FINANCE}/library/savings", params={"theme": "care_package_reviews"}).json()
    assert [(i["council"], i["achieved"], i["page"]) for i in body["items"]] == [
        ("Eastmoor", "750000.00", "15"),
        ("Northfield", "2100000.00", "14"),
    ]
    first = body["items"][1]
    assert first["source"] == "published"
    assert first["source_document"] == "Adult social care savings annex 2024"
    assert first["financial_year"] == "2023/24"  # from the table's title
    assert first["status"] == "on target"
    tech = api.get(f"{FINANCE}/library/savings", params={"theme": "technology_enabled_care"})
    assert tech.json()["items"][0]["achieved"] == "412350.00"
    assert tech.json()["items"][0]["theme_label"] == "Technology-enabled care"
    assert body["reconciliations"] == []  # the stated total adds up


def test_a_stated_total_that_disagrees_is_shown_beside_the_lines_with_its_flag(
    api: TestClient, api_as: Callable[[Caller], TestClient]
) -> None:
    wrong = ANNEX.replace('"£3,357,350"', '"£3,400,000"')
    assert import_annex(platform(api_as), wrong).status_code == 200
    body = api.get(f"{FINANCE}/library/savings").json()
    assert len(body["reconciliations"]) == 1
    flag = body["reconciliations"][0]
    assert flag["stated"] == {"Savings achieved": "3400000"} or flag["stated"][
        "Savings achieved"
    ].startswith("3400000")
    assert flag["lines"]["Savings achieved"].startswith("3357350")
    assert "difference" in flag["message"]
    assert flag["source_document"] == "Adult social care savings annex 2024"
    tables = api.get(f"{FINANCE}/library/published-tables").json()["items"]
    assert tables[0]["lines"] == 4
    assert len(tables[0]["reconciliations"]) == 1


def test_a_published_table_with_a_bad_row_keeps_nothing_and_says_which_cell(
    api: TestClient, api_as: Callable[[Caller], TestClient]
) -> None:
    bad = ANNEX.replace("£95k", "ninety-five")
    response = import_annex(platform(api_as), bad)
    assert response.status_code == 422
    assert any(e["field"] == "rows.6.achieved" for e in response.json()["errors"])
    assert api.get(f"{FINANCE}/library/savings").json()["total"] == 0


def test_only_a_platform_administrator_imports_or_removes_published_tables(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    assert import_annex(api).status_code == 403  # a council's administrator
    assert import_annex(api_as(make_caller(demo_org, Role.FINANCE))).status_code == 403
    admin = platform(api_as)
    assert import_annex(admin).status_code == 200
    table = api.get(f"{FINANCE}/library/published-tables").json()["items"][0]["id"]
    assert api.delete(f"{FINANCE}/library/published-tables/{table}").status_code == 403
    assert admin.delete(f"{FINANCE}/library/published-tables/{table}").status_code == 204
    assert api.get(f"{FINANCE}/library/savings").json()["total"] == 0
    # and a platform administrator still reads no council's records
    assert admin.get(f"{FINANCE}/savings-lines").status_code == 403
    assert admin.get(f"{FINANCE}/library/savings").status_code == 403


def test_totals_by_council_and_year_keep_planned_and_achieved_apart_with_figures_per_head(
    api: TestClient, api_as: Callable[[Caller], TestClient]
) -> None:
    import_annex(platform(api_as))
    totals = api.get(f"{FINANCE}/library/savings").json()["totals"]
    north = next(t for t in totals if t["council"] == "Northfield")
    assert north["achieved"] == "2512350.00"
    assert north["planned"] == "0.00"
    assert north["adult_population"] == 312456
    assert north["achieved_per_head"] == "8.04"  # 2,512,350 / 312,456 = 8.0406…
    east = next(t for t in totals if t["council"] == "Eastmoor")
    assert east["adult_population"] is None
    assert east["achieved_per_head"] is None


def test_a_line_gets_a_theme_by_its_words_and_a_person_confirms_or_changes_it(
    api: TestClient,
) -> None:
    line = make_savings_line(api, title="Review of care packages for older people")
    assert (line["theme"], line["theme_confirmed"]) == ("care_package_reviews", False)
    etag = api.get(f"{FINANCE}/savings-lines/{line['id']}").headers["ETag"]
    changed = api.patch(
        f"{FINANCE}/savings-lines/{line['id']}",
        json={"theme": "transport"},
        headers={"If-Match": etag},
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["theme"], changed.json()["theme_confirmed"]) == ("transport", True)
    retitled = api.patch(
        f"{FINANCE}/savings-lines/{line['id']}",
        json={"title": "Day centre redesign"},
        headers={"If-Match": changed.headers["ETag"]},
    )
    assert retitled.json()["theme"] == "transport"  # a person's choice stays
    back = api.patch(
        f"{FINANCE}/savings-lines/{line['id']}",
        json={"theme": None},
        headers={"If-Match": retitled.headers["ETag"]},
    )
    assert (back.json()["theme"], back.json()["theme_confirmed"]) == ("day_services", False)
    refused = api.patch(
        f"{FINANCE}/savings-lines/{line['id']}",
        json={"theme": "roads"},
        headers={"If-Match": back.headers["ETag"]},
    )
    assert refused.status_code == 422


def test_sharing_is_off_by_default_and_nothing_leaves_a_council_until_it_opts_in(
    api: TestClient, api_as: Callable[[Caller], TestClient], other_org: uuid.UUID
) -> None:
    assert api.get(f"{FINANCE}/library/setting").json()["share_savings"] is False
    make_savings_line(api, title="Review of care packages", description="Led by a named person")
    other = api_as(make_caller(other_org))
    assert other.get(f"{FINANCE}/library/savings").json()["total"] == 0
    assert opt_in(api, "Demo Council", 250_000).status_code == 200
    shared = other.get(f"{FINANCE}/library/savings").json()
    assert shared["total"] == 3  # one for each year with a target
    item = shared["items"][0]
    assert item["source"] == "council"
    assert item["council"] == "Demo Council"
    assert item["description"] == "Review of care packages"
    assert item["planned"] == "376000.00"
    assert item["status"] == "in delivery"
    assert not item["your_council"]
    text = str(shared)
    for private in ("Led by a named person", "Commissioning Team", "SAV-01", "tester"):
        assert private not in text
    assert shared["totals"][0]["planned_per_head"] == "1.50"  # 376,000 / 250,000


def test_a_shared_line_follows_its_changes_and_leaves_when_the_council_opts_out(
    api: TestClient, api_as: Callable[[Caller], TestClient], other_org: uuid.UUID
) -> None:
    line = make_savings_line(api, title="Review of care packages")
    opt_in(api, "Demo Council")
    other = api_as(make_caller(other_org))
    etag = api.get(f"{FINANCE}/savings-lines/{line['id']}").headers["ETag"]
    api.patch(
        f"{FINANCE}/savings-lines/{line['id']}",
        json={"title": "Reviews of supported living packages"},
        headers={"If-Match": etag},
    )
    api.post(
        f"{FINANCE}/savings-lines/{line['id']}/entries",
        json={"month": "2025-09", "achieved_to_date": "120000", "forecast_for_year": "376000"},
    )
    found = other.get(f"{FINANCE}/library/savings", params={"financial_year": "2025/26"}).json()
    assert [(i["description"], i["achieved"]) for i in found["items"]] == [
        ("Reviews of supported living packages", "120000.00")
    ]
    setting = api.get(f"{FINANCE}/library/setting")
    off = api.put(
        f"{FINANCE}/library/setting",
        json={"share_savings": False},
        headers={"If-Match": setting.headers["ETag"]},
    )
    assert off.status_code == 200, off.text
    assert other.get(f"{FINANCE}/library/savings").json()["total"] == 0


def test_opting_in_needs_an_administrator_a_name_and_the_settings_version(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    finance = api_as(make_caller(demo_org, Role.FINANCE))
    body = {"share_savings": True, "council_name": "Demo"}
    assert (
        finance.put(
            f"{FINANCE}/library/setting", json=body, headers={"If-Match": '"0"'}
        ).status_code
        == 403
    )
    assert api.put(f"{FINANCE}/library/setting", json=body).status_code == 428
    nameless = api.put(
        f"{FINANCE}/library/setting", json={"share_savings": True}, headers={"If-Match": '"0"'}
    )
    assert nameless.status_code == 422
    assert nameless.json()["errors"][0]["field"] == "council_name"
    assert opt_in(api, "Demo").status_code == 200
    stale = api.put(f"{FINANCE}/library/setting", json=body, headers={"If-Match": '"0"'})
    assert stale.status_code == 412


def test_a_line_shows_other_councils_lines_on_its_theme_but_not_its_own(
    api: TestClient, api_as: Callable[[Caller], TestClient], other_org: uuid.UUID
) -> None:
    import_annex(platform(api_as))
    mine = make_savings_line(api, title="Review of care packages")
    opt_in(api, "Demo Council")
    other = api_as(make_caller(other_org))
    make_savings_line(other, title="Reviews of home care packages", reference="OTH-1")
    opt_in(other, "Other Council")
    peers = api.get(f"{FINANCE}/savings-lines/{mine['id']}/peers").json()
    assert peers["theme"] == "care_package_reviews"
    assert {i["council"] for i in peers["items"]} == {"Eastmoor", "Northfield", "Other Council"}


def test_the_theme_by_council_table_is_in_the_api_and_downloads_as_csv(
    api: TestClient, api_as: Callable[[Caller], TestClient]
) -> None:
    import_annex(platform(api_as))
    response = api.get(f"{FINANCE}/library/savings/table.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][0] == "Council"
    assert "Care package reviews" in rows[0]
    north = next(r for r in rows if r[0] == "Northfield")
    assert north[rows[0].index("Care package reviews")] == "2100000.00"
    assert north[-1] == "2512350.00"
    planned = api.get(f"{FINANCE}/library/savings/by-theme", params={"amount": "planned"}).json()
    assert planned["amount"] == "planned"
    assert planned["councils"] == []  # the annex gives achieved savings only
    achieved = api.get(f"{FINANCE}/library/savings/by-theme").json()
    northfield = next(c for c in achieved["councils"] if c["council"] == "Northfield")
    assert northfield["by_theme"] == {
        "care_package_reviews": "2100000.00",
        "technology_enabled_care": "412350.00",
    }


@pytest.mark.parametrize("year", ["2023/24", "23/24"])
def test_the_library_filters_by_year(
    api: TestClient, api_as: Callable[[Caller], TestClient], year: str
) -> None:
    import_annex(platform(api_as))
    assert (
        api.get(f"{FINANCE}/library/savings", params={"financial_year": year}).json()["total"] == 4
    )
    assert (
        api.get(f"{FINANCE}/library/savings", params={"financial_year": "2024/25"}).json()["total"]
        == 0
    )


def test_an_imported_savings_programme_is_shared_at_once_when_the_council_shares(
    api: TestClient, api_as: Callable[[Caller], TestClient], other_org: uuid.UUID
) -> None:
    opt_in(api, "Demo Council")
    table = "Reference,Title,Category,Target 2025/26\nIMP-1,Day centre review,other,£50k\n"
    imported = api.post(
        f"{FINANCE}/imports/savings",
        params={"commit": "true"},
        files={"file": ("savings.csv", table.encode(), "text/csv")},
    )
    assert imported.status_code == 200, imported.text
    items = api_as(make_caller(other_org)).get(f"{FINANCE}/library/savings").json()["items"]
    assert [(i["description"], i["theme"], i["planned"]) for i in items] == [
        ("Day centre review", "day_services", "50000.00")
    ]
