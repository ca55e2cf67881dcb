"""Conditional GET: every JSON read carries an ETag, and a client that already holds it gets 304."""

import doctest

from fastapi.testclient import TestClient

import common.conditional


def test_a_read_polled_again_unchanged_is_answered_304_with_no_body(api: TestClient) -> None:
    first = api.get("/api/v1/kpi/measures")
    assert first.status_code == 200
    etag = first.headers["etag"]
    again = api.get("/api/v1/kpi/measures", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag


def test_a_changed_read_is_sent_in_full_with_a_new_etag(api: TestClient) -> None:
    etag = api.get("/api/v1/kpi/measures").headers["etag"]
    created = api.post("/api/v1/kpi/measures", json={"code": "ETAG1", "title": "Carers assessed"})
    assert created.status_code == 201
    changed = api.get("/api/v1/kpi/measures", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert any(m["code"] == "ETAG1" for m in changed.json()["items"])


def test_a_record_keeps_its_version_etag_and_answers_304_to_it(api: TestClient) -> None:
    created = api.post("/api/v1/kpi/measures", json={"code": "ETAG2", "title": "Reviews done"})
    path = f"/api/v1/kpi/measures/{created.json()['id']}"
    version_etag = api.get(path).headers["etag"]
    assert version_etag == '"1"'  # the record's version, strong, as If-Match expects
    assert api.get(path, headers={"if-none-match": version_etag}).status_code == 304


def test_writes_and_errors_are_never_tagged(api: TestClient) -> None:
    missing = api.get("/api/v1/kpi/measures/00000000-0000-4000-8000-00000000dead")
    assert missing.status_code == 404
    assert "etag" not in missing.headers
    refused = api.post("/api/v1/kpi/measures", json={}, headers={"if-none-match": "*"})
    assert refused.status_code == 422


def test_the_etag_rules_in_the_docstrings_hold() -> None:
    result = doctest.testmod(common.conditional)
    assert result.attempted >= 2
    assert result.failed == 0
