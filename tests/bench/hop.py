"""The floor of any gateway: one bare httpx proxy hop and nothing else, as its own process.

`python -m tests.bench.hop UPSTREAM_URL PORT` serves every request by forwarding it to the
upstream, streaming both ways, the way `gateway.proxy.forward` does, but with no
authentication, limits, headers or logging. What the gateway adds beyond this hop is its own cost.
"""

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

_SKIP = {"host", "content-length", "connection", "transfer-encoding"}


def create_hop(upstream: str) -> Starlette:
    client = httpx.AsyncClient(
        base_url=upstream,
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
        timeout=60,
    )

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await client.aclose()

    async def forward(request: Request) -> Response:
        headers = [(k, v) for k, v in request.headers.items() if k not in _SKIP]
        url = httpx.URL(path=request.url.path, query=request.url.query.encode())
        sent = client.build_request(request.method, url, headers=headers, content=request.stream())
        upstream_response = await client.send(sent, stream=True)
        response = StreamingResponse(
            upstream_response.aiter_raw(),
            status_code=upstream_response.status_code,
            background=BackgroundTask(upstream_response.aclose),
        )
        response.raw_headers = [
            (k, v) for k, v in upstream_response.headers.raw if k.decode().lower() not in _SKIP
        ]
        return response

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    return Starlette(routes=[Route("/{path:path}", forward, methods=methods)], lifespan=lifespan)


def main(argv: list[str]) -> None:
    upstream, port = argv
    uvicorn.run(create_hop(upstream), host="127.0.0.1", port=int(port), log_level="warning")


if __name__ == "__main__":
    main(sys.argv[1:])
