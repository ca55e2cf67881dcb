"""Forward `/api/v1/<service>/...` and the web pages to the process that serves them."""

import logging
from urllib.parse import quote

import httpx
from fastapi import Request, Response
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from common.errors import problem
from common.identity import IDENTITY_HEADER
from common.logs import REQUEST_ID_HEADER, request_id_var
from gateway.pagepass import PAGE_PASS_HEADER

log = logging.getLogger(__name__)
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_FORWARDED = ("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded")

# Hop-by-hop headers (RFC 9110 7.6.1) are about one connection, not the message.
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
}
_GATEWAY_ONLY = {IDENTITY_HEADER, PAGE_PASS_HEADER, "x-request-id"}


def _request_headers(
    request: Request, identity_token: str | None, extra: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    headers = [
        (name, value)
        for name, value in request.headers.items()
        # A client can never speak for the gateway: drop any identity or page pass it sent, and
        # any forwarding header (the gateway says where the request came from).
        if name not in _HOP_BY_HOP and name not in (*_GATEWAY_ONLY, *_FORWARDED)
    ]
    if identity_token:
        headers.append((IDENTITY_HEADER, identity_token))
    headers.extend((extra or {}).items())
    headers.append((REQUEST_ID_HEADER, request_id_var.get() or ""))
    # The address the gateway settled on (gateway.hardening.TrustedProxies), not the client's
    # own claims: the web app passes it back when it calls the API for this person.
    headers.append(("x-forwarded-for", request.client.host if request.client else ""))
    headers.append(("x-forwarded-proto", request.url.scheme))
    return headers


async def forward(
    request: Request,
    client: httpx.AsyncClient,
    *,
    upstream_name: str,
    path: str,
    identity_token: str | None,
    extra_headers: dict[str, str] | None = None,
) -> Response:
    """Send the request on, streaming both ways; a dead or slow upstream becomes a 502/504."""
    try:
        # Re-encode the decoded path so that what reaches the upstream is what the client sent.
        url = httpx.URL(path=quote(path, safe=_PATH_SAFE), query=request.url.query.encode())
    except httpx.InvalidURL:
        return problem(
            400,
            "Bad Request",
            "The address contains characters that are not allowed.",
            instance=request.url.path,
        )
    upstream_request = client.build_request(
        request.method,
        url,
        headers=_request_headers(request, identity_token, extra_headers),
        content=request.stream(),
    )
    try:
        upstream = await client.send(upstream_request, stream=True)
    except httpx.TimeoutException:
        log.warning("upstream timeout", extra={"upstream": upstream_name})
        return problem(
            504,
            "Gateway Timeout",
            f"The {upstream_name} service did not answer in time.",
            instance=request.url.path,
        )
    except httpx.HTTPError:
        log.warning("upstream unreachable", extra={"upstream": upstream_name})
        return problem(
            502,
            "Bad Gateway",
            f"The {upstream_name} service is not available right now.",
            instance=request.url.path,
            headers={"Retry-After": "5"},
        )
    response = StreamingResponse(
        upstream.aiter_raw(),
        status_code=upstream.status_code,
        background=BackgroundTask(upstream.aclose),
    )
    # Keep every header as sent, repeated ones (Set-Cookie) included.
    response.raw_headers = [
        (name, value)
        for name, value in upstream.headers.raw
        if name.decode("latin-1").lower() not in _HOP_BY_HOP | {"x-request-id"}
    ]
    return response
