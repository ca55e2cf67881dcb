"""Two councils share a deployment: council B's administrator tries every operation of the API on
council A's records, every list (plainly and filtered by A's ids), points B's own records at A's
(by id, and by the codes, numbers and names imports match on), and opens every web page and form
with one of A's records in its path. Every attempt is refused as if A's record did not exist (404,
or 422 naming the link), shows nothing of A, and writes nothing in either council: every tenant
row and audit row of both is compared before and after (`Councils.fingerprint`).

Exhaustive by construction: `test_every_operation_has_a_cross_organisation_case` walks the
gateway's merged OpenAPI document and fails for any operation with an id in its path, any list,
any id in a request body, any id filter of a list and any import that no table here covers;
the web test walks the web app's routes.

The councils are built once for the module (one system each, about 40 requests) and every test
runs in a savepoint that is rolled back, so the file runs in well under a minute.
"""

import io
import json
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import DBAPIError

from common.identity import is_platform_data
from common.settings import Settings
from common.writing import write_csv
from services.finance.library.models import PublishedTable, SharedSaving
from tests.identity.two_councils import (
    MARK,
    MONTH,
    WEB_RECORDS,
    YEAR,
    Councils,
    fill,
    path_parameters,
    two_councils,
)
from tests.imports.files import KPI_COLUMNS

TAKEN = "Taken by Bramblewick"
ANY_VERSION = {"If-Match": '"1"'}
"""The ETag of a record never changed since it was made: a write must not get past the lookup
even when it names the right version (`*` is refused for every record, so it proves nothing)."""


@dataclass(frozen=True)
class Attempt:
    """B's request on A's record: `body` for writes; `use` picks which of A's records stands
    for a collection (e.g. the draft actual rather than the submitted one)."""

    body: dict[str, Any] | None = None
    use: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes, str]] | None = None


KPI, PROJECTS, FINANCE = "/api/v1/kpi", "/api/v1/projects", "/api/v1/finance"
BENEFIT = {
    "method": "units_cost",
    "inputs": {"units": {"planned": "1"}, "unit_cost": {"planned": "1"}},
}
DRAFT = {"actuals": "draft actuals"}


def record(path: str, change: dict[str, Any], *, retirable: bool = False) -> dict[str, Attempt]:
    """B reads, changes (`change`) and deletes one of A's records at `path`, and retires and
    restores it where records of its kind can be retired."""
    cases = {
        f"GET {path}": Attempt(),
        f"PATCH {path}": Attempt(change),
        f"DELETE {path}": Attempt(),
    }
    if retirable:
        cases |= {f"POST {path}/retire": Attempt(), f"POST {path}/restore": Attempt()}
    return cases


ID_CASES: dict[str, Attempt] = {
    "GET /api/v1/users/{user_id}": Attempt(),
    "PATCH /api/v1/users/{user_id}": Attempt({"display_name": TAKEN, "disabled": True}),
    "POST /api/v1/users/{user_id}/sign-out": Attempt(),
    "POST /api/v1/users/{user_id}/password-reset": Attempt(),
    "POST /api/v1/api-keys/{key_id}/revoke": Attempt(),
    # KPI
    **record(f"{KPI}/measures/{{measure_id}}", {"title": TAKEN}, retirable=True),
    f"GET {KPI}/measures/{{measure_id}}/series": Attempt(),
    **record(f"{KPI}/targets/{{target_id}}", {"value": "1"}),
    f"GET {KPI}/actuals/{{actual_id}}": Attempt(),
    f"PATCH {KPI}/actuals/{{actual_id}}": Attempt({"value": "1"}, use=DRAFT),
    f"GET {KPI}/actuals/{{actual_id}}/revisions": Attempt(),
    f"POST {KPI}/actuals/{{actual_id}}/submit": Attempt(use=DRAFT),
    f"POST {KPI}/actuals/{{actual_id}}/approve": Attempt(),
    f"POST {KPI}/actuals/{{actual_id}}/return": Attempt({"reason": TAKEN}),
    **record(f"{KPI}/populations/{{population_id}}", {"population": 5}),
    **record(f"{KPI}/benchmarks/{{benchmark_id}}", {"value": "1"}),
    f"POST {KPI}/measures/{{measure_id}}/benchmarks/import": Attempt(
        files={"file": ("b.csv", b"Area code,Area name,Period,Value\nE1,B,2024/25,1\n", "text/csv")}
    ),
    # Projects
    **record(f"{PROJECTS}/priorities/{{priority_id}}", {"title": TAKEN}, retirable=True),
    **record(f"{PROJECTS}/objectives/{{objective_id}}", {"statement": TAKEN}, retirable=True),
    f"GET {PROJECTS}/programmes/{{programme_id}}": Attempt(),
    f"PATCH {PROJECTS}/programmes/{{programme_id}}": Attempt({"name": TAKEN}),
    f"DELETE {PROJECTS}/programmes/{{programme_id}}": Attempt(use={"programmes": "workstreams"}),
    **record(f"{PROJECTS}/projects/{{project_id}}", {"name": TAKEN}, retirable=True),
    f"GET {PROJECTS}/projects/{{project_id}}/timeline": Attempt(),
    **record(f"{PROJECTS}/milestones/{{milestone_id}}", {"title": TAKEN}),
    **record(f"{PROJECTS}/highlight-reports/{{report_id}}", {"summary": TAKEN}),
    **record(f"{PROJECTS}/raid-items/{{item_id}}", {"title": TAKEN}),
    **record(f"{PROJECTS}/improvement-actions/{{action_id}}", {"action": TAKEN}, retirable=True),
    # Finance
    **record(f"{FINANCE}/budget-lines/{{line_id}}", {"name": TAKEN}, retirable=True),
    f"GET {FINANCE}/budget-lines/{{line_id}}/forecasts": Attempt(),
    f"POST {FINANCE}/budget-lines/{{line_id}}/forecasts": Attempt(
        {"month": "2025-05", "forecast_outturn": "1", "commentary": TAKEN}
    ),
    f"PATCH {FINANCE}/budget-lines/{{line_id}}/forecasts/{{month}}": Attempt(
        {"forecast_outturn": "1", "commentary": TAKEN}
    ),
    **record(f"{FINANCE}/savings-lines/{{line_id}}", {"title": TAKEN}, retirable=True),
    f"GET {FINANCE}/savings-lines/{{line_id}}/entries": Attempt(),
    f"POST {FINANCE}/savings-lines/{{line_id}}/entries": Attempt(
        {"month": "2025-05", "achieved_to_date": "1", "forecast_for_year": "1", "note": TAKEN}
    ),
    f"GET {FINANCE}/savings-lines/{{line_id}}/entries/{{month}}": Attempt(),
    f"PATCH {FINANCE}/savings-lines/{{line_id}}/entries/{{month}}": Attempt({"note": TAKEN}),
    f"POST {FINANCE}/savings-lines/{{line_id}}/activity-measures": Attempt(
        {"name": TAKEN, "planned": 1}
    ),
    f"PATCH {FINANCE}/activity-measures/{{measure_id}}": Attempt({"done": 99}),
    f"DELETE {FINANCE}/activity-measures/{{measure_id}}": Attempt(),
    f"GET {FINANCE}/savings-lines/{{line_id}}/benefit": Attempt(),
    f"PUT {FINANCE}/savings-lines/{{line_id}}/benefit": Attempt(BENEFIT),
    f"DELETE {FINANCE}/savings-lines/{{line_id}}/benefit": Attempt(),
    f"POST {FINANCE}/reconciliation-flags/{{flag_id}}/explain": Attempt({"explanation": TAKEN}),
    # Column mappings saved by each service's imports
    f"DELETE {KPI}/saved-mappings/{{mapping_id}}": Attempt(),
    f"DELETE {PROJECTS}/saved-mappings/{{mapping_id}}": Attempt(),
    f"DELETE {FINANCE}/saved-mappings/{{mapping_id}}": Attempt(),
    f"GET {FINANCE}/savings-lines/{{line_id}}/peers": Attempt(),
}


@dataclass(frozen=True)
class Listing:
    """A list as B sees it, plainly (`params`) and filtered by A's ids (`filters`: query
    parameter -> which of A's records). A's own answer must show A's records, so that the check
    on B's answer could fail; a `personal` list (the caller's own sessions) needs a person signed
    in with a session, so callers here get 403 and there is nothing of A's to show."""

    params: dict[str, str] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)
    personal: bool = False
    unmarked: bool = False
    """A's answer carries nothing that names A (national definitions, sums, adopted copies of
    them), so only B's answer is checked."""


LIST_CASES: dict[str, Listing] = {
    "GET /api/v1/me": Listing(),
    # People by id only (`ids` is required): B asks for A's user and must get nothing of them.
    # tests/web/test_editing_pages.py shows the names to their own council.
    "GET /api/v1/people": Listing(
        {"ids": "00000000-0000-4000-8000-000000000001"}, filters={"ids": "users"}, unmarked=True
    ),
    # The signed-in person's own sessions, found by their user id (tests/identity/test_sessions.py).
    "GET /api/v1/me/sessions": Listing(personal=True),
    "GET /api/v1/users": Listing(),
    "GET /api/v1/api-keys": Listing(),
    "GET /api/v1/organisation": Listing(),
    "GET /api/v1/audit-events": Listing(filters={"entity_id": "users"}),
    f"GET {KPI}/measures": Listing({"include_retired": "true"}),
    f"GET {KPI}/scorecard": Listing({"period": MONTH, "include_retired": "true"}),
    f"GET {KPI}/scorecard/service-areas": Listing({"period": MONTH}),
    f"GET {KPI}/targets": Listing(filters={"measure_id": "measures"}),
    f"GET {KPI}/actuals": Listing(filters={"measure_id": "measures"}),
    f"GET {KPI}/populations": Listing(),
    f"GET {KPI}/benchmarks": Listing(filters={"measure_id": "measures"}),
    f"GET {KPI}/audit-events": Listing(filters={"entity_id": "measures"}),
    f"GET {PROJECTS}/priorities": Listing({"include_retired": "true"}),
    f"GET {PROJECTS}/objectives": Listing(
        {"include_retired": "true"},
        filters={"priority_id": "priorities", "kpi_measure_id": "measures"},
    ),
    f"GET {PROJECTS}/programmes": Listing(filters={"parent_id": "programmes"}),
    f"GET {PROJECTS}/projects": Listing(
        {"include_retired": "true"},
        filters={"objective_id": "objectives", "programme_id": "workstreams"},
    ),
    f"GET {PROJECTS}/projects/lead-teams": Listing(),
    f"GET {PROJECTS}/milestones": Listing(filters={"project_id": "projects"}),
    f"GET {PROJECTS}/highlight-reports": Listing(filters={"project_id": "projects"}),
    f"GET {PROJECTS}/raid-items": Listing(filters={"project_id": "projects"}),
    f"GET {PROJECTS}/improvement-actions": Listing({"include_retired": "true"}),
    f"GET {PROJECTS}/improvement-actions/summary": Listing(),
    f"GET {PROJECTS}/portfolio/summary": Listing(),
    f"GET {PROJECTS}/audit-events": Listing(filters={"entity_id": "projects"}),
    f"GET {FINANCE}/budget-lines": Listing({"financial_year": YEAR, "include_retired": "true"}),
    f"GET {FINANCE}/budget/position": Listing({"month": MONTH}),
    f"GET {FINANCE}/budget/position.csv": Listing({"month": MONTH}),
    f"GET {FINANCE}/savings-lines": Listing(
        {"financial_year": YEAR, "include_retired": "true"}, filters={"project_id": "projects"}
    ),
    f"GET {FINANCE}/savings-lines/export.csv": Listing(
        {"financial_year": YEAR}, filters={"project_id": "projects"}
    ),
    f"GET {FINANCE}/savings/totals": Listing(
        {"by": "owner", "financial_year": YEAR}, filters={"project_id": "projects"}
    ),
    f"GET {FINANCE}/savings/owners": Listing(),
    f"GET {FINANCE}/savings/trend": Listing({"financial_year": YEAR}, unmarked=True),
    f"GET {FINANCE}/budget/trend": Listing({"financial_year": YEAR}, unmarked=True),
    f"GET {FINANCE}/reconciliation-flags": Listing({"tracker": "budget"}),
    f"GET {KPI}/saved-mappings": Listing({"kind": "actuals"}),
    f"GET {PROJECTS}/saved-mappings": Listing({"kind": "objectives"}),
    f"GET {FINANCE}/saved-mappings": Listing({"kind": "budget-lines"}),
    f"GET {FINANCE}/audit-events": Listing(filters={"entity_id": "savings-lines"}),
    f"GET {KPI}/library/measures": Listing(unmarked=True),
    f"GET {KPI}/library/adoptions": Listing(unmarked=True),
    f"GET {FINANCE}/benefits/totals": Listing(unmarked=True),
    # The savings library: A has not opted in, so nothing of A's is in it, for B or for A
    # (test_a_council_that_opts_in_shares_only_the_allowed_fields shows what opting in shares).
    f"GET {FINANCE}/library/themes": Listing(unmarked=True),
    f"GET {FINANCE}/library/setting": Listing(unmarked=True),
    f"GET {FINANCE}/library/savings": Listing(unmarked=True),
    f"GET {FINANCE}/library/savings/by-theme": Listing(unmarked=True),
    f"GET {FINANCE}/library/savings/table.csv": Listing(unmarked=True),
    f"GET {FINANCE}/library/published-tables": Listing(unmarked=True),
    # Each person's tasks: A's administrator is in the team that owns A's records.
    "GET /api/v1/me/tasks": Listing(),
    f"GET {KPI}/tasks": Listing(),
    f"GET {PROJECTS}/tasks": Listing(),
    f"GET {FINANCE}/tasks": Listing(),
    # What a director chases: A's figures are overdue, and A's improvement action is past due.
    f"GET {KPI}/overdue": Listing(),
    # A's measure has figures for two months of 2025 only: nothing for its last two periods.
    f"GET {KPI}/unreported": Listing(),
    f"GET {PROJECTS}/overdue": Listing(),
    # A's team has nobody who signs in (A's one person has no team), so A's records are listed.
    "GET /api/v1/no-active-owner": Listing(),
    # A person's own reminder setting, found by their user id.
    "GET /api/v1/me/reminders": Listing(personal=True),
    "GET /api/v1/reminders-sent": Listing(),
}

Body = Callable[[dict[str, str]], dict[str, Any]]


@dataclass(frozen=True)
class Link:
    """B's record pointing at one of A's: the request, and B's record it changes (for PATCH)."""

    body: Body
    own: str | None = None


OBJECTIVE = {"number": 2, "statement": TAKEN}
LINE = {"reference": "B-S2", "title": TAKEN, "category": "other"}


LINK_CASES: dict[str, Link] = {
    f"POST {KPI}/targets measure_id": Link(
        lambda a: {"measure_id": a["measures"], "financial_year": YEAR, "value": "1"}
    ),
    f"POST {KPI}/actuals measure_id": Link(
        lambda a: {"measure_id": a["measures"], "period": "2025-06", "value": "1"}
    ),
    f"POST {KPI}/actuals/bulk rows.measure_id": Link(
        lambda a: {"rows": [{"measure_id": a["measures"], "period": "2025-06", "value": "1"}]}
    ),
    # Not an id, but names A's measure all the same: its code is A's alone.
    f"POST {KPI}/actuals/bulk rows.measure_code": Link(
        lambda a: {"rows": [{"measure_code": "ALD-1", "period": "2025-06", "value": "1"}]}
    ),
    f"POST {KPI}/benchmarks measure_id": Link(
        lambda a: {
            "measure_id": a["measures"],
            "financial_year": YEAR,
            "comparator": "regional",
            "value": "1",
        }
    ),
    f"POST {PROJECTS}/objectives priority_ids": Link(
        lambda a: OBJECTIVE | {"priority_ids": [a["priorities"]]}
    ),
    f"POST {PROJECTS}/objectives kpi_measure_ids": Link(
        lambda a: OBJECTIVE | {"kpi_measure_ids": [a["measures"]]}
    ),
    f"PATCH {PROJECTS}/objectives/{{objective_id}} priority_ids": Link(
        lambda a: {"priority_ids": [a["priorities"]]}, own="objectives"
    ),
    f"PATCH {PROJECTS}/objectives/{{objective_id}} kpi_measure_ids": Link(
        lambda a: {"kpi_measure_ids": [a["measures"]]}, own="objectives"
    ),
    f"POST {PROJECTS}/programmes parent_id": Link(
        lambda a: {"name": TAKEN, "parent_id": a["programmes"]}
    ),
    f"PATCH {PROJECTS}/programmes/{{programme_id}} parent_id": Link(
        lambda a: {"parent_id": a["programmes"]}, own="programmes"
    ),
    f"POST {PROJECTS}/projects programme_id": Link(
        lambda a: {"name": TAKEN, "programme_id": a["workstreams"]}
    ),
    f"POST {PROJECTS}/projects objective_ids": Link(
        lambda a: {"name": TAKEN, "objective_ids": [a["objectives"]]}
    ),
    f"PATCH {PROJECTS}/projects/{{project_id}} programme_id": Link(
        lambda a: {"programme_id": a["workstreams"]}, own="projects"
    ),
    f"PATCH {PROJECTS}/projects/{{project_id}} objective_ids": Link(
        lambda a: {"objective_ids": [a["objectives"]]}, own="projects"
    ),
    f"POST {PROJECTS}/milestones project_id": Link(
        lambda a: {"project_id": a["projects"], "title": TAKEN, "baseline_date": "2025-06-01"}
    ),
    f"POST {PROJECTS}/highlight-reports project_id": Link(
        lambda a: {"project_id": a["projects"], "period": MONTH, "rag": "red", "summary": TAKEN}
    ),
    f"POST {PROJECTS}/raid-items project_id": Link(
        lambda a: {
            "project_id": a["projects"],
            "kind": "issue",
            "title": TAKEN,
            "likelihood": 1,
            "impact": 1,
        }
    ),
    f"POST {FINANCE}/savings-lines project_ids": Link(
        lambda a: LINE | {"project_ids": [a["projects"]]}
    ),
    f"POST {FINANCE}/savings-lines mitigates_line_id": Link(
        lambda a: LINE | {"mitigates_line_id": a["savings-lines"]}
    ),
    f"PATCH {FINANCE}/savings-lines/{{line_id}} project_ids": Link(
        lambda a: {"project_ids": [a["projects"]]}, own="savings-lines"
    ),
    f"PATCH {FINANCE}/savings-lines/{{line_id}} mitigates_line_id": Link(
        lambda a: {"mitigates_line_id": a["savings-lines"]}, own="savings-lines"
    ),
    f"POST {FINANCE}/savings-lines kpi_measure_id": Link(
        lambda a: LINE | {"kpi_measure_id": a["measures"]}
    ),
    f"PATCH {FINANCE}/savings-lines/{{line_id}} kpi_measure_id": Link(
        lambda a: {"kpi_measure_id": a["measures"]}, own="savings-lines"
    ),
    f"PUT {FINANCE}/savings-lines/{{line_id}}/benefit overlaps_line_id": Link(
        lambda a: BENEFIT | {"overlaps_line_id": a["savings-lines"]}, own="savings-lines"
    ),
}


NO_MORE = ["90", "", "", "N", "B team"]
"""The rest of a KPI row: a target for 2025/26 only, not a Council Plan KPI, B's own team."""


@dataclass(frozen=True)
class Upload:
    """One row of a council's table that names A's records the way the council would. `own`:
    B gets a new record of its own; otherwise the row names nothing B has and is refused."""

    columns: list[str]
    row: list[str]
    own: bool


IMPORTS: dict[str, Upload] = {
    # Matched to existing measures by title.
    f"POST {KPI}/imports/kpis": Upload(
        KPI_COLUMNS,
        [f"{MARK} people supported at home", "", "%", "Bigger", "Monthly", "Flat", *NO_MORE],
        own=True,
    ),
    # Figures for a measure named by its code.
    f"POST {KPI}/imports/actuals": Upload(
        ["KPI code", "Month", "Actual"], ["ALD-1", "2025-06", "5"], own=False
    ),
    # Matched by number, and linked to priorities by their wording.
    f"POST {PROJECTS}/imports/objectives": Upload(
        ["Objectives", "Council Plan objective? (Y/N)", "Priority"],
        [f"7. {MARK} objective", "N", f"{MARK} priority"],
        own=True,
    ),
    # Matched by name, and linked to objectives by number.
    f"POST {PROJECTS}/imports/projects": Upload(
        ["Project name", "Relevant objective"], [f"{MARK} reablement", "Objective 7"], own=True
    ),
    # Milestones of a project named by its name.
    f"POST {PROJECTS}/imports/milestones": Upload(
        ["Project", "Milestone", "Baseline date"],
        [f"{MARK} reablement", f"{MARK} milestone", "July 2030"],
        own=False,
    ),
    # Matched by cost centre and name.
    f"POST {FINANCE}/imports/budget-lines": Upload(
        ["Cost centre", "Budget line", "Service area", "Budget 2025/26"],
        ["ALD100", f"{MARK} learning disabilities", "", "1000"],
        own=True,
    ),
    # Matched by reference.
    f"POST {FINANCE}/imports/savings": Upload(
        ["Ref", "Savings proposal", "Owner team", "Category", "Target 2025/26"],
        ["ALD-S1", f"{MARK} supported living", "B team", "Other", "1000"],
        own=True,
    ),
    # Linked to a project named by its name, which the projects service looks up as B.
    f"POST {FINANCE}/imports/savings linking a project": Upload(
        ["Ref", "Savings proposal", "Owner team", "Category", "Project", "Target 2025/26"],
        ["B-S9", "B saving", "B team", "Other", f"{MARK} reablement", "1000"],
        own=False,
    ),
    # Monthly returns of a savings line named by its reference.
    f"POST {FINANCE}/imports/savings-entries": Upload(
        ["Savings line", "Month", "Achieved", "Forecast", "Comments"],
        ["ALD-S1", "April 2025", "1", "1", ""],
        own=False,
    ),
}
"""Uploads whose rows name A's records the way a council's table does: by title, number, name."""


# Fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(engine: Engine, settings: Settings) -> Iterator[Councils]:
    """Both councils, built once for this module (each test undoes its own writes)."""
    with two_councils(engine, settings) as councils:
        yield councils


@pytest.fixture(scope="module")
def a_reads(world: Councils) -> dict[str, tuple[int, str, str | None]]:
    """Every read of one of A's records, as A sees it before B tries anything."""
    return {url: _read(world.a, url) for url in _read_urls(world)}


@pytest.fixture
def councils(world: Councils) -> Iterator[Councils]:
    """The two councils; whatever this test writes is rolled back after it."""
    savepoint = world.connection.begin_nested()
    try:
        yield world
    finally:
        savepoint.rollback()


# Helpers ------------------------------------------------------------------------------------


def _operation(key: str) -> str:
    """The `METHOD /path` a case's key starts with (it may say more after it)."""
    return " ".join(key.split(" ")[:2])


def _split(key: str) -> tuple[str, str]:
    method, path = key.split(" ")[:2]
    return method, path


def _read_urls(world: Councils) -> list[str]:
    return [fill(path, world.a_ids) for method, path in map(_split, ID_CASES) if method == "GET"]


def _read(client: TestClient, url: str) -> tuple[int, str, str | None]:
    response = client.get(url)
    return response.status_code, response.text, response.headers.get("ETag")


def _values(world: Councils, key: str) -> dict[str, str]:
    """A's ids by collection, with the records this case picks."""
    return world.a_ids | {k: world.a_ids[v] for k, v in ID_CASES[key].use.items()}


def _attempt(world: Councils, key: str, values: dict[str, str]) -> Any:
    method, path = _split(key)
    case = ID_CASES[key]
    if case.files:
        return world.b.request(method, fill(path, values), files=case.files, headers=ANY_VERSION)
    return world.b.request(method, fill(path, values), json=case.body, headers=ANY_VERSION)


def _problem(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    return {k: body.get(k) for k in ("status", "title", "detail", "errors")}


def _refused_as_unknown(world: Councils, key: str) -> None:
    """B's attempt on A's record is answered exactly as for a record that does not exist."""
    values = _values(world, key)
    response = _attempt(world, key, values)
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "ETag" not in response.headers
    url = fill(_split(key)[1], values)
    sent = frozenset(v for v in values.values() if v in url)
    assert world.leaks(response.text, allowed=sent) == []
    months = ("entries", "forecasts")
    unknown = {k: v if k in months else str(uuid.uuid4()) for k, v in values.items()}
    nobody = _attempt(world, key, unknown)
    assert (nobody.status_code, _problem(nobody)) == (response.status_code, _problem(response))


# Tests --------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(ID_CASES))
def test_another_councils_record_is_not_found_and_unchanged(
    councils: Councils, a_reads: dict[str, tuple[int, str, str | None]], key: str
) -> None:
    before = councils.fingerprint(councils.a_org), councils.fingerprint(councils.b_org)

    _refused_as_unknown(councils, key)

    after = councils.fingerprint(councils.a_org), councils.fingerprint(councils.b_org)
    assert after == before, "a refused attempt wrote to a council"
    service = _split(key)[1].split("/")[3]
    for url, seen in a_reads.items():
        if url.split("/")[3] == service:
            assert _read(councils.a, url) == seen, url


@pytest.mark.parametrize("key", list(LIST_CASES))
def test_a_list_shows_nothing_of_another_council(councils: Councils, key: str) -> None:
    _method, path = _split(key)
    case = LIST_CASES[key]
    filtered = case.params | {p: councils.a_ids[k] for p, k in case.filters.items()}
    for params in (case.params, filtered):
        response = councils.b.get(path, params=params)
        assert response.status_code in ((403,) if case.personal else (200, 404, 422)), response.text
        assert councils.leaks(response.text, allowed=frozenset(filtered.values())) == [], params
        if not case.personal and not case.unmarked:
            control = councils.a.get(path, params=params)
            assert control.status_code == 200, control.text
            assert councils.leaks(control.text), f"A's own answer shows nothing of A: {params}"


@pytest.mark.parametrize("key", list(LINK_CASES))
def test_a_link_to_another_councils_record_is_refused(councils: Councils, key: str) -> None:
    method, path, name = key.split(" ")
    case = LINK_CASES[key]
    url = fill(path, councils.b_ids) if case.own else path
    before = councils.fingerprint(councils.a_org), councils.fingerprint(councils.b_org)

    body = case.body(councils.a_ids)
    response = councils.b.request(method, url, json=body, headers=ANY_VERSION)

    assert response.status_code in (404, 422), response.text
    assert response.headers["content-type"] == "application/problem+json"
    if response.status_code == 422:
        fields = [e["field"] for e in response.json().get("errors", [])]
        last = name.split(".")[-1]
        assert any(last in f for f in fields), fields
    sent = frozenset(v for v in councils.a_record_ids() if v in json.dumps(body))
    assert councils.leaks(response.text, allowed=sent) == []
    after = councils.fingerprint(councils.a_org), councils.fingerprint(councils.b_org)
    assert after == before, "a refused link wrote to a council"


@pytest.mark.parametrize("key", list(IMPORTS))
def test_an_import_naming_another_councils_records_never_reaches_them(
    councils: Councils, key: str
) -> None:
    _method, path = _split(key)
    upload = IMPORTS[key]
    a_before = councils.fingerprint(councils.a_org)
    b_before = councils.fingerprint(councils.b_org)

    response = councils.b.post(
        path,
        params={"commit": "true"},
        files={"file": ("table.csv", write_csv(upload.columns, [upload.row]), "text/csv")},
    )

    if upload.own:
        assert response.status_code == 200, response.text
        counts = response.json()["counts"]
        assert (counts["create"], counts["update"], counts["unchanged"]) == (1, 0, 0), counts
    else:
        assert response.status_code == 422, response.text
        assert councils.fingerprint(councils.b_org) == b_before
    assert councils.leaks(response.text.replace(MARK, "")) == []
    assert councils.fingerprint(councils.a_org) == a_before
    assert councils.rows_naming(councils.b_org, councils.a_record_ids()) == []


def test_a_column_mapping_another_council_saved_is_never_used_for_a_file_with_its_headings(
    councils: Councils,
) -> None:
    """A saved a mapping for a budget table headed "Alderbrook line": B's file with the same
    headings is read by its wording (and refused for its missing column), never as A mapped it."""
    table = write_csv([f"{MARK} line", f"Budget {YEAR}"], [["B day care", "100"]])
    before = councils.fingerprint(councils.a_org), councils.fingerprint(councils.b_org)
    mine = councils.a.post(f"{FINANCE}/imports/budget-lines", files={"file": ("t.csv", table)})
    assert mine.status_code == 200, mine.text
    assert mine.json()["saved_mapping"]["id"] == councils.a_ids["finance saved-mappings"]

    theirs = councils.b.post(
        f"{FINANCE}/imports/budget-lines",
        params={"commit": "true"},
        files={"file": ("t.csv", table)},
    )
    assert theirs.status_code == 422, theirs.text
    assert theirs.json()["mapping"][0] == {
        "heading": f"{MARK} line",
        "field": "not-imported",
        "label": "not imported",
        "chosen": False,
    }
    assert councils.leaks(theirs.text.replace(f"{MARK} line", "")) == []
    after = councils.fingerprint(councils.a_org), councils.fingerprint(councils.b_org)
    assert after == before


@pytest.mark.parametrize("upload", ["bulk.csv", "bulk as text/csv"])
@pytest.mark.parametrize("column", ["measure_code", "measure_id"])
def test_a_csv_of_figures_naming_another_councils_measure_is_refused(
    councils: Councils, column: str, upload: str
) -> None:
    measure = "ALD-1" if column == "measure_code" else councils.a_ids["measures"]
    before = councils.fingerprint(councils.a_org), councils.fingerprint(councils.b_org)
    table = f"{column},period,value\n{measure},2025-06,1\n".encode()

    if upload == "bulk.csv":
        response = councils.b.post(
            f"{KPI}/actuals/bulk.csv", files={"file": ("figures.csv", table, "text/csv")}
        )
    else:
        response = councils.b.post(
            f"{KPI}/actuals/bulk", content=table, headers={"content-type": "text/csv"}
        )

    assert response.status_code == 422, response.text
    fields = [e["field"] for e in response.json()["errors"]]
    assert len(fields) == 1
    assert fields[0].endswith(column), fields
    assert councils.leaks(response.text, allowed=frozenset({measure})) == []
    after = councils.fingerprint(councils.a_org), councils.fingerprint(councils.b_org)
    assert after == before


@pytest.mark.parametrize("same_body", [True, False], ids=["same body", "another body"])
def test_an_idempotency_key_another_council_used_is_a_new_request(
    councils: Councils, same_body: bool
) -> None:
    """A retry is recognised within a council only: never A's stored answer, nor a refusal
    that would tell B the key was used."""
    key = {"Idempotency-Key": "shared-key"}
    body = {"code": "ALD-9", "title": f"{MARK} once"}
    ours = councils.a.post(f"{KPI}/measures", json=body, headers=key)
    assert ours.status_code == 201, ours.text

    theirs = councils.b.post(
        f"{KPI}/measures", json=body if same_body else {"code": "B-9", "title": "B"}, headers=key
    )

    assert theirs.status_code == 201, theirs.text
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.json()["id"] != ours.json()["id"]
    assert councils.b.get(f"{KPI}/measures/{ours.json()['id']}").status_code == 404


WEB_RECORDS_OF_PAGE = {"/budget/lines/": {"line_id": "budget-lines"}}
"""Where a parameter names another kind of record on the pages under a path."""


def _web_records(template: str) -> dict[str, str]:
    mine = next((v for k, v in WEB_RECORDS_OF_PAGE.items() if template.startswith(k)), {})
    return WEB_RECORDS | mine


WEB_WORDS = {"decision": "approve"}
"""Path parameters of pages that are words, not records."""
WEB_FORM = {
    "version": "1",
    "display_name": TAKEN,
    "roles": "viewer",
    "reason": TAKEN,
    "rag": "red",
    "rag_reason": TAKEN,
    "period": MONTH,
    "summary": TAKEN,
    "forecast_date": "2026-01-31",
    "status": "completed",
}
"""Enough of every form for a write to go through, were B allowed to reach A's record."""


def _web_pages(web: FastAPI) -> list[tuple[str, str]]:
    """Every page and form of the web app with a parameter in its path (from its routes), but
    those whose parameters only take one of a few words (`_pages_of_lists` tries those)."""
    return sorted(
        (method.upper(), path)
        for path, item in web.openapi()["paths"].items()
        for method, operation in item.items()
        if method in _METHODS
        and path_parameters(path)
        and not _only_words(path, operation)
        # Refused to every council's caller
        # (test_platform.py::test_a_council_administrator_is_refused_every_platform_page)
        and not path.startswith("/platform/")
    )


def _only_words(path: str, operation: dict[str, Any]) -> bool:
    """Whether every parameter in `path` takes one of a few words (a form page reads its id
    from the path without declaring it: that is a record)."""
    declared = {
        p["name"]: p["schema"] for p in operation.get("parameters", []) if p["in"] == "path"
    }
    return all("enum" in declared.get(name, {}) for name in path_parameters(path))


def _with_unknown_ids(url: str, ids: frozenset[str]) -> str:
    for value in ids:
        url = url.replace(value, str(uuid.uuid4()))
    return url


def test_another_councils_pages_are_not_found_and_its_forms_change_nothing(
    councils: Councils,
) -> None:
    """Every page and form of the web app with a record in its path, walked from its routes."""
    pages = _web_pages(councils.web)
    assert len(pages) >= 13, pages
    before = councils.fingerprint(councils.a_org), councils.fingerprint(councils.b_org)
    wrong: list[str] = []
    for method, template in pages:
        names = path_parameters(template)
        records = _web_records(template)
        unknown = [n for n in names if n not in records and n not in WEB_WORDS]
        assert unknown == [], f"{method} {template}: say which record {unknown} names"
        url = template
        for name in names:
            value = WEB_WORDS.get(name) or councils.a_ids[records[name]]
            url = url.replace(f"{{{name}}}", value)
        sent = frozenset(councils.a_ids[records[n]] for n in names if n in records)
        if method == "GET":
            control = councils.a.get(url)
            if control.status_code != 200 or not councils.leaks(control.text):
                wrong.append(f"{method} {template}: A's own page shows nothing of A")
            response = councils.b.get(url)
            refused = response.status_code == 404
        else:
            # A form re-shows what B typed with the API's refusal; it must be a refusal, and
            # the same one a record that does not exist gets.
            response = councils.b.post(url, data=WEB_FORM, follow_redirects=False)
            nobody = councils.b.post(
                _with_unknown_ids(url, sent), data=WEB_FORM, follow_redirects=False
            )
            refused = response.status_code in (404, 422)
            refused = refused and response.status_code == nobody.status_code
        if not refused or councils.leaks(response.text, allowed=sent):
            wrong.append(f"{method} {template} -> {response.status_code}")
    assert wrong == [], "\n".join(wrong)
    after = councils.fingerprint(councils.a_org), councils.fingerprint(councils.b_org)
    assert after == before, "a refused form wrote to a council"


PAGES_WITHOUT_RECORDS = {
    "/admin",
    "/admin/users/new",
    "/admin/organisation",
    "/sign-in",
    "/reset-password",
    "/account/password",
    "/account/sessions",
    "/account/reminders",
    "/imports",
    "/platform",  # refused to every council's caller, as the next one is
    "/platform/councils/new",
    "/accessibility",
    "/admin/deadlines",
    # The savings library holds nothing of A's while A has not opted in (the API test
    # test_a_council_that_opts_in_shares_only_the_allowed_fields shows what opting in shares),
    # and the measure library holds national definitions.
    "/savings-library",
    "/measure-library",
    # Blank forms for a new record: their choices are A's only where a record links to another.
    "/budget/lines/new",
    "/highlight-reports/new",
    "/improvement-plan/actions/new",
    "/kpi-targets/new",
    "/kpis/new",
    "/milestones/new",
    "/priorities/new",
    "/raid-items/new",
    # The month's forecasts form lists the lines of this financial year; A's are of another.
    "/budget/forecasts",
    # Compressed PDF text cannot be searched; each is drawn from the same sections as its HTML
    # page (/documents/quarterly-report, /documents/service-plan), which this test does check.
    "/documents/service-plan.pdf",
    "/documents/quarterly-report.pdf",
}
"""Pages that show no council's records (forms, menus, the caller's own account); every other
page must show A's records to A, so that its check for B can fail."""


def _page_text(response: Any) -> str:
    """A page's text; for a Word or Excel download, the text of the XML parts inside it."""
    if not response.content.startswith(b"PK"):
        return str(response.text)
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return " ".join(
            archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
            if name.endswith(".xml")
        )


def _pages_of_lists(web: FastAPI) -> list[str]:
    """Every page of the web app without a record in its path; a parameter that takes one of a
    few words (a table of the plan) is tried with each."""
    pages: list[str] = []
    for path, item in web.openapi()["paths"].items():
        if "get" not in item:
            continue
        choices: list[str] = [path]
        for parameter in item["get"].get("parameters", []):
            if parameter["in"] == "path":
                words = parameter["schema"].get("enum", [])
                choices = [c.replace(f"{{{parameter['name']}}}", w) for c in choices for w in words]
        pages += [c for c in choices if not path_parameters(c)]
    return pages


def test_no_page_shows_another_councils_records(councils: Councils) -> None:
    pages = _pages_of_lists(councils.web)
    assert len(pages) >= 20, pages
    wrong: list[str] = []
    for page in pages:
        shown = councils.leaks(_page_text(councils.b.get(page)))
        if shown:
            wrong.append(f"{page} shows B {shown}")
        ours = _page_text(councils.a.get(page)).replace(f"{MARK} Council", "")
        if page not in PAGES_WITHOUT_RECORDS and not councils.leaks(ours):
            wrong.append(f"{page} shows A nothing of A's: add it to PAGES_WITHOUT_RECORDS?")
    assert wrong == [], "\n".join(wrong)


def test_after_every_attempt_council_a_reads_its_records_unchanged(
    councils: Councils, a_reads: dict[str, tuple[int, str, str | None]]
) -> None:
    audit = {s: _audit_total(councils.a, s) for s in ("kpi", "projects", "finance")}
    before = councils.fingerprint(councils.a_org)
    for key in ID_CASES:
        _attempt(councils, key, _values(councils, key))
    for key, link in LINK_CASES.items():
        method, path, _name = key.split(" ")
        url = fill(path, councils.b_ids) if link.own else path
        councils.b.request(method, url, json=link.body(councils.a_ids), headers=ANY_VERSION)

    assert {url: _read(councils.a, url) for url in a_reads} == a_reads
    assert {s: _audit_total(councils.a, s) for s in audit} == audit
    assert councils.fingerprint(councils.a_org) == before


def _audit_total(client: TestClient, service: str) -> int:
    response = client.get(f"/api/v1/{service}/audit-events", params={"limit": 1})
    assert response.status_code == 200, response.text
    total: int = response.json()["total"]
    assert total > 0
    return total


# Exhaustive by construction -----------------------------------------------------------------

_METHODS = {"get", "post", "put", "patch", "delete"}


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every operation a council's caller could turn on another council. The platform API is
    about councils, not within one, and platform data (published tables) is no council's: no
    council's caller reaches any of it
    (`test_platform.py::test_no_council_role_and_no_api_key_reaches_the_platform_api`,
    `tests/finance/test_library_api.py::test_only_a_platform_administrator_imports_or_removes_published_tables`)."""
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in _METHODS
        and not path.startswith("/api/v1/platform/")
        and not is_platform_data(method, path)
    ]


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _id_fields(document: dict[str, Any], schema: dict[str, Any], prefix: str = "") -> list[str]:
    """Names of the fields (dotted, through lists and nested objects) that hold ids."""
    schema = _resolve(document, schema)
    found: list[str] = []
    for option in schema.get("anyOf", []) + schema.get("allOf", []):
        found += _id_fields(document, option, prefix)
    if "items" in schema:
        found += _id_fields(document, schema["items"], prefix)
    for name, prop in schema.get("properties", {}).items():
        if name.endswith(("_id", "_ids")):
            found.append(prefix + name)
        found += _id_fields(document, prop, f"{prefix}{name}.")
    return found


def _uncovered(document: dict[str, Any], kind: str) -> list[str]:
    missing: list[str] = []
    for method, path, operation in _operations(document):
        key = f"{method} {path}"
        if kind == "operations with an id in the path" and path_parameters(path):
            missing += [] if key in ID_CASES else [key]
        elif kind == "lists" and method == "GET" and not path_parameters(path):
            missing += [] if key in LIST_CASES else [key]
        elif kind == "id filters of lists" and method == "GET" and not path_parameters(path):
            listing = LIST_CASES.get(key, Listing())
            missing += [
                f"{key} ?{p['name']}"
                for p in operation.get("parameters", [])
                if p["in"] == "query"
                and p["name"].endswith("_id")
                and p["name"] not in listing.filters
            ]
        elif kind == "imports" and "/imports/" in path:
            missing += [] if key in {_operation(k) for k in IMPORTS} else [key]
        elif kind == "ids in request bodies":
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema:
                missing += [
                    f"{key} {name}"
                    for name in _id_fields(document, schema)
                    if f"{key} {name}" not in LINK_CASES
                ]
    return missing


_KINDS = [
    "operations with an id in the path",
    "lists",
    "id filters of lists",
    "ids in request bodies",
    "imports",
]


@pytest.mark.parametrize("kind", _KINDS)
def test_every_operation_has_a_cross_organisation_case(world: Councils, kind: str) -> None:
    document = world.a.get("/api/v1/openapi.json").json()
    assert "Not available right now" not in document["info"].get("description", "")
    assert _uncovered(document, kind) == [], f"add a case to {__name__} for these {kind}"


def test_every_case_names_an_operation_that_exists(world: Councils) -> None:
    document = world.a.get("/api/v1/openapi.json").json()
    operations = {f"{method} {path}" for method, path, _ in _operations(document)}
    keys = [*ID_CASES, *LIST_CASES, *map(_operation, [*IMPORTS, *LINK_CASES])]
    assert [k for k in keys if k not in operations] == []


def test_the_fingerprint_sees_every_write_of_a_council_and_only_its_own(
    councils: Councils,
) -> None:
    a_before = councils.fingerprint(councils.a_org)
    b_before = councils.fingerprint(councils.b_org)
    assert {f"{s}.audit_events" for s in ("kpi", "projects", "finance")} <= set(a_before)
    assert a_before["projects.improvement_actions"].startswith("1:")

    action = f"{PROJECTS}/improvement-actions/{councils.a_ids['improvement-actions']}"
    response = councils.a.patch(action, json={"owner": "Someone"}, headers=ANY_VERSION)
    assert response.status_code == 200, response.text

    a_after = councils.fingerprint(councils.a_org)
    changed = {table for table, digest in a_after.items() if a_before[table] != digest}
    assert changed == {"projects.improvement_actions", "projects.audit_events"}
    assert councils.fingerprint(councils.b_org) == b_before


def test_rows_naming_finds_the_records_and_links_that_hold_an_id(councils: Councils) -> None:
    objective = councils.a_ids["objectives"]
    found = councils.rows_naming(councils.a_org, [objective])
    assert {"projects.objectives", "projects.projects", "projects.audit_events"} <= set(found)
    assert councils.rows_naming(councils.b_org, [objective]) == []


def test_a_council_that_opts_in_shares_only_the_allowed_fields(councils: Councils) -> None:
    """Nothing of A's is in the savings library until A opts in (the other tests here run with
    A opted out); then B sees each year of A's lines with only their theme, description (the
    title), amounts and status: no id, owner, note, project or person of A's. PostgreSQL's
    row-level security still lets B write none of it, nor any published table."""
    library = f"{FINANCE}/library/savings"
    assert councils.b.get(library).json()["total"] == 0
    setting = councils.a.get(f"{FINANCE}/library/setting")
    response = councils.a.put(
        f"{FINANCE}/library/setting",
        json={"share_savings": True, "council_name": "Council A"},
        headers={"If-Match": setting.headers["ETag"]},
    )
    assert response.status_code == 200, response.text

    seen = councils.b.get(library)
    items = seen.json()["items"]
    title = f"{MARK} supported living"
    assert [(i["council"], i["description"], i["financial_year"]) for i in items] == [
        ("Council A", title, YEAR),
        ("Council A", title, YEAR),
    ]
    assert sorted(i["achieved"] or "" for i in items) == ["", "10000.00"]
    assert {i["planned"] for i in items} == {"376000.00"}
    assert councils.leaks(seen.text.replace(title, "")) == []
    table = councils.b.get(f"{library}/table.csv")
    assert councils.leaks(table.text) == []  # councils by name and sums only

    with councils.database.session(councils.b_org) as session:
        assert session.scalar(select(func.count()).select_from(SharedSaving)) == 2
        session.execute(delete(SharedSaving).where(SharedSaving.council_org_id == councils.a_org))
        # row-level security: not B's to remove
        assert session.scalar(select(func.count()).select_from(SharedSaving)) == 2
        for table_row in (
            insert(SharedSaving).values(
                council_org_id=councils.a_org,
                council="Council A",
                savings_line_id=uuid.uuid4(),
                theme="other",
                description=TAKEN,
                financial_year=YEAR,
                status="proposed",
            ),
            insert(PublishedTable).values(
                source_document=TAKEN, imported_by="b", reconciliations=[]
            ),
        ):
            with pytest.raises(DBAPIError, match="row-level security"), session.begin_nested():
                session.execute(table_row)
    assert TAKEN not in councils.b.get(library).text
