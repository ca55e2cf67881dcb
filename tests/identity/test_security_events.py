"""Security events are logged, and never with a secret in them."""

import logging

import pytest
from fastapi.testclient import TestClient

from gateway.models import User
from tests.identity.conftest import PASSWORD, post_sign_in, sign_in


def _events(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "asc.security"]


def test_sign_in_failure_refusal_and_sign_out_are_logged_without_secrets(
    browser: TestClient, person: User, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="asc.security")
    post_sign_in(browser, {"email": person.email, "password": "wrong guess"})
    csrf = sign_in(browser, person.email)
    session_id = str(browser.cookies.get("asc_session"))
    browser.post("/api/v1/kpi/measures", json={})  # no CSRF token: refused
    browser.post("/sign-out", data={"csrf_token": csrf})
    names = [getattr(r, "event", "") for r in _events(caplog)]
    assert names == ["sign_in_failed", "sign_in", "access_refused", "sign_out"]
    for record in _events(caplog):
        text = str(record.__dict__)
        for secret in (PASSWORD, "wrong guess", csrf, session_id):
            assert secret not in text
