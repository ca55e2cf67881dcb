"""Every create, update and delete is recorded: who, when, from which client, before and after."""

import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from common.identity import Caller
from common.testing.plugin import make_caller


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


def test_record_pages_show_their_history(api: TestClient) -> None:
    created = api.post("/api/v1/kpi/measures", json={"code": "H1", "title": "With history"}).json()
    url = f"/api/v1/kpi/measures/{created['id']}"
    etag = api.get(url).headers["ETag"]
    api.patch(url, json={"title": "Renamed"}, headers={"If-Match": etag})
    page = api.get(f"/kpis/{created['id']}").text
    assert ">History</h2>" in page
    assert "title: With history → Renamed" in page
    assert "Created" in page
