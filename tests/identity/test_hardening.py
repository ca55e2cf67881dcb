"""Security headers on every response, the body size limit and the rate limits."""

import logging
import uuid

import httpx
import hypothesis.strategies as st
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_
from sqlalchemy import select
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send

from common.db import Database
from common.settings import Settings
from common.testing.plugin import make_caller
from gateway.app import create_app as create_gateway
from gateway.hardening import (
    CONTENT_SECURITY_POLICY,
    HTTPS_ONLY_OFF_BEHIND_PROXY,
    HTTPS_ONLY_OFF_UNDER_TLS,
    WINDOW_SECONDS,
    BatchedRateLimiter,
    RateLimiter,
    resolve_client,
    seconds_to_wait,
)
from gateway.models import RateLimitCounter
from stack.serve import uvicorn_config
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


def test_the_api_docs_page_keeps_the_apps_policy_and_loads_only_its_own_files(
    api: TestClient,
) -> None:
    page = api.get("/api/docs")
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "https://" not in page.text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text


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


def test_every_api_answer_says_where_the_caller_stands_against_the_limit(
    settings: Settings, database: object, demo_org: object
) -> None:
    with _limited_client(settings, database, rate_limit_per_key_per_minute=3) as client:
        answers = [client.get("/api/v1/me") for _ in range(4)]
        page = client.get("/")
    assert [a.headers["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert {a.headers["RateLimit-Limit"] for a in answers} == {"3"}
    assert all(1 <= int(a.headers["RateLimit-Reset"]) <= 60 for a in answers[:3])
    refused = answers[-1]
    assert refused.status_code == 429
    assert refused.headers["RateLimit-Reset"] == refused.headers["Retry-After"]
    assert "RateLimit-Limit" not in page.headers  # a page of the web app is not an API answer


def test_two_gateway_processes_share_one_limit(
    settings: Settings, database: Database, demo_org: object
) -> None:
    small = settings.model_copy(
        update={"rate_limit_per_address_per_minute": 6, "rate_limit_flush_seconds": 0}
    )
    caller = make_caller(settings.demo_org_id)
    one = build_system(small, database, caller=caller)
    two = build_system(small, database, caller=caller)
    with (
        TestClient(one.gateway, base_url="http://gateway") as first,
        TestClient(two.gateway, base_url="http://gateway") as second,
    ):
        statuses = [
            client.get("/api/v1/me").status_code for _ in range(5) for client in (first, second)
        ]
    # Each process knows the other's count as of its last flush (here: every request), so the
    # two together let at most one request more through than the limit, then both refuse.
    assert statuses[:6] == [200] * 6
    assert statuses.count(200) <= 7
    assert statuses[-2:] == [429, 429]


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


def _scope(peer: str, forwarded: str, proto: str = "") -> Scope:
    headers = [(b"x-forwarded-for", forwarded.encode())]
    if proto:
        headers.append((b"x-forwarded-proto", proto.encode()))
    return {"type": "http", "scheme": "http", "client": (peer, 1), "headers": headers}


def test_forwarded_for_is_believed_only_from_a_trusted_proxy() -> None:
    nobody = Settings(trusted_proxies="").trusted_proxies
    ingress = Settings(trusted_proxies="10.0.0.0/8, 192.0.2.1").trusted_proxies
    assert resolve_client(_scope("10.0.0.5", "203.0.113.9", "https"), nobody) == (
        "10.0.0.5",
        False,
    )
    assert resolve_client(_scope("10.0.0.5", "203.0.113.9", "https"), ingress) == (
        "203.0.113.9",
        True,
    )
    # Hops left of the first untrusted one from the right were written by the client.
    assert resolve_client(_scope("10.9.8.7", "1.1.1.1, 198.51.100.7, 192.0.2.1"), ingress) == (
        "198.51.100.7",
        False,
    )
    assert resolve_client(_scope("10.0.0.5", "1.1.1.1, not-an-address"), ingress)[0] == "10.0.0.5"
    assert resolve_client(_scope("198.51.100.7", "10.0.0.1"), ingress)[0] == "198.51.100.7"


def test_a_made_up_forwarded_for_does_not_dodge_the_sign_in_limit_per_address(
    secure_system: System,
) -> None:
    # Served as `python -m stack.serve gateway` serves it, with uvicorn's own layers, by a
    # client on the gateway's own host (which uvicorn would trust by default).
    config = uvicorn_config("gateway")
    config.app, config.factory = secure_system.gateway, False
    config.load()
    limiter = RateLimiter(secure_system.gateway.state.database, "sign_in", 3)
    secure_system.gateway.state.rate_limiters["sign_in"] = limiter
    with TestClient(config.loaded_app, base_url="http://gateway", client=("127.0.0.1", 5000)) as c:
        answers = [
            c.post(
                "/api/v1/sessions",
                json={"email": f"user{n}@demo.example", "password": "guess"},
                headers={"X-Forwarded-For": f"198.51.100.{n}", "Forwarded": f"for=192.0.2.{n}"},
            ).status_code
            for n in range(4)
        ]
    assert answers == [401, 401, 401, 429]


def test_only_the_address_the_gateway_settled_on_is_passed_on(
    settings: Settings, database: Database, demo_org: uuid.UUID
) -> None:
    seen: list[tuple[str | None, str | None]] = []

    async def web(scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        seen.append((headers.get("x-forwarded-for"), headers.get("x-forwarded-proto")))
        await PlainTextResponse("ok")(scope, receive, send)

    trusting = Settings(**{**settings.model_dump(), "trusted_proxies": "10.0.0.0/8"})
    system = build_system(
        trusting,
        database,
        caller=make_caller(demo_org),
        transports={"web": httpx.ASGITransport(app=web)},
    )
    with TestClient(system.gateway, base_url="http://gateway", client=("10.1.1.1", 1)) as client:
        client.get("/", headers={"X-Forwarded-For": "1.1.1.1, 203.0.113.9"})
    assert seen == [("203.0.113.9", "http")]


def test_pages_and_api_answers_are_not_cached_but_static_files_may_be(api: TestClient) -> None:
    assert api.get("/api/v1/kpi/measures").headers["cache-control"] == "no-store"
    assert api.get("/").headers["cache-control"] == "no-store"
    assert api.get("/static/app.css").headers.get("cache-control") != "no-store"


def test_https_only_off_under_tls_is_warned_about_once(
    system: System, caplog: pytest.LogCaptureFixture
) -> None:
    with TestClient(system.gateway, base_url="https://gateway") as client:
        for _ in range(3):
            assert client.get("/api/v1/me").status_code == 200
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings.count(HTTPS_ONLY_OFF_UNDER_TLS) == 1


def test_https_only_off_where_tls_is_certain_is_warned_about_at_start(
    settings: Settings, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    create_gateway(settings=settings, database=database)
    assert not caplog.records  # plain http in development: nothing to say
    public = settings.model_copy(update={"gateway_url": "https://asc.example.org"})
    create_gateway(settings=public, database=database)
    proxied = Settings(**{**settings.model_dump(), "trusted_proxies": "10.0.0.0/8"})
    create_gateway(settings=proxied, database=database)
    secure = Settings(**{**proxied.model_dump(), "https_only": True})
    create_gateway(settings=secure, database=database)
    assert [r.getMessage() for r in caplog.records] == [
        HTTPS_ONLY_OFF_UNDER_TLS,
        HTTPS_ONLY_OFF_BEHIND_PROXY,
    ]


# ---- the per-address and per-credential limits: counted in memory, shared in batches ----------


def test_a_batched_limit_refuses_with_the_seconds_to_wait(database: Database) -> None:
    now = [6_000.0]
    limiter = BatchedRateLimiter(database, "test", 2, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(5)] == [None, None, 90, 90, 90]
    assert limiter.take("b") is None  # another key has its own count
    now[0] += 60
    assert limiter.take("a") == 30  # refusals were not counted, and the window slides
    now[0] += 30
    assert limiter.take("a") is None


def test_a_batched_limit_writes_nothing_until_it_flushes(database: Database) -> None:
    limiter = BatchedRateLimiter(database, "test", 100, clock=lambda: 6_000.0)
    for _ in range(50):
        limiter.take("a")
    with database.sessionmaker() as session:
        assert session.scalars(select(RateLimitCounter.key)).all() == []
    limiter.flush()
    with database.sessionmaker() as session:
        row = session.get_one(RateLimitCounter, "test:a")
    assert (row.window_start, row.current_count) == (100, 50)


def test_two_limiters_over_one_database_share_counts_after_a_flush(database: Database) -> None:
    now = [6_000.0]
    one = BatchedRateLimiter(database, "test", 10, clock=lambda: now[0])
    two = BatchedRateLimiter(database, "test", 10, clock=lambda: now[0])
    assert all(one.take("k") is None for _ in range(6))
    assert all(two.take("k") is None for _ in range(4))
    one.flush()
    two.flush()  # adds its 4 to the 6, and learns the 10
    assert two.take("k") is not None
    one.flush()  # learns the other's 4
    assert one.take("k") is not None
    now[0] += 2 * WINDOW_SECONDS  # both minutes have slid past
    assert one.take("k") is None


def test_counts_flushed_late_still_weigh_on_the_next_minute(database: Database) -> None:
    now = [6_000.0]
    late = BatchedRateLimiter(database, "test", 10, clock=lambda: now[0])
    other = BatchedRateLimiter(database, "test", 10, clock=lambda: now[0])
    for _ in range(8):
        late.take("k")
    now[0] += WINDOW_SECONDS  # the next minute begins before `late` has flushed
    other.take("k")
    other.flush()
    late.flush()  # its 8 belong to the minute before: they go to the previous count
    with database.sessionmaker() as session:
        row = session.get_one(RateLimitCounter, "test:k")
    assert (row.window_start, row.current_count, row.previous_count) == (101, 1, 8)
    other.flush()
    # At the start of the minute the 8 weigh in full: 8 + 1 + 1 fit, one more does not.
    assert other.take("k") is None
    assert other.take("k") is not None


def test_a_batched_limit_counts_on_in_memory_when_the_database_is_down() -> None:
    from sqlalchemy import create_engine

    unreachable = Database(create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none"))
    limiter = BatchedRateLimiter(unreachable, "test", 3, clock=lambda: 6_000.0)
    assert [limiter.take("a") for _ in range(4)][-1] is not None
    limiter.flush()  # logged, counts kept for the next flush
    assert limiter.take("a") is not None


@settings_(max_examples=50, deadline=None)
@given(st.integers(min_value=1, max_value=300), st.integers(min_value=0, max_value=400))
def test_one_process_never_allows_more_than_the_limit(limit: int, requests: int) -> None:
    limiter = BatchedRateLimiter(Database(None), "test", limit, clock=lambda: 6_030.0)  # type: ignore[arg-type]
    allowed = sum(limiter.take("k") is None for _ in range(requests))
    assert allowed == min(limit, requests)


def test_a_page_counts_once_however_many_api_calls_it_makes(
    settings: Settings, database: Database, demo_org: object
) -> None:
    with _limited_client(settings, database, rate_limit_per_key_per_minute=3) as client:
        # /kpis alone makes more than three API calls: counted each, the first page would fail.
        pages = [client.get("/kpis").status_code for _ in range(2)]
        calls = [client.get("/api/v1/me").status_code for _ in range(2)]
    assert pages == [200, 200]
    assert calls == [200, 429]


def test_a_page_pass_counts_for_nothing_in_another_hand(
    settings: Settings, database: Database, demo_org: object
) -> None:
    from common.identity import PAGE_PASS_HEADER

    small = settings.model_copy(update={"rate_limit_per_key_per_minute": 2})
    system = build_system(small, database, caller=make_caller(settings.demo_org_id))
    passes = system.gateway.state.page_passes
    someone_else = passes.mint(make_caller(settings.demo_org_id, user="someone-else"))
    forged = passes.mint(make_caller(settings.demo_org_id))[:-4] + "AAAA"
    with TestClient(system.gateway, base_url="http://gateway") as client:
        statuses = [
            client.get("/api/v1/me", headers={PAGE_PASS_HEADER: token}).status_code
            for token in (someone_else, forged, someone_else)
        ]
    assert statuses == [200, 200, 429]


def test_a_page_pass_covers_a_bounded_number_of_calls(
    settings: Settings, database: Database, demo_org: object
) -> None:
    from common.identity import PAGE_PASS_HEADER
    from gateway.pagepass import INNER_CALLS

    small = settings.model_copy(update={"rate_limit_per_key_per_minute": 1})
    system = build_system(small, database, caller=make_caller(settings.demo_org_id))
    token = system.gateway.state.page_passes.mint(make_caller(settings.demo_org_id))
    with TestClient(system.gateway, base_url="http://gateway") as client:
        statuses = [
            client.get("/api/v1/me", headers={PAGE_PASS_HEADER: token}).status_code
            for _ in range(INNER_CALLS + 2)
        ]
    assert statuses == [200] * (INNER_CALLS + 1) + [429]


def test_a_client_cannot_send_a_page_pass_on_to_the_web_app_or_a_service() -> None:
    from starlette.requests import Request

    from common.identity import PAGE_PASS_HEADER
    from gateway.proxy import _request_headers

    sent = Request(
        {
            "type": "http",
            "scheme": "http",
            "path": "/api/v1/me",
            "headers": [(PAGE_PASS_HEADER.encode(), b"made-up")],
            "client": None,
        }
    )
    names = [name for name, _ in _request_headers(sent, None)]
    assert PAGE_PASS_HEADER not in names
    assert "x-forwarded-for" in names  # what the gateway adds is there
