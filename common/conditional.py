"""Conditional GET for every JSON read: an ETag on each 200, and 304 Not Modified when the client
already holds that representation (If-None-Match, RFC 9110 13.1.2).

Read endpoints that a record's version already tags (`W/"3"`) keep their ETag; the others get a
strong one, the hash of the body. A poller that sends its last ETag back is then answered with
no body, and none of its JSON is sent again or parsed again. Bodies are hashed only for
successful GET/HEAD answers in JSON; everything else (downloads, errors, writes) streams as it is.
"""

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def body_etag(body: bytes) -> str:
    """A strong validator of the body's exact bytes.

    >>> body_etag(b"{}")
    '"44136fa355b3678a1146ad16f7e8649e"'
    """
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str, etag: str) -> bool:
    """Whether If-None-Match names `etag`, by the weak comparison GET uses.

    >>> matches('W/"1", "abc"', '"abc"'), matches('"abc"', 'W/"abc"'), matches("*", '"x"')
    (True, True, True)
    """
    if if_none_match.strip() == "*":
        return True
    own = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == own for tag in if_none_match.split(","))


class ConditionalGet:
    """ETag on every 200 JSON answer to GET or HEAD; 304 when If-None-Match names it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if_none_match = Headers(scope=scope).get("if-none-match")
        start: Message | None = None
        chunks: list[bytes] = []

        async def tagging_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                if message["status"] == 200 and "json" in headers.get("content-type", ""):
                    start = message  # held until the whole body is known
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            headers = MutableHeaders(scope=start)
            etag = headers.get("etag") or body_etag(body)
            headers["etag"] = etag
            if if_none_match and matches(if_none_match, etag):
                del headers["content-length"]
                if "content-type" in headers:
                    del headers["content-type"]
                start["status"] = 304
                await send(start)
                await send({"type": "http.response.body", "body": b""})
                return
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, tagging_send)
