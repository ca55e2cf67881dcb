"""Every operation of the merged OpenAPI document, tried by every role: the gateway's one rule
decides (allowed → reaches the service; not allowed → 403 from the gateway)."""

import re
import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from common.identity import NO_COUNCIL, PLATFORM_REFUSAL, Caller, Role, is_platform_data
from common.testing.plugin import make_caller
from gateway.access import role_allows
from gateway.guard import KEY_REFUSAL, ROLE_REFUSAL, service_of
from stack.testing.plugin import System
from tests.identity.conftest import make_api_key

PLATFORM_ONLY = ("/api/v1/platform/",)
ADMIN_ONLY = (
    "/api/v1/users",
    "/api/v1/api-keys",
    "/api/v1/organisation",
    "/api/v1/audit-events",
    "/api/v1/reminders-sent",
)
OPEN_TO_ALL = (
    "/api/v1/me",
    "/api/v1/sessions",
    "/api/v1/password-resets",
    "/api/v1/people",
    "/api/v1/no-active-owner",
)


def expected_allowed(role: Role, method: str, path: str) -> bool:
    if path.startswith(PLATFORM_ONLY):
        return False  # councils are the platform administrator's, never a council role's
    if service_of(path):
        return role_allows(frozenset({role}), method, path)
    if path.startswith(ADMIN_ONLY):
        return role is Role.ADMIN
    assert path.startswith(OPEN_TO_ALL), f"no rule for {method} {path}: add it to this test"
    return True


def operations(api: TestClient) -> list[tuple[str, str]]:
    document = api.get("/api/v1/openapi.json").json()
    assert "Not available right now" not in document["info"].get("description", "")
    found = [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert len({p for _, p in found if service_of(p)}) >= 10  # every service is in there
    return found


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", str(uuid.UUID(int=1)), path)


def test_role_matrix_over_every_operation(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    ops = operations(api)
    wrong: list[str] = []
    for role in Role:
        client = api_as(make_caller(demo_org, role, team="Demo team"))
        for method, path in ops:
            if method == "GET" and role is not Role.VIEWER and service_of(path):
                continue  # reading is the same for every role: the viewer stands for them all
            response = client.request(method, concrete(path), json={})
            refused_here = (
                response.status_code == 403 and response.json().get("detail") == ROLE_REFUSAL
            )
            admin_refused = response.status_code == 403 and path.startswith(
                (*ADMIN_ONLY, *PLATFORM_ONLY)
            )
            refused = refused_here or admin_refused
            if expected_allowed(role, method, path) == refused:
                wrong.append(f"{role} {method} {path} -> {response.status_code}")
            assert response.status_code < 500, f"{role} {method} {path}: {response.text}"
    assert wrong == []


PLATFORM_ADMIN_REFUSALS = (
    PLATFORM_REFUSAL,
    "Only an administrator may do this.",
    "A platform administrator belongs to no council.",
)


def platform_admin_expected_allowed(method: str, path: str) -> bool:
    """The platform's own API, signing in, reset links and their own account; nothing of any
    council: no service, no council administration, not even which council they are in."""
    if path.startswith(PLATFORM_ONLY) or is_platform_data(method, path):
        return True  # their API, and the platform data (published tables) no council owns
    council_reads = ("/api/v1/me", "/api/v1/people", "/api/v1/no-active-owner")
    if service_of(path) or path.startswith(ADMIN_ONLY) or path in council_reads:
        return False
    assert path.startswith(OPEN_TO_ALL), f"no rule for {method} {path}: add it to this test"
    return True


def test_role_matrix_of_a_platform_administrator_over_every_operation(
    api: TestClient, api_as: Callable[[Caller], TestClient]
) -> None:
    """The platform administrator, outside every council, sends every operation (reads too:
    no other role stands for theirs)."""
    ops = operations(api)
    client = api_as(
        Caller(org_id=NO_COUNCIL, user_id="platform", client="test", platform_admin=True)
    )
    wrong: list[str] = []
    for method, path in ops:
        response = client.request(method, concrete(path), json={})
        refused = response.status_code == 403 and (
            response.json().get("detail") in PLATFORM_ADMIN_REFUSALS
        )
        if platform_admin_expected_allowed(method, path) == refused:
            wrong.append(f"platform admin {method} {path} -> {response.status_code}")
        assert response.status_code < 500, f"{method} {path}: {response.text}"
    assert wrong == []


KEY_ROLES = [r for r in Role if r is not Role.ADMIN]
"""Every role a key can be made with (a key never administers)."""


def key_expected_allowed(role: Role, method: str, path: str) -> bool:
    """A key acts as its one role in the services, may read who it is, and nothing else."""
    if service_of(path):
        return role_allows(frozenset({role}), method, path)
    return (method, path) == ("GET", "/api/v1/me")


def test_role_matrix_of_api_keys_over_every_operation(
    api: TestClient, secure_system: System, demo_org: uuid.UUID
) -> None:
    """A key of each role, scoped to every service (read-write but for the viewer), sends every
    operation: it gets exactly what a person of that one role gets, never a union of roles."""
    ops = operations(api)
    wrong: list[str] = []
    for role in KEY_ROLES:
        with secure_system.gateway.state.database.session(demo_org) as session:
            new = make_api_key(
                session,
                f"{role} key",
                access="read" if role is Role.VIEWER else "read_write",
                services=["kpi", "projects", "finance"],
                role=role.value,
                team="Demo team",
            )
            session.commit()
        client = TestClient(
            secure_system.gateway, base_url="http://gateway", headers={"X-API-Key": new.secret}
        )
        for method, path in ops:
            if method == "GET" and role is not Role.VIEWER and service_of(path):
                continue  # reading is the same for every role: the viewer stands for them all
            response = client.request(method, concrete(path), json={})
            refused = response.status_code == 403 and response.json().get("detail") in (
                ROLE_REFUSAL,
                KEY_REFUSAL,
            )
            if key_expected_allowed(role, method, path) == refused:
                wrong.append(f"{role} key {method} {path} -> {response.status_code}")
            assert response.status_code < 500, f"{role} key {method} {path}: {response.text}"
    assert wrong == []


PLAN_PATHS = tuple(
    f"/api/v1/projects/{p}/"
    for p in (
        "priorities",
        "objectives",
        "programmes",
        "improvement-actions",
        "imports",
        "saved-mappings",  # the mappings the plan's imports saved
    )
)
"""Where only the programme office and admins write in the projects service."""


def plan_only(method: str, path: str) -> bool:
    """Writes the projects service keeps from a project's lead (the service lead of its team)."""
    if path.startswith(PLAN_PATHS) or (path + "/").startswith(PLAN_PATHS):
        return True
    return (method, path) in {
        ("POST", "/api/v1/projects/projects"),
        ("DELETE", "/api/v1/projects/projects/{project_id}"),
    }


def test_a_service_lead_passes_the_gateway_to_projects_and_the_service_keeps_the_plan(
    api: TestClient, api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    """Every write of the projects service, as a service lead: the plan (priorities, objectives,
    programmes, improvement actions, imports, adding and removing projects) is refused by the
    service; the rest reach the ownership check of the project they touch (here: none exists)."""
    lead = api_as(make_caller(demo_org, Role.SERVICE_LEAD, team="Demo team"))
    writes = [(m, p) for m, p in operations(api) if m != "GET" and service_of(p) == "projects"]
    assert len(writes) >= 20
    wrong: list[str] = []
    for method, path in writes:
        response = lead.request(method, concrete(path), json={})
        detail = response.json().get("detail", "") if response.content else ""
        refused_by_service = response.status_code == 403 and detail != ROLE_REFUSAL
        if refused_by_service != plan_only(method, path) or detail == ROLE_REFUSAL:
            wrong.append(f"{method} {path} -> {response.status_code} {detail}")
        if refused_by_service:
            assert "programme office" in detail, path
    assert wrong == []


@pytest.mark.parametrize(
    ("role", "method", "path", "allowed"),
    [
        (Role.VIEWER, "GET", "/api/v1/finance/budget-lines", True),
        (Role.VIEWER, "POST", "/api/v1/kpi/measures", False),
        (Role.DATA_PROVIDER, "POST", "/api/v1/kpi/measures", True),
        (Role.DATA_PROVIDER, "PATCH", "/api/v1/projects/projects/x", False),
        (Role.SERVICE_LEAD, "POST", "/api/v1/finance/savings-lines", True),
        (Role.SERVICE_LEAD, "POST", "/api/v1/kpi/measures", False),
        (Role.SERVICE_LEAD, "PATCH", "/api/v1/projects/projects/x", True),
        (Role.SERVICE_LEAD, "POST", "/api/v1/projects/milestones", True),
        (Role.FINANCE, "DELETE", "/api/v1/finance/budget-lines/x", True),
        (Role.PROGRAMME_OFFICE, "POST", "/api/v1/kpi/measures/x/targets", True),
        (Role.PROGRAMME_OFFICE, "POST", "/api/v1/projects/projects", True),
        (Role.PROGRAMME_OFFICE, "POST", "/api/v1/finance/budget-lines", False),
        (Role.ADMIN, "DELETE", "/api/v1/projects/projects/x", True),
    ],
)
def test_the_role_rule(role: Role, method: str, path: str, allowed: bool) -> None:
    assert role_allows(frozenset({role}), method, path) is allowed


def test_nobody_without_a_role_may_even_read() -> None:
    assert not role_allows(frozenset(), "GET", "/api/v1/kpi/measures")


def test_a_refusal_is_problem_json(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    response = api_as(make_caller(demo_org, Role.VIEWER)).post("/api/v1/kpi/measures", json={})
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
