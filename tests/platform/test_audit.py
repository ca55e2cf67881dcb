"""Every create, update and delete is recorded: who, when, from which client, before and after."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from common.audit import AUDIT_ROWS_HEADER, NO_CHANGE_HEADER
from common.db import Database
from common.identity import Caller, Role
from common.settings import Settings
from common.testing.plugin import AuditCheck, _Write, make_caller
from stack.testing.plugin import build_system


def _events(api: TestClient, entity_id: str) -> list[dict[str, object]]:
    response = api.get(
        "/api/v1/projects/audit-events", params={"entity": "priorities", "entity_id": entity_id}
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


def test_create_update_and_delete_are_recorded_with_before_and_after(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    api = api_as(make_caller(demo_org, user="alice"))
    created = api.post("/api/v1/projects/priorities", json={"title": "Carers", "position": 1})
    assert created.status_code == 201, created.text
    priority_id = created.json()["id"]
    url = f"/api/v1/projects/priorities/{priority_id}"
    etag = api.get(url).headers["ETag"]
    assert (
        api.patch(url, json={"title": "Unpaid carers"}, headers={"If-Match": etag}).status_code
        == 200
    )
    etag = api.get(url).headers["ETag"]
    assert api.delete(url, headers={"If-Match": etag}).status_code in (200, 204)

    events = _events(api, priority_id)
    assert [e["action"] for e in events] == ["delete", "update", "create"]  # newest first
    create, update = events[2], events[1]
    assert create["actor"] == "alice"
    assert create["client"] == "test"
    assert create["before"] is None
    assert create["after"]["title"] == "Carers"  # type: ignore[index]
    assert update["before"] == {"title": "Carers"}
    assert update["after"] == {"title": "Unpaid carers"}
    assert events[0]["after"] is None


def test_another_council_sees_none_of_our_history(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID, other_org: uuid.UUID
) -> None:
    ours = api_as(make_caller(demo_org))
    priority_id = ours.post("/api/v1/projects/priorities", json={"title": "Ours"}).json()["id"]
    theirs = api_as(make_caller(other_org))
    assert _events(theirs, priority_id) == []
    assert len(_events(ours, priority_id)) == 1


def test_audit_events_cannot_be_changed_through_the_api(api: TestClient) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        response = api.request(method, "/api/v1/projects/audit-events")
        assert response.status_code in (404, 405), method


@pytest.mark.parametrize("schema", ["kpi", "projects", "finance"])
def test_the_services_role_may_not_rewrite_history(engine: Engine, schema: str) -> None:
    with engine.connect() as connection:
        rights = connection.scalar(
            text(
                "select has_table_privilege('asc_app', :table, 'UPDATE') "
                "or has_table_privilege('asc_app', :table, 'DELETE')"
            ),
            {"table": f"{schema}.audit_events"},
        )
    assert rights is False


def test_kpi_changes_are_recorded_too(api: TestClient) -> None:
    created = api.post("/api/v1/kpi/measures", json={"code": "AU1", "title": "Audited"}).json()
    events = api.get(
        "/api/v1/kpi/audit-events", params={"entity": "measures", "entity_id": created["id"]}
    ).json()["items"]
    assert [e["action"] for e in events] == ["create"]


def history_after_a_change(api: TestClient, record: str, change: dict[str, str], page: str) -> str:
    """Change the record at `record` (with its ETag), then open its `page`; the page has a History
    section that shows the record being made. Returns the page."""
    etag = api.get(record).headers["ETag"]
    changed = api.patch(record, json=change, headers={"If-Match": etag})
    assert changed.status_code == 200, changed.text
    html: str = api.get(page).text
    assert ">History</h2>" in html
    assert "Created" in html
    return html


def test_record_pages_show_their_history(api: TestClient) -> None:
    created = api.post("/api/v1/kpi/measures", json={"code": "H1", "title": "With history"}).json()
    record, page = f"/api/v1/kpi/measures/{created['id']}", f"/kpis/{created['id']}"
    assert "title: With history → Renamed" in history_after_a_change(
        api, record, {"title": "Renamed"}, page
    )


# The identity schema: users, roles, teams, API keys and the organisation (the gateway's own API).


def _identity_events(api: TestClient, entity: str, entity_id: str) -> list[dict[str, Any]]:
    response = api.get("/api/v1/audit-events", params={"entity": entity, "entity_id": entity_id})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _new_user(api: TestClient, **extra: object) -> dict[str, Any]:
    body = {
        "email": f"{uuid.uuid4().hex[:8]}@demo.example",
        "display_name": "Audited person",
        "team": "Reablement",
        "roles": ["viewer"],
        "password": "a long enough password",
        **extra,
    }
    created = api.post("/api/v1/users", json=body)
    assert created.status_code == 201, created.text
    user: dict[str, Any] = created.json()
    return user


def test_user_changes_are_recorded_with_who_and_before_and_after_but_never_the_password(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID, engine: Engine
) -> None:
    api = api_as(make_caller(demo_org, user="alice"))
    user = _new_user(api)
    url = f"/api/v1/users/{user['id']}"
    etag = api.get(url).headers["ETag"]
    changed = api.patch(
        url,
        json={"roles": ["data_provider"], "team": "Home care", "password": "another long password"},
        headers={"If-Match": etag},
    )
    assert changed.status_code == 200, changed.text
    etag = api.get(url).headers["ETag"]
    assert api.patch(url, json={"disabled": True}, headers={"If-Match": etag}).status_code == 200

    disable, update, create = _identity_events(api, "users", user["id"])
    assert (create["action"], create["actor"], create["client"]) == ("create", "alice", "test")
    assert create["after"]["roles"] == ["viewer"]
    assert create["after"]["team"] == "Reablement"
    assert create["after"]["password_hash"] == "set"
    assert update["before"] == {
        "roles": ["viewer"],
        "team": "Reablement",
        "password_hash": "set",
    }
    assert update["after"] == {
        "roles": ["data_provider"],
        "team": "Home care",
        "password_hash": "changed",
    }
    assert (disable["before"], disable["after"]) == ({"disabled": False}, {"disabled": True})
    assert "argon2" not in str([create, update, disable])


def test_api_keys_made_and_revoked_are_recorded_without_the_key_or_its_digest(
    api: TestClient,
) -> None:
    made = api.post(
        "/api/v1/api-keys", json={"name": "Warehouse", "access": "read", "services": ["kpi"]}
    )
    assert made.status_code == 201, made.text
    key = made.json()
    assert api.post(f"/api/v1/api-keys/{key['id']}/revoke").status_code == 200

    revoke, create = _identity_events(api, "api_keys", key["id"])
    assert create["action"] == "create"
    assert create["after"]["name"] == "Warehouse"
    assert create["after"]["digest"] == "set"
    assert revoke["before"] == {"revoked_at": None}
    assert revoke["after"]["revoked_at"] is not None
    assert key["key"] not in str([create, revoke])
    assert key["key"][len("asc_") :] not in str([create, revoke])


def test_using_an_api_key_writes_no_audit_row(
    api: TestClient, settings: Settings, database: Database
) -> None:
    key = api.post(
        "/api/v1/api-keys", json={"name": "Reader", "access": "read", "services": ["kpi"]}
    ).json()
    integrator = build_system(settings, database, caller=None, real_sign_in=True).client()
    used = integrator.get("/api/v1/kpi/measures", headers={"Authorization": f"Bearer {key['key']}"})
    assert used.status_code == 200, used.text
    assert [e["action"] for e in _identity_events(api, "api_keys", key["id"])] == ["create"]


def test_renaming_the_organisation_is_recorded(api: TestClient, demo_org: uuid.UUID) -> None:
    etag = api.get("/api/v1/organisation").headers["ETag"]
    renamed = api.patch(
        "/api/v1/organisation", json={"name": "Demo Borough"}, headers={"If-Match": etag}
    )
    assert renamed.status_code == 200, renamed.text
    events = _identity_events(api, "organisations", str(demo_org))
    assert events[0]["action"] == "update"
    assert events[0]["after"] == {"name": "Demo Borough"}


def test_only_admins_read_the_identity_audit_trail(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID
) -> None:
    viewer = api_as(make_caller(demo_org, Role.VIEWER))
    assert viewer.get("/api/v1/audit-events").status_code == 403


def test_another_council_sees_none_of_our_identity_history(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID, other_org: uuid.UUID
) -> None:
    user = _new_user(api_as(make_caller(demo_org)))
    theirs = api_as(make_caller(other_org))
    assert _identity_events(theirs, "users", user["id"]) == []
    assert all(
        e["entity_id"] != user["id"] for e in theirs.get("/api/v1/audit-events").json()["items"]
    )


def test_identity_audit_events_cannot_be_changed_through_the_api(api: TestClient) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        response = api.request(method, "/api/v1/audit-events")
        assert response.status_code in (404, 405), method


def test_identity_audit_events_cannot_be_rewritten_even_by_the_owner(engine: Engine) -> None:
    with engine.connect() as connection:
        rights = connection.scalar(
            text(
                "select has_table_privilege('asc_app', 'identity.audit_events', 'UPDATE') "
                "or has_table_privilege('asc_app', 'identity.audit_events', 'DELETE')"
            )
        )
        assert rights is False
        with pytest.raises(DBAPIError, match="cannot be changed"):
            connection.execute(text("delete from identity.audit_events"))
        connection.rollback()


def test_the_admin_user_page_shows_the_users_history(api: TestClient) -> None:
    user = _new_user(api, display_name="Page person")
    record, page = f"/api/v1/users/{user['id']}", f"/admin/users/{user['id']}"
    assert "team: Reablement → Day services" in history_after_a_change(
        api, record, {"team": "Day services"}, page
    )


# The suite-wide check (common/testing/plugin.py, on the apps stack/testing/plugin.py builds):
# every write the tests make is audited.


def test_a_write_answers_with_the_audit_rows_it_wrote(api: TestClient) -> None:
    created = api.post("/api/v1/kpi/measures", json={"code": "AR1", "title": "Counted"})
    assert created.headers[AUDIT_ROWS_HEADER] == "1"
    preview = api.post(
        "/api/v1/kpi/imports/kpis",
        files={
            "file": (
                "kpis.csv",
                b"Code,Title,Unit,Better,Frequency\nAR2,Previewed,Number,Higher,Monthly\n",
                "text/csv",
            )
        },
    )
    assert preview.status_code == 200, preview.text
    assert preview.headers[AUDIT_ROWS_HEADER] == "0"
    assert preview.headers[NO_CHANGE_HEADER] == "preview"


def test_the_check_names_a_write_that_left_no_audit_row(connection: Connection) -> None:
    check = AuditCheck("tests/x.py::test_y")
    check.writes.append(
        _Write("kpi", "POST", "/measures", 201, "r-unaudited", rows=0, no_change=None)
    )
    check.writes.append(_Write("kpi", "POST", "/imports/kpis", 200, "r-p", 0, "preview"))
    (problem,) = check.failures(connection)
    assert "POST /measures" in problem
    assert "wrote no audit row" in problem


def test_the_check_finds_audit_rows_a_write_claimed_but_did_not_leave(
    connection: Connection, demo_org: uuid.UUID
) -> None:
    check = AuditCheck("tests/x.py::test_y")
    check.writes.append(_Write("finance", "PATCH", "/savings-lines/1", 200, "r-missing", 2, None))
    (problem,) = check.failures(connection)
    assert "PATCH /savings-lines/1" in problem
    assert "holds 0" in problem
