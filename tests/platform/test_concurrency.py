"""Concurrent edits never silently overwrite each other."""

from fastapi.testclient import TestClient


def test_update_without_if_match_is_refused_with_428(api: TestClient) -> None:
    created = api.post("/api/v1/kpi/measures", json={"code": "C1", "title": "One"}).json()
    response = api.patch(f"/api/v1/kpi/measures/{created['id']}", json={"title": "Two"})
    assert response.status_code == 428
    assert response.headers["content-type"] == "application/problem+json"


def test_the_second_of_two_edits_from_the_same_version_gets_412(api: TestClient) -> None:
    created = api.post("/api/v1/kpi/measures", json={"code": "C2", "title": "One"})
    etag = created.headers["ETag"]
    url = f"/api/v1/kpi/measures/{created.json()['id']}"
    first = api.patch(url, json={"title": "Alice's"}, headers={"If-Match": etag})
    second = api.patch(url, json={"title": "Bob's"}, headers={"If-Match": etag})
    assert first.status_code == 200
    assert first.headers["ETag"] != etag
    assert second.status_code == 412
    assert api.get(url).json()["title"] == "Alice's"
