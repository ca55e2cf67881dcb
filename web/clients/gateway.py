"""The web app's one way to reach data: the gateway's public API, like any integrator."""

import threading
import urllib.request
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from http.cookiejar import Cookie, CookieJar, DefaultCookiePolicy
from typing import Annotated, Any, Generic, TypeVar

import httpx
from fastapi import Depends, Request
from pydantic import TypeAdapter

from common.errors import AppError
from common.identity import IDENTITY_HEADER, PAGE_PASS_HEADER, Caller, caller_from_token
from common.logs import REQUEST_ID_HEADER, request_id_var
from web.clients.models import Page


class UpstreamDown(Exception):
    """A part of the system the page needs is not answering."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class ApiError(Exception):
    """The API refused a request; `problem` is its RFC 9457 body."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        super().__init__(problem.get("detail", ""))
        self.status = status
        self.problem = problem

    def field_errors(self) -> dict[str, str]:
        """{field: message}, the first message for each field."""
        errors: dict[str, str] = {}
        for error in self.problem.get("errors") or []:
            errors.setdefault(str(error.get("field", "")), str(error.get("message", "")))
        return errors


T = TypeVar("T")
R = TypeVar("R")
Item = TypeVar("Item")
LIMIT = 500
"""The most items a list endpoint gives in one page."""
NO_BODY = type(None)
"""The `response` of an endpoint whose answer the web does not read."""


@dataclass(frozen=True)
class Endpoint(Generic[T]):
    """One operation of the gateway's API as a client calls it: `path` is the merged OpenAPI
    document's path without `/api/v1`, with its `{name}` parameters; `response` is what the
    answer is read as (a pydantic model, a list of them, or `NO_BODY` for an answer the web
    does not read). The client models test checks every endpoint against the document."""

    method: str
    path: str
    response: type[T]
    what: str
    adapter: TypeAdapter[T] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "adapter", TypeAdapter(self.response))

    def url(self, **names: object) -> str:
        return self.path.format(**names)

    @cached_property
    def operation(self) -> tuple[str, str]:
        """(method, path) as the OpenAPI document writes them."""
        return self.method.lower(), "/api/v1" + self.path


@dataclass(frozen=True)
class Tagged(Generic[T]):
    """A record with the ETag the API sent with it, to be echoed in If-Match unchanged."""

    record: T
    etag: str


def endpoints(module: object) -> list[Endpoint[Any]]:
    """The endpoints a client module declares: its module-level `Endpoint`s and the operations
    of its `Editable` records."""
    found: list[Endpoint[Any]] = []
    for value in vars(module).values():
        if isinstance(value, Endpoint):
            found.append(value)
        elif isinstance(value, Editable):
            found.extend(value.operations)
    return found


def retiring(read: Endpoint[T]) -> tuple[Endpoint[T], Endpoint[T]]:
    """The retire and restore operations of the record `read` gets (common/retiring.py)."""
    return (
        Endpoint("POST", read.path + "/retire", read.response, read.what),
        Endpoint("POST", read.path + "/restore", read.response, read.what),
    )


def editing(read: Endpoint[T]) -> tuple[Endpoint[T], Endpoint[T]]:
    """The add and change operations of the record `read` gets: POST to the list it is in,
    PATCH on the record itself."""
    return (
        Endpoint("POST", read.path.rsplit("/", 1)[0], read.response, read.what),
        Endpoint("PATCH", read.path, read.response, read.what),
    )


@dataclass(frozen=True)
class Editable(Generic[T]):
    """A record the web's forms add and change, known by the operation that reads it: the
    others follow from its path (`editing`, and `retiring` for a record that can leave the
    plan), and so does the name of its id."""

    read: Endpoint[T]
    retires: bool = False

    @cached_property
    def id_name(self) -> str:
        """`project_id` for `/projects/projects/{project_id}`."""
        return self.read.path.rsplit("{", 1)[1].removesuffix("}")

    @cached_property
    def create(self) -> Endpoint[T]:
        return editing(self.read)[0]

    @cached_property
    def change(self) -> Endpoint[T]:
        return editing(self.read)[1]

    @cached_property
    def retire(self) -> Endpoint[T] | None:
        return retiring(self.read)[0] if self.retires else None

    @cached_property
    def restore(self) -> Endpoint[T] | None:
        return retiring(self.read)[1] if self.retires else None

    @property
    def operations(self) -> list[Endpoint[T]]:
        """Every operation but the read (the client declares that as an endpoint of its own)."""
        found = (self.create, self.change, self.retire, self.restore)
        return [endpoint for endpoint in found if endpoint is not None]


def if_match(version: int | str) -> dict[str, str]:
    """The header that makes a change conditional on the version the page was shown."""
    return {"if-match": f'"{version}"'}


def query(params: dict[str, Any]) -> dict[str, Any]:
    """Query parameters without the empty ones (an empty filter is no filter)."""
    return {k: v for k, v in params.items() if v not in (None, "")}


class Revalidated:
    """What the web app last read from a repeated API read, with that answer's ETag: sent back as
    If-None-Match, a 304 means the kept reading still holds, and nothing is sent or parsed again.

    Bounded (least recently used goes first) and shared by the process's page views: each entry
    is keyed by whoever may see it, and a kept reading is only ever used after the gateway has
    answered 304 to that very person, so it never outlives a change or crosses to someone whose
    answer differs."""

    def __init__(self, most: int = 512) -> None:
        self.most = most
        self._kept: OrderedDict[Hashable, tuple[str, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[str, object] | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: Hashable, etag: str, reading: object) -> None:
        with self._lock:
            self._kept[key] = (etag, reading)
            self._kept.move_to_end(key)
            while len(self._kept) > self.most:
                self._kept.popitem(last=False)


class _NoCookies(DefaultCookiePolicy):
    def set_ok(self, cookie: Cookie, request: urllib.request.Request) -> bool:
        return False


class GatewayClient:
    """Calls `/api/v1/...` on the gateway on behalf of the person viewing the page."""

    def __init__(self, client: httpx.AsyncClient, request: Request) -> None:
        self._client = client
        self._request = request
        # The client is shared by everyone's page views: it must never keep a cookie it is sent
        # (a session cookie set for one person would go out with the next person's calls).
        if not isinstance(getattr(client.cookies.jar, "_policy", None), _NoCookies):
            client.cookies = CookieJar(policy=_NoCookies())

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"accept": "application/json"}
        # The person's own credentials go with every call: the gateway decides what they may see.
        # The page's pass, so that these calls count once, with the page (gateway/pagepass.py).
        for name in ("cookie", "authorization", "x-forwarded-for", PAGE_PASS_HEADER):
            if value := self._request.headers.get(name):
                headers[name] = value
        # The gateway wants the session's CSRF token on every change made with its cookie.
        if csrf := _csrf_token(self._request):
            headers["x-csrf-token"] = csrf
        if request_id := request_id_var.get():
            headers[REQUEST_ID_HEADER] = request_id
        return headers | (extra or {})

    async def request(
        self,
        method: str,
        path: str,
        *,
        what: str,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        try:
            response = await self._client.request(
                method, "/api/v1" + path, headers=self._headers(headers), **kwargs
            )
        except httpx.HTTPError as error:
            raise UpstreamDown(what) from error
        if response.status_code in (502, 503, 504):
            raise UpstreamDown(what)
        if response.status_code >= 400:
            body = response.json() if "json" in response.headers.get("content-type", "") else {}
            raise ApiError(response.status_code, body)
        return response

    async def call(
        self,
        endpoint: Endpoint[T],
        path: dict[str, object] | None = None,
        *,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> T:
        """Call one endpoint and read its answer as the endpoint's response model."""
        response = await self.request(
            endpoint.method,
            endpoint.url(**(path or {})),
            what=endpoint.what,
            headers=headers,
            **kwargs,
        )
        if endpoint.response is NO_BODY:
            return None  # type: ignore[return-value]  # T is None here
        return endpoint.adapter.validate_json(response.content)

    async def every(
        self,
        endpoint: Endpoint[Page[Item]],
        path: dict[str, object] | None = None,
        **params: Any,
    ) -> list[Item]:
        """Every item of a list endpoint, page after page (the pages show whole, council-sized
        lists)."""
        items: list[Item] = []
        while True:
            page = await self.call(
                endpoint, path, params=query(params) | {"limit": LIMIT, "offset": len(items)}
            )
            items.extend(page.items)
            if not page.items or len(items) >= page.total:
                return items

    async def call_tagged(
        self, endpoint: Endpoint[T], path: dict[str, object] | None = None, **kwargs: Any
    ) -> Tagged[T]:
        """Call one endpoint; its answer and the ETag it came with."""
        response = await self.request(
            endpoint.method, endpoint.url(**(path or {})), what=endpoint.what, **kwargs
        )
        return Tagged(endpoint.adapter.validate_json(response.content), response.headers["etag"])

    async def call_revalidated(
        self,
        endpoint: Endpoint[T],
        read: Callable[[T], R],
        *,
        key: Hashable,
        params: dict[str, Any] | None = None,
    ) -> R:
        """`read` of the endpoint's answer, kept under `key` with the answer's ETag: the next call
        sends it as If-None-Match and, on 304, returns the kept reading. `read` must give a value
        nobody changes (tuples, frozen models): it is shared by every page view with that key."""
        kept: Revalidated = self._client_state("revalidated", Revalidated)
        url = endpoint.url()
        entry = kept.get((key, url, tuple(sorted((params or {}).items()))))
        response = await self.request(
            endpoint.method,
            url,
            what=endpoint.what,
            headers={"if-none-match": entry[0]} if entry else None,
            params=params,
        )
        if response.status_code == 304 and entry is not None:
            return entry[1]  # type: ignore[return-value]  # kept by this very call for this key
        reading = read(endpoint.adapter.validate_json(response.content))
        if etag := response.headers.get("etag"):
            kept.put((key, url, tuple(sorted((params or {}).items()))), etag, reading)
        return reading

    def council(self) -> str:
        """The council of the person viewing the page, as the gateway vouches for it."""
        caller = _caller(self._request)
        return str(caller.org_id) if caller else ""

    def _client_state(self, name: str, make: Callable[[], Any]) -> Any:
        """A value kept for the app's lifetime beside its shared client."""
        state = self._request.app.state
        if not hasattr(state, name):
            setattr(state, name, make())
        return getattr(state, name)


def _caller(request: Request) -> Caller | None:
    token = request.headers.get(IDENTITY_HEADER)
    if not token:
        return None
    try:
        return caller_from_token(token, request.app.state.settings, audience="web")
    except AppError:
        return None


def _csrf_token(request: Request) -> str | None:
    caller = _caller(request)
    return caller.csrf if caller else None


def gateway_client(request: Request) -> GatewayClient:
    """FastAPI dependency: a client for this page view."""
    return GatewayClient(request.app.state.gateway, request)


Gateway = Annotated[GatewayClient, Depends(gateway_client)]
"""A page's gateway client, as a route's parameter."""
