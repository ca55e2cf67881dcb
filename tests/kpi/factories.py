"""Small factories for KPI tests, going through the public API like any client."""

import uuid
import weakref
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from common.identity import Role
from common.testing.plugin import make_caller
from tests.helpers import created

API = "/api/v1/kpi"
APPROVER = "approver"
"""Who approves what the factories submit: never the submitter (separation of duties)."""
_approvers: weakref.WeakKeyDictionary[FastAPI, TestClient] = weakref.WeakKeyDictionary()


def approver_for(api: TestClient) -> TestClient:
    """A client on the same system acting as a programme office colleague of `api`'s caller."""
    from stack.testing.plugin import build_system

    gateway: FastAPI = api.app  # type: ignore[assignment]
    if gateway not in _approvers:
        org_id = uuid.UUID(api.get("/api/v1/me").json()["organisation"]["id"])
        colleague = make_caller(org_id, Role.PROGRAMME_OFFICE, user=APPROVER)
        state = gateway.state
        _approvers[gateway] = build_system(
            state.settings, state.database, caller=colleague
        ).client()
    return _approvers[gateway]


CUMULATIVE_RATE: dict[str, Any] = {
    "unit": "rate_per_100k",
    "polarity": "smaller_is_better",
    "frequency": "quarterly",
    "target_type": "cumulative",
}
"""A quarterly rate per 100,000 that should fall, counted up over the year (as ASCOF 2A is)."""


def make_measure(api: TestClient, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": "M1",
        "title": "Service users living independently",
        "unit": "percent",
        "polarity": "bigger_is_better",
        "frequency": "monthly",
        "target_type": "flat",
        "data_provider": "Performance and Data Team",
        "service_area": "Adult Social Care",
    }
    body.update(overrides)
    return created(api.post(f"{API}/measures", json=body))


def post_target(
    api: TestClient, measure: dict[str, Any], value: str, year: str = "2025/26", **extra: Any
) -> httpx.Response:
    """The answer to posting a target of `measure` for `year`, whatever it is."""
    body = {"measure_id": measure["id"], "financial_year": year, "value": value, **extra}
    response: httpx.Response = api.post(f"{API}/targets", json=body)
    return response


def make_target(
    api: TestClient, measure: dict[str, Any], value: str, year: str = "2025/26", **extra: Any
) -> dict[str, Any]:
    return created(post_target(api, measure, value, year, **extra))


def post_actual(
    api: TestClient, measure: dict[str, Any], period: str, **figures: Any
) -> httpx.Response:
    """The answer to posting `measure`'s figures for `period`, whatever it is."""
    body = {"measure_id": measure["id"], "period": period, **figures}
    response: httpx.Response = api.post(f"{API}/actuals", json=body)
    return response


def make_actual(
    api: TestClient, measure: dict[str, Any], period: str, *, approve: bool = True, **figures: Any
) -> dict[str, Any]:
    """An actual for `period`; approved (so it is reported) unless told otherwise. An approved
    one has commentary, as a Red or Amber figure must, unless the test gives its own."""
    if approve:
        figures.setdefault("commentary", "Checked by the team")
    response = post_actual(api, measure, period, **figures)
    actual = created(response)
    if approve:
        for client, action in ((api, "submit"), (approver_for(api), "approve")):
            response = client.post(
                f"{API}/actuals/{actual['id']}/{action}",
                headers={"If-Match": response.headers["ETag"]},
            )
            assert response.status_code == 200, response.text
        actual = response.json()
    return actual
