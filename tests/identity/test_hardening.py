"""Security headers on every response, the body size limit and the rate limits."""

import uuid

import hypothesis.strategies as st
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_
from sqlalchemy import select

from common.db import Database
from common.settings import Settings
from common.testing.plugin import make_caller
from gateway.hardening import (
    CONTENT_SECURITY_POLICY,
    WINDOW_SECONDS,
    RateLimiter,
    client_address,
    seconds_to_wait,
)
from gateway.models import RateLimitCounter
from stack.testing.plugin import System, build_system


def test_every_response_carries_the_security_headers(api: TestClient) -> None:
    for path in ("/", "/api/v1/kpi/measures", "/api/v1/nothing", "/static/app.css", "/healthz"):
        response = api.get(path)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert "object-src 'none'" in response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "strict-transport-security" not in response.headers  # plain http


def test_hsts_is_sent_under_https(system: System) -> None:
    with TestClient(system.gateway, base_url="https://gateway") as client:
        response = client.get("/healthz")
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")


def test_the_api_docs_page_alone_may_load_swagger_from_its_cdn(api: TestClient) -> None:
    policy = api.get("/api/docs").headers["content-security-policy"]
    assert "https://cdn.jsdelivr.net" in policy
    assert "'sha256-" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy


def test_a_body_over_the_limit_is_refused_with_413(api: TestClient, system: System) -> None:
    limit = system.gateway.state.settings.max_body_bytes
    response = api.post(
        "/api/v1/kpi/measures",
        content=b"x" * (limit + 1),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_a_streamed_body_over_the_limit_is_refused_too(api: TestClient, system: System) -> None:
    limit = system.gateway.state.settings.max_body_bytes

    def chunks() -> object:
        for _ in range(limit // 65536 + 2):
            yield b"x" * 65536

    response = api.post(
        "/api/v1/kpi/measures", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413, (response.text, response.request.headers)


def _limited_client(settings: Settings, database: object, **limits: int) -> TestClient:
    from common.testing.plugin import make_caller
    from stack.testing.plugin import build_system

    small = settings.model_copy(update=limits)
    system = build_system(small, database, caller=make_caller(settings.demo_org_id))  # type: ignore[arg-type]
    return TestClient(system.gateway, base_url="http://gateway")


def test_too_many_requests_from_one_address_get_429_with_retry_after(
    settings: Settings, database: object, demo_org: object
) -> None:
    with _limited_client(settings, database, rate_limit_per_address_per_minute=5) as client:
        statuses = [client.get("/api/v1/me").status_code for _ in range(6)]
        refused = client.get("/api/v1/me")
    assert statuses[:5] == [200] * 5
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["content-type"] == "application/problem+json"


def test_too_many_requests_for_one_credential_get_429(
    settings: Settings, database: object, demo_org: object
) -> None:
    with _limited_client(settings, database, rate_limit_per_key_per_minute=3) as client:
        statuses = [client.get("/api/v1/me").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_two_gateway_processes_share_one_limit(
    settings: Settings, database: Database, demo_org: object
) -> None:
    small = settings.model_copy(update={"rate_limit_per_address_per_minute": 6})
    caller = make_caller(settings.demo_org_id)
    one = build_system(small, database, caller=caller)
    two = build_system(small, database, caller=caller)
    with (
        TestClient(one.gateway, base_url="http://gateway") as first,
        TestClient(two.gateway, base_url="http://gateway") as second,
    ):
        statuses = [
            client.get("/api/v1/me").status_code for _ in range(4) for client in (first, second)
        ]
    assert statuses == [200] * 6 + [429, 429]


def test_a_rate_of_zero_means_no_limit(database: Database) -> None:
    limiter = RateLimiter(database, "test", 0)
    assert all(limiter.take("a") is None for _ in range(200))


def test_the_window_slides_with_time(database: Database) -> None:
    now = [6_000.0]  # the start of a minute
    limiter = RateLimiter(database, "test", 60, clock=lambda: now[0])
    assert all(limiter.take("a") is None for _ in range(60))
    assert limiter.take("a") == 61  # this minute is full: its count fades through the next
    assert limiter.take("b") is None  # another key has its own count
    now[0] += 61  # a second into the next minute: the 60 now weigh as 59
    assert limiter.take("a") is None
    assert limiter.take("a") is not None
    now[0] += 59  # the whole minute has slid past the 60
    assert all(limiter.take("a") is None for _ in range(59))


def test_refused_requests_are_not_counted(database: Database) -> None:
    now = [6_000.0]
    limiter = RateLimiter(database, "test", 2, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(5)] == [None, None, 90, 90, 90]
    now[0] += 60  # the two allowed weigh in full still; refusals would have kept it shut
    assert limiter.take("a") == 30
    now[0] += 30
    assert limiter.take("a") is None


def test_the_same_key_under_two_limits_is_counted_apart(database: Database) -> None:
    address = RateLimiter(database, "address", 1, clock=lambda: 6_000.0)
    sign_in = RateLimiter(database, "sign_in", 1, clock=lambda: 6_000.0)
    assert address.take("192.0.2.1") is None
    assert sign_in.take("192.0.2.1") is None
    assert address.take("192.0.2.1") is not None


def test_old_counters_are_pruned(database: Database) -> None:
    now = [6_000.0]
    limiter = RateLimiter(database, "test", 5, clock=lambda: now[0])
    for key in ("a", "b", "c"):
        limiter.take(key)
    now[0] += 3 * WINDOW_SECONDS
    limiter.take("d")
    with database.sessionmaker() as session:
        keys = session.scalars(select(RateLimitCounter.key)).all()
    assert keys == ["test:d"]


@settings_(
    max_examples=25,
    deadline=None,  # each example makes up to 200 round trips to PostgreSQL
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.integers(min_value=1, max_value=120), st.integers(min_value=0, max_value=200))
def test_a_minute_never_allows_more_than_the_limit(
    database: Database, limit: int, requests: int
) -> None:
    limiter = RateLimiter(database, f"test-{uuid.uuid4()}", limit, clock=lambda: 6_030.0)
    allowed = sum(limiter.take("k") is None for _ in range(requests))
    assert allowed == min(limit, requests)


@given(
    st.integers(min_value=1, max_value=500),
    st.integers(min_value=0, max_value=1000),
    st.integers(min_value=0, max_value=1000),
    st.floats(min_value=0, max_value=59.99),
)
def test_retry_after_is_when_one_more_request_fits(
    limit: int, previous: int, current: int, elapsed: float
) -> None:
    previous, current = min(previous, limit), min(current, limit)  # never more than the limit
    wait = seconds_to_wait(previous=previous, current=current, elapsed=elapsed, limit=limit)
    assert wait >= 1

    def fits(at: float) -> bool:
        """Whether one more request fits at `at` seconds into this window."""
        if at < WINDOW_SECONDS:
            return previous * (1 - at / WINDOW_SECONDS) + current + 1 <= limit + 1e-9
        return current * (1 - (at - WINDOW_SECONDS) / WINDOW_SECONDS) + 1 <= limit + 1e-9

    if not fits(elapsed):
        assert fits(elapsed + wait)
        assert wait == 1 or not fits(elapsed + wait - 1.001)


def test_forwarded_for_is_believed_only_from_a_trusted_proxy() -> None:
    scope = {"client": ("10.0.0.5", 1), "headers": [(b"x-forwarded-for", b"203.0.113.9")]}
    assert client_address(scope, []) == "10.0.0.5"
    assert client_address(scope, ["10.0.0.5"]) == "203.0.113.9"
    spoofed = {
        "client": ("10.0.0.5", 1),
        "headers": [(b"x-forwarded-for", b"1.1.1.1, 198.51.100.7")],
    }
    assert client_address(spoofed, ["10.0.0.5"]) == "198.51.100.7"


def test_pages_and_api_answers_are_not_cached_but_static_files_may_be(api: TestClient) -> None:
    assert api.get("/api/v1/kpi/measures").headers["cache-control"] == "no-store"
    assert api.get("/").headers["cache-control"] == "no-store"
    assert api.get("/static/app.css").headers.get("cache-control") != "no-store"
