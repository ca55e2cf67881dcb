"""What the gateway does to every request before anything else: security headers on every
response, a cap on request bodies, and rate limits per client address and per credential (counted in
each process's memory and shared through PostgreSQL in batches; sign-in attempts counted exactly,
in PostgreSQL, on every attempt).

These are plain ASGI middleware so that they see every response (errors included) and can stop a
large body while it is still arriving.
"""

import ipaddress
import json
import logging
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common.db import Database
from common.errors import PROBLEM_JSON
from common.settings import Settings
from gateway.pagepass import PAGE_PASS_HEADER, PagePasses

log = logging.getLogger(__name__)
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
"""No inline script or style anywhere; `object-src` and `base-uri` closed as ASVS 3.4.3 asks."""
HSTS = "max-age=31536000; includeSubDomains"
HTTPS_ONLY_OFF_UNDER_TLS = (
    "HTTPS_ONLY is false, but requests arrive over https: session cookies go without the Secure "
    "flag and the __Host- prefix. Set HTTPS_ONLY=true."
)
HTTPS_ONLY_OFF_BEHIND_PROXY = (
    "HTTPS_ONLY is false behind TRUSTED_PROXIES: if they terminate TLS, session cookies go "
    "without the Secure flag and the __Host- prefix. Set HTTPS_ONLY=true."
)


def problem_body(status: int, title: str, detail: str) -> bytes:
    return json.dumps(
        {"type": "about:blank", "title": title, "status": status, "detail": detail}
    ).encode()


async def send_problem(
    send: Send, status: int, title: str, detail: str, headers: dict[str, str] | None = None
) -> None:
    body = problem_body(status, title, detail)
    raw = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
        *((name.lower().encode(), value.encode()) for name, value in (headers or {}).items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def warn_if_https_only_is_off(settings: Settings) -> None:
    """At start, before any request: HTTPS_ONLY is off where TLS is all but certain (the
    gateway's own address is https, or it sits behind proxies, which terminate TLS)."""
    if settings.https_only:
        return
    if settings.gateway_url.startswith("https://"):
        log.warning(HTTPS_ONLY_OFF_UNDER_TLS)
    elif settings.trusted_proxies:
        log.warning(HTTPS_ONLY_OFF_BEHIND_PROXY)


class SecurityHeaders:
    """Adds the browser-security headers to every response that has not set its own."""

    def __init__(self, app: ASGIApp, *, https_only: bool) -> None:
        self.app = app
        self.https_only = https_only
        self._warned = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = self.https_only or scope.get("scheme") == "https"
        if https and not self.https_only and not self._warned:
            self._warned = True  # once a process: the setting is wrong, not the request
            log.warning(HTTPS_ONLY_OFF_UNDER_TLS)
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                if not static:
                    # Pages and API answers carry council data: no shared or disk caches.
                    headers.setdefault("Cache-Control", "no-store")
                if https:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _TooLarge(Exception):
    pass


IMPORT_PATHS = re.compile(r"^(/imports/(preview|commit)|/api/v1/[a-z]+/imports/[a-z-]+)$")
"""Spreadsheet uploads: the web's import pages and the services' import operations."""


class BodySizeLimit:
    """Refuses a body over `max_bytes` with 413, whether or not it declares its length.

    Imports (`IMPORT_PATHS`) may send up to `import_max_bytes` (`Settings.import_body_bytes`):
    a council's spreadsheet can be larger than any other request."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, import_max_bytes: int = 0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.import_max_bytes = max(import_max_bytes, max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        if scope["method"] == "POST" and IMPORT_PATHS.match(scope["path"]):
            limit = self.import_max_bytes
        detail = f"The request body is larger than the limit of {limit} bytes."
        declared = Headers(scope=scope).get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            await send_problem(send, 413, "Content Too Large", detail)
            return
        received = 0
        started = too_large = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if too_large:
                # Whatever the app made of a cut-off body (a proxy may have passed part of it on
                # and relayed an upstream's 400), the answer is 413.
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await send_problem(send, 413, "Content Too Large", detail)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await send_problem(send, 413, "Content Too Large", detail)


Clock = Callable[[], float]
WINDOW_SECONDS = 60

# One statement per request, atomic under concurrency (the row lock orders callers on one key).
# A sliding-window counter: this minute's count plus last minute's, weighted by how much of last
# minute is still inside the sliding 60 seconds. A refused request is not counted, so a client
# that waits as long as Retry-After says is let in. Every SET expression reads the row as it was.
_PREVIOUS = """(case when c.window_start >= :window then c.previous_count
                   when c.window_start = :window - 1 then c.current_count else 0 end)"""
_CURRENT = "(case when c.window_start >= :window then c.current_count else 0 end)"
_FITS = f"({_PREVIOUS} * :weight + {_CURRENT} + 1 <= :limit)"
_TAKE = text(
    f"""
    insert into identity.rate_limit_counters as c
        (key, window_start, current_count, previous_count, allowed)
    values (:key, :window, 1, 0, true)
    on conflict (key) do update set
        window_start = greatest(c.window_start, :window),
        previous_count = {_PREVIOUS},
        current_count = {_CURRENT} + case when {_FITS} then 1 else 0 end,
        allowed = {_FITS}
    returning previous_count, current_count, allowed
    """
)
_PRUNE = text("delete from identity.rate_limit_counters where window_start < :window - 1")


@dataclass(frozen=True)
class _Moment:
    """Where a time falls in the sliding-window counter: its minute and how far into it."""

    window: int
    """The minute, counted from the epoch."""
    elapsed: float
    """Seconds since that minute began."""

    @classmethod
    def at(cls, now: float) -> "_Moment":
        window = int(now // WINDOW_SECONDS)
        return cls(window, now - window * WINDOW_SECONDS)

    @property
    def weight(self) -> float:
        """How much of the minute before's count still lies inside the sliding 60 seconds."""
        return 1 - self.elapsed / WINDOW_SECONDS


def _counter_key(name: str, key: str) -> str:
    """`key` under the limit `name`, as its counter row is keyed (at most 400 characters)."""
    return f"{name}:{key}"[:400]


def seconds_to_wait(*, previous: int, current: int, elapsed: float, limit: int) -> int:
    """How long until one more request fits, for a refused one (`elapsed`: seconds into this
    window). E.g. 60 a minute, all 60 sent at the start of this window, refused 10 s in: the
    next fits once last window's weight has fallen enough into the next one, `50 + 1` s later.
    """
    window = float(WINDOW_SECONDS)
    if current + 1 <= limit and previous > 0:
        # Wait within this window until last window's share has shrunk enough.
        fraction = 1 - (limit - current - 1) / previous
        wait = fraction * window - elapsed
    else:
        # This window alone is full: wait into the next one, where this one's count decays.
        fraction = max(0.0, 1 - (limit - 1) / current) if current else 0.0
        wait = (window - elapsed) + fraction * window
    return max(1, math.ceil(wait))


@dataclass
class RateLimiter:
    """`per_minute` requests a minute for each key, counted in PostgreSQL so that every gateway
    process shares one limit (`identity.rate_limit_counters`, a sliding-window counter).

    `name` keeps each limit's keys apart (an address under two limits counts once in each).
    If the database cannot be reached the request is let through: the limit then protects
    nothing anyway, since signing in and every page need the same database.
    """

    database: Database
    name: str
    per_minute: int
    clock: Clock = time.time
    _pruned_at: float = field(default=0.0)

    def take(self, key: str) -> int | None:
        """Count one request for `key`; None if allowed, else the seconds to wait."""
        if self.per_minute <= 0:
            return None
        now = self.clock()
        moment = _Moment.at(now)
        params = {
            "key": _counter_key(self.name, key),
            "window": moment.window,
            "weight": moment.weight,
            "limit": self.per_minute,
        }
        try:
            with self.database.sessionmaker() as session:
                previous, current, allowed = session.execute(_TAKE, params).one()
                if now - self._pruned_at >= WINDOW_SECONDS:
                    # Rows older than the last window count for nothing: keep the table small.
                    self._pruned_at = now
                    session.execute(_PRUNE, {"window": moment.window})
                session.commit()
        except SQLAlchemyError as error:
            # Expected while PostgreSQL restarts, once a request: a warning, not a trace each.
            log.warning(
                "rate limit not checked: the database did not answer",
                extra={"error": type(error).__name__},
            )
            return None
        if allowed:
            return None
        return seconds_to_wait(
            previous=previous, current=current, elapsed=moment.elapsed, limit=self.per_minute
        )

    async def take_async(self, key: str) -> int | None:
        """`take`, off the event loop."""
        return await run_in_threadpool(self.take, key)


# Many keys' counts added in one statement per window (sorted, so two processes flushing at once
# lock rows in the same order). Counts may arrive late: a delta for the minute before the row's
# goes to its previous count; one for an older minute counts for nothing any more.
_ADD = text(
    """
    insert into identity.rate_limit_counters as c
        (key, window_start, current_count, previous_count, allowed)
    select k, :window, d, 0, true
    from unnest(cast(:keys as text[]), cast(:deltas as integer[])) as t(k, d)
    order by k
    on conflict (key) do update set
        window_start = greatest(c.window_start, :window),
        previous_count = case
            when c.window_start = :window + 1 then c.previous_count + excluded.current_count
            when c.window_start > :window then c.previous_count
            when c.window_start = :window then c.previous_count
            when c.window_start = :window - 1 then c.current_count
            else 0 end,
        current_count = case
            when c.window_start > :window then c.current_count
            when c.window_start = :window then c.current_count + excluded.current_count
            else excluded.current_count end
    returning key, window_start, current_count, previous_count
    """
)

_READ = text(
    """select key, window_start, current_count, previous_count
       from identity.rate_limit_counters where key = any(cast(:keys as text[]))"""
)


@dataclass
class _Count:
    """One key as this process knows it: every process's counts as of the last flush (`shared`,
    for the minute `shared_window` and the one before), and its own since (`pending`)."""

    shared_window: int = 0
    shared_current: int = 0
    shared_previous: int = 0
    pending: dict[int, int] = field(default_factory=dict)

    def counts(self, window: int) -> tuple[int, int]:
        """(the minute before's count, this minute's) as far as this process knows."""
        shared = {
            self.shared_window: self.shared_current,
            self.shared_window - 1: self.shared_previous,
        }
        return (
            shared.get(window - 1, 0) + self.pending.get(window - 1, 0),
            shared.get(window, 0) + self.pending.get(window, 0),
        )


@dataclass(frozen=True)
class Standing:
    """Where a key stands against its limit, as the `RateLimit-*` response headers say it."""

    limit: int
    remaining: int
    """Requests that would still be let in now."""
    reset: int
    """Seconds until this minute's count starts to fall away (to wait, when refused)."""

    def headers(self) -> dict[str, str]:
        """The separate fields of the IETF draft (draft-ietf-httpapi-ratelimit-headers-06)."""
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }


@dataclass
class BatchedRateLimiter:
    """`per_minute` requests a minute for each key, counted in this process's memory and shared
    with every other gateway process by adding the counts to PostgreSQL in one batch every
    `flush_seconds` (the same sliding-window counter as `RateLimiter`, without a database write
    per request).

    Between flushes a process knows the others' counts as of its last flush: with `n` processes a
    key can get up to `(n - 1) x` its rate `x flush_seconds` more than the limit, never more. Limits
    that must be exact whatever the cost (sign-in attempts) use `RateLimiter`. A flush that fails
    keeps its counts for the next; counting in memory goes on meanwhile.
    """

    database: Database
    name: str
    per_minute: int
    flush_seconds: float = 2.0
    clock: Clock = time.time
    _counts: dict[str, _Count] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _flushed_at: float = 0.0
    _flushing: bool = False
    _pruned_at: float = 0.0

    def take(self, key: str) -> int | None:
        """Count one request for `key` in memory; None if allowed, else the seconds to wait."""
        if self.per_minute <= 0:
            return None
        moment = _Moment.at(self.clock())
        with self._lock:
            count = self._counts.setdefault(_counter_key(self.name, key), _Count())
            previous, current = count.counts(moment.window)
            if previous * moment.weight + current + 1 <= self.per_minute:
                count.pending[moment.window] = count.pending.get(moment.window, 0) + 1
                return None
        return seconds_to_wait(
            previous=previous, current=current, elapsed=moment.elapsed, limit=self.per_minute
        )

    def standing(self, key: str, *, wait: int | None = None) -> Standing | None:
        """Where `key` stands now, as far as this process knows (None: no limit). `wait`: the
        request was refused, and may be sent again in that many seconds."""
        if self.per_minute <= 0:
            return None
        if wait is not None:
            return Standing(self.per_minute, 0, wait)
        moment = _Moment.at(self.clock())
        with self._lock:
            count = self._counts.get(_counter_key(self.name, key))
            previous, current = count.counts(moment.window) if count else (0, 0)
        used = previous * moment.weight + current
        return Standing(
            self.per_minute,
            max(0, math.floor(self.per_minute - used)),
            max(1, math.ceil(WINDOW_SECONDS - moment.elapsed)),
        )

    def flush_due(self) -> bool:
        return not self._flushing and self.clock() - self._flushed_at >= self.flush_seconds

    def flush(self) -> None:
        """Add this process's counts to the shared ones, and learn everyone's in return."""
        now = self.clock()
        window = _Moment.at(now).window
        with self._lock:
            self._flushing, self._flushed_at = True, now
            batches: dict[int, dict[str, int]] = {}
            # Keys still weighing here but with nothing new to add: read the others' counts.
            idle = sorted(k for k, c in self._counts.items() if not c.pending)
            for key, count in self._counts.items():
                for minute, delta in count.pending.items():
                    if minute >= window - 1:  # older counts no longer weigh on anything
                        batches.setdefault(minute, {})[key] = delta
                count.pending = {}
            # Keys nobody has used for two minutes count for nothing: forget them.
            for key in [k for k, c in self._counts.items() if c.shared_window < window - 1]:
                if key not in batches.get(window, {}) and key not in batches.get(window - 1, {}):
                    del self._counts[key]
            idle = [k for k in idle if k in self._counts]
        try:
            learned = self._add(batches, idle, now, window)
        except SQLAlchemyError:
            # Plainly, without a traceback: while PostgreSQL restarts this happens every flush.
            log.warning("rate limit counts not shared: the database did not answer")
            with self._lock:
                for minute, deltas in batches.items():
                    for key, delta in deltas.items():
                        count = self._counts.setdefault(key, _Count())
                        count.pending[minute] = count.pending.get(minute, 0) + delta
            return
        finally:
            self._flushing = False
        with self._lock:
            for key, (shared_window, current, previous) in learned.items():
                count = self._counts.setdefault(key, _Count())
                count.shared_window = shared_window
                count.shared_current, count.shared_previous = current, previous

    def _add(
        self, batches: dict[int, dict[str, int]], idle: list[str], now: float, window: int
    ) -> dict[str, tuple[int, int, int]]:
        learned: dict[str, tuple[int, int, int]] = {}
        with self.database.sessionmaker() as session:
            if idle:
                for key, shared_window, current, previous in session.execute(_READ, {"keys": idle}):
                    learned[key] = (shared_window, current, previous)
            for minute in sorted(batches):
                keys = sorted(batches[minute])
                rows = session.execute(
                    _ADD,
                    {"window": minute, "keys": keys, "deltas": [batches[minute][k] for k in keys]},
                )
                for key, shared_window, current, previous in rows:
                    learned[key] = (shared_window, current, previous)
            if now - self._pruned_at >= WINDOW_SECONDS:
                self._pruned_at = now
                session.execute(_PRUNE, {"window": window})
            session.commit()
        return learned

    async def take_async(self, key: str) -> int | None:
        """`take`; when a flush is due, this request makes it (off the event loop)."""
        wait = self.take(key)
        if self.per_minute > 0 and self.flush_due():
            self._flushing = True  # one request flushes; the others go on counting meanwhile
            await run_in_threadpool(self.flush)
        return wait


Limiter = RateLimiter | BatchedRateLimiter


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _trusted(address: str, trusted_proxies: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted_proxies)


def resolve_client(scope: Scope, trusted_proxies: list[Network]) -> tuple[str, bool]:
    """Who sent the request, and whether it came over https: the peer, or, when the peer is a
    trusted proxy, the rightmost address in X-Forwarded-For that is not itself a trusted proxy
    (hops left of it were written by the client and prove nothing), and that proxy's
    X-Forwarded-Proto."""
    client = scope.get("client")
    peer = client[0] if client else ""
    https = scope.get("scheme") == "https"
    if not _trusted(peer, trusted_proxies):
        return peer, https
    headers = Headers(scope=scope)
    https = https or headers.get("x-forwarded-proto", "").split(",")[-1].strip() == "https"
    address = peer
    for hop in reversed([h.strip() for h in headers.get("x-forwarded-for", "").split(",")]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # a garbled hop is not evidence of anything: stop at the last good one
        address = hop
        if not _trusted(hop, trusted_proxies):
            break
    return address, https


class TrustedProxies:
    """The one place the client's address is decided: `scope["client"]` (so `request.client`)
    becomes the address `resolve_client` finds, and the scheme https when a trusted proxy says
    the client used it. Nothing else reads X-Forwarded-For."""

    def __init__(self, app: ASGIApp, *, trusted_proxies: list[Network]) -> None:
        self.app = app
        self.trusted_proxies = trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            address, https = resolve_client(scope, self.trusted_proxies)
            port = scope["client"][1] if scope.get("client") else 0
            scope = {**scope, "client": (address, port), "scheme": "https" if https else "http"}
        await self.app(scope, receive, send)


def client_address(scope: Scope) -> str:
    """The client's address, as `TrustedProxies` decided it."""
    client = scope.get("client")
    return client[0] if client else ""


class RateLimitByAddress:
    """429 with Retry-After once one client address sends too many requests.

    A call carrying a genuine page pass (the web app's call for a page already counted) is left
    to the guard, which counts it here after all unless the pass is the caller's own."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limiter: Limiter,
        passes: PagePasses | None = None,
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.passes = passes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in ("/healthz", "/readyz"):
            await self.app(scope, receive, send)
            return
        address = client_address(scope)
        state = scope.setdefault("state", {})
        state["client_address"] = address
        if self.passes is not None:
            token = Headers(scope=scope).get(PAGE_PASS_HEADER)
            if self.passes.valid(token) is not None:
                state["page_pass"] = token
                await self.app(scope, receive, send)
                return
        wait = await self.limiter.take_async(address)
        if wait is not None:
            await send_too_many(send, wait)
            return
        await self.app(scope, receive, send)


async def send_too_many(send: Send, wait: int) -> None:
    await send_problem(
        send,
        429,
        "Too Many Requests",
        f"Too many requests. Try again in {wait} seconds.",
        headers={"Retry-After": str(wait)},
    )
