"""Errors are problem+json with plain words, and never blame the database for bad input."""

from fastapi.testclient import TestClient


def test_a_value_postgres_cannot_store_is_a_422_not_an_outage(api: TestClient) -> None:
    response = api.post("/api/v1/kpi/measures", json={"code": "NUL1", "title": "bad\u0000title"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert api.get("/api/v1/kpi/measures").json()["total"] == 0


def test_validation_errors_name_the_field_in_plain_english(api: TestClient) -> None:
    response = api.post("/api/v1/kpi/measures", json={"code": "", "title": "A title"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["field"] == "code"
    assert errors[0]["message"] == "Enter a code"


def test_unknown_fields_are_refused_not_ignored(api: TestClient) -> None:
    response = api.post(
        "/api/v1/kpi/measures", json={"code": "X", "title": "T", "org_id": "someone-else"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "org_id"
