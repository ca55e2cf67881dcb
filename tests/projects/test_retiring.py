"""Retiring a priority, an objective, an improvement action or a project: it leaves the lists,
keeps its history, and comes back; every change needs the version it was read at."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.projects.conftest import (
    API,
    make_improvement_action,
    make_objective,
    make_priority,
    make_project,
)

RECORDS: list[tuple[str, Callable[[TestClient], dict[str, Any]]]] = [
    ("priorities", make_priority),
    ("objectives", make_objective),
    ("improvement-actions", make_improvement_action),
    ("projects", make_project),
]


@pytest.mark.parametrize(("path", "make"), RECORDS)
def test_a_retired_record_leaves_the_list_and_comes_back(
    api: TestClient, path: str, make: Callable[[TestClient], dict[str, Any]]
) -> None:
    record = make(api)
    assert record["retired"] is False
    url = f"{API}/{path}/{record['id']}"
    retired = api.post(f"{url}/retire", headers={"If-Match": f'"{record["version"]}"'})
    assert retired.status_code == 200, retired.text
    assert retired.json()["retired"] is True
    assert retired.json()["retired_at"] is not None
    assert retired.headers["ETag"] == f'"{record["version"] + 1}"'

    assert record["id"] not in [r["id"] for r in api.get(f"{API}/{path}").json()["items"]]
    everything = api.get(f"{API}/{path}", params={"include_retired": "true"}).json()["items"]
    assert [r["retired"] for r in everything if r["id"] == record["id"]] == [True]
    assert api.get(url).json()["retired"] is True  # still there to read, with its history

    restored = api.post(f"{url}/restore", headers={"If-Match": retired.headers["ETag"]})
    assert restored.status_code == 200, restored.text
    assert restored.json()["retired"] is False
    assert record["id"] in [r["id"] for r in api.get(f"{API}/{path}").json()["items"]]


@pytest.mark.parametrize(("path", "make"), RECORDS)
def test_retiring_needs_the_version_it_was_read_at(
    api: TestClient, path: str, make: Callable[[TestClient], dict[str, Any]]
) -> None:
    record = make(api)
    url = f"{API}/{path}/{record['id']}/retire"
    assert api.post(url).status_code == 428
    assert api.post(url, headers={"If-Match": '"99"'}).status_code == 412
    assert api.get(f"{API}/{path}/{record['id']}").json()["retired"] is False


def test_retiring_is_in_the_audit_trail(api: TestClient) -> None:
    priority = make_priority(api)
    url = f"{API}/priorities/{priority['id']}"
    assert api.post(f"{url}/retire", headers={"If-Match": '"1"'}).status_code == 200
    events = api.get(
        f"{API}/audit-events", params={"entity": "priorities", "entity_id": priority["id"]}
    ).json()["items"]
    (change,) = [e for e in events if e["action"] == "update"]
    assert change["before"]["retired_at"] is None
    assert change["after"]["retired_at"] is not None


def test_a_retired_project_is_left_out_of_the_portfolio_counts(api: TestClient) -> None:
    project = make_project(api, rag="green")
    before = api.get(f"{API}/portfolio/summary").json()
    url = f"{API}/projects/{project['id']}/retire"
    assert api.post(url, headers={"If-Match": f'"{project["version"]}"'}).status_code == 200
    after = api.get(f"{API}/portfolio/summary").json()
    assert after["by_rag"]["green"] == before["by_rag"]["green"] - 1
