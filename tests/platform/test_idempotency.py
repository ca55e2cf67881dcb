"""Retries carrying an Idempotency-Key never create duplicates."""

import uuid
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import insert

from common.db import Database
from common.identity import Caller
from common.settings import Settings
from common.testing.plugin import make_caller
from gateway.idempotency import request_digest
from gateway.models import IdempotencyRecord
from stack.testing.plugin import build_system
from tests.helpers import Down

URL = "/api/v1/kpi/measures"


def _count(api: TestClient) -> int:
    total: int = api.get(URL).json()["total"]
    return total


def test_a_retry_gets_the_first_response_and_creates_nothing(api: TestClient) -> None:
    headers = {"Idempotency-Key": "retry-1"}
    first = api.post(URL, json={"code": "I1", "title": "Once"}, headers=headers)
    again = api.post(URL, json={"code": "I1", "title": "Once"}, headers=headers)
    assert first.status_code == 201
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _count(api) == 1


def test_the_same_key_with_a_different_body_is_refused(api: TestClient) -> None:
    headers = {"Idempotency-Key": "retry-2"}
    assert api.post(URL, json={"code": "I2", "title": "One"}, headers=headers).status_code == 201
    other = api.post(URL, json={"code": "I3", "title": "Two"}, headers=headers)
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert _count(api) == 1


def test_the_same_key_while_the_first_is_still_running_is_409(
    api: TestClient, database: Database, demo_org: uuid.UUID
) -> None:
    body = b'{"code": "I4", "title": "Slow"}'
    with database.session(None) as session:  # the first attempt, still in progress
        session.execute(
            insert(IdempotencyRecord).values(
                org_id=demo_org,
                client="test:tester",
                key="retry-3",
                request_hash=request_digest("POST", URL, "", body),
            )
        )
        session.commit()
    response = api.post(
        URL,
        content=body,
        headers={"Idempotency-Key": "retry-3", "Content-Type": "application/json"},
    )
    assert response.status_code == 409
    assert response.headers["Retry-After"] == "1"
    assert _count(api) == 0


def test_keys_belong_to_one_organisation(
    api_as: Callable[[Caller], TestClient], demo_org: uuid.UUID, other_org: uuid.UUID
) -> None:
    body = {"code": "I5", "title": "Shared key"}
    headers = {"Idempotency-Key": "same-key"}
    ours = api_as(make_caller(demo_org)).post(URL, json=body, headers=headers)
    theirs = api_as(make_caller(other_org)).post(URL, json=body, headers=headers)
    assert ours.status_code == theirs.status_code == 201
    assert ours.json()["id"] != theirs.json()["id"]


def test_a_failed_attempt_is_not_kept_so_the_retry_runs(
    settings: Settings, database: Database, demo_org: uuid.UUID
) -> None:
    headers = {"Idempotency-Key": "retry-6"}
    body = {"code": "I6", "title": "After an outage"}
    down = build_system(
        settings, database, caller=make_caller(demo_org), transports={"kpi": Down()}
    )
    with down.client() as api:
        assert api.post(URL, json=body, headers=headers).status_code == 502
    with build_system(settings, database, caller=make_caller(demo_org)).client() as api:
        retry = api.post(URL, json=body, headers=headers)
        assert retry.status_code == 201
        assert "Idempotent-Replayed" not in retry.headers


def test_an_unprintable_key_is_refused(api: TestClient) -> None:
    response = api.post(
        URL, json={"code": "I7", "title": "x"}, headers={"Idempotency-Key": "a" * 300}
    )
    assert response.status_code == 400
