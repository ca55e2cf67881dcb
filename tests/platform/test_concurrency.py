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


def test_etags_are_strong_and_name_the_version(api: TestClient) -> None:
    created = api.post("/api/v1/kpi/measures", json={"code": "C3", "title": "One"})
    assert created.headers["ETag"] == '"1"'


def test_if_match_star_is_refused_so_the_lost_update_check_cannot_be_skipped(
    api: TestClient,
) -> None:
    created = api.post("/api/v1/kpi/measures", json={"code": "C4", "title": "One"}).json()
    url = f"/api/v1/kpi/measures/{created['id']}"
    response = api.patch(url, json={"title": "Two"}, headers={"If-Match": "*"})
    assert response.status_code == 428
    assert "If-Match: * is not accepted" in response.json()["detail"]
    assert api.get(url).json()["title"] == "One"


def test_a_weak_etag_never_matches_if_match(api: TestClient) -> None:
    created = api.post("/api/v1/kpi/measures", json={"code": "C5", "title": "One"}).json()
    url = f"/api/v1/kpi/measures/{created['id']}"
    response = api.patch(url, json={"title": "Two"}, headers={"If-Match": 'W/"1"'})
    assert response.status_code == 412
    assert "weak ETag" in response.json()["detail"]
    assert api.get(url).json()["title"] == "One"


def test_a_list_of_etags_matches_when_one_of_them_is_current(api: TestClient) -> None:
    created = api.post("/api/v1/kpi/measures", json={"code": "C6", "title": "One"}).json()
    url = f"/api/v1/kpi/measures/{created['id']}"
    response = api.patch(url, json={"title": "Two"}, headers={"If-Match": 'W/"1", "0", "1"'})
    assert response.status_code == 200
