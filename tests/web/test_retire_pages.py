"""Retiring from the change pages: a button with the form's ETag, a 412 shown as both versions,
a list that leaves retired records out until "Show retired" is ticked, and "Retired" in words.
Only those who may change a record are offered it or may use it."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from common.identity import Caller, Role
from common.testing.plugin import make_caller
from tests.finance.factories import make_budget_line, make_savings_line
from tests.kpi.factories import make_measure
from tests.projects.conftest import (
    API,
    make_improvement_action,
    make_objective,
    make_priority,
    make_project,
)
from tests.web.test_editing_pages import etag_in, retire_or_restore

# (the change page's base, its list page, the API's read, a factory, the name the list shows)
RECORDS: list[tuple[str, str, str, Callable[[TestClient], dict[str, Any]], str]] = [
    ("/kpis", "/kpis", "/api/v1/kpi/measures", make_measure, "title"),
    ("/priorities", "/objectives", f"{API}/priorities", make_priority, "title"),
    ("/objectives", "/objectives", f"{API}/objectives", make_objective, "statement"),
    (
        "/improvement-plan/actions",
        "/improvement-plan",
        f"{API}/improvement-actions",
        make_improvement_action,
        "action",
    ),
    ("/projects", "/projects", f"{API}/projects", make_project, "name"),
    (
        "/budget/lines",
        "/budget?month=2025-09",
        "/api/v1/finance/budget-lines",
        make_budget_line,
        "name",
    ),
    (
        "/savings",
        "/savings?financial_year=2025/26",
        "/api/v1/finance/savings-lines",
        make_savings_line,
        "title",
    ),
]


@pytest.mark.parametrize(("base", "listed", "read", "make", "name"), RECORDS)
def test_a_record_is_retired_from_its_change_page_and_shown_again_on_asking(
    api: TestClient,
    base: str,
    listed: str,
    read: str,
    make: Callable[[TestClient], dict[str, Any]],
    name: str,
) -> None:
    record = make(api)
    words = record[name]
    if base == "/priorities":  # a priority shows under the objectives it serves
        make_objective(api, priority_ids=[record["id"]])
    before = api.get(listed)
    assert words in before.text
    retire_or_restore(api, base, record["id"], "Retire")
    assert api.get(f"{read}/{record['id']}").json()["retired"] is True

    assert words not in api.get(listed).text
    joiner = "&" if "?" in listed else "?"
    shown = api.get(f"{listed}{joiner}retired=yes")
    assert words in shown.text
    assert "Retired</strong>" in shown.text
    assert 'name="retired" type="checkbox" value="yes" checked' in shown.text

    retire_or_restore(api, base, record["id"], "Restore")
    assert words in api.get(listed).text


def test_retiring_with_a_stale_etag_shows_both_versions(api: TestClient) -> None:
    priority = make_priority(api, title="Secure best value")
    form = api.get(f"/priorities/{priority['id']}/edit")
    api.patch(
        f"{API}/priorities/{priority['id']}",
        json={"title": "Best value for every pound"},
        headers={"If-Match": '"1"'},
    )
    stale = api.post(f"/priorities/{priority['id']}/retire", data={"etag": etag_in(form.text)})
    assert stale.status_code == 409
    assert "Someone else changed this priority since you opened it" in stale.text
    assert "Best value for every pound" in stale.text
    assert "Retired" in stale.text
    assert api.get(f"{API}/priorities/{priority['id']}").json()["retired"] is False
    mine = api.post(
        f"/priorities/{priority['id']}/retire",
        data={"etag": etag_in(stale.text), "conflict": "mine"},
        follow_redirects=False,
    )
    assert mine.status_code == 303
    assert api.get(f"{API}/priorities/{priority['id']}").json()["retired"] is True


def test_only_those_who_may_change_a_record_may_retire_it(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    priority = make_priority(api)
    line = make_savings_line(api)  # the Commissioning Team's
    viewer = api_as(make_caller(demo_org, Role.VIEWER))
    refused = viewer.post(f"/priorities/{priority['id']}/retire", data={"etag": '"1"'})
    assert refused.status_code == 403
    assert "You do not have permission" in refused.text
    lead = api_as(make_caller(demo_org, Role.SERVICE_LEAD, team="Operations Team"))
    theirs = lead.post(f"/savings/{line['id']}/retire", data={"etag": '"1"'})
    assert theirs.status_code == 403
    assert "Commissioning Team" in theirs.text  # says who may
    assert api.get(f"{API}/priorities/{priority['id']}").json()["retired"] is False
    assert api.get(f"/api/v1/finance/savings-lines/{line['id']}").json()["retired"] is False
