"""Idempotency-Key on POST: a retried request never creates a second record.

The first request with a key is recorded as in progress, forwarded, and its response stored.
A retry with the same key and the same request gets that response again (marked
`Idempotent-Replayed: true`); the same key with a different request is refused with 422; a retry
while the first is still running gets 409. Keys belong to one organisation and one client, and
are forgotten after a day. A response that is a server error is not kept, so it can be retried.
"""

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from starlette.concurrency import run_in_threadpool

from common.db import Database
from common.errors import problem
from common.identity import Caller
from gateway.models import IdempotencyRecord

HEADER = "idempotency-key"
KEEP_FOR = timedelta(days=1)
ABANDONED_AFTER = timedelta(minutes=2)
"""An in-progress record this old belongs to a request that died; a retry may take it over."""


def request_digest(method: str, path: str, query: str, body: bytes) -> str:
    """What makes two requests "the same request" for a key."""
    return hashlib.sha256(
        b"\n".join([method.encode(), path.encode(), query.encode(), body])
    ).hexdigest()


def valid_key(value: str) -> bool:
    return 0 < len(value) <= 255 and value.isascii() and value.isprintable()


def _claim(database: Database, caller: Caller, key: str, digest: str) -> IdempotencyRecord | None:
    """Record the key as in progress; return the existing record instead if there is one."""
    client = f"{caller.client}:{caller.user_id}"
    now = datetime.now(UTC)
    with database.session(None) as session:
        session.execute(
            delete(IdempotencyRecord).where(IdempotencyRecord.created_at < now - KEEP_FOR)
        )
        inserted = session.execute(
            insert(IdempotencyRecord)
            .values(org_id=caller.org_id, client=client, key=key, request_hash=digest)
            .on_conflict_do_nothing()
            .returning(IdempotencyRecord.key)
        ).first()
        if inserted is not None:
            session.commit()
            return None
        existing = session.scalars(
            select(IdempotencyRecord)
            .where(
                IdempotencyRecord.org_id == caller.org_id,
                IdempotencyRecord.client == client,
                IdempotencyRecord.key == key,
            )
            .with_for_update()
        ).one()
        if (
            existing.status_code is None
            and existing.request_hash == digest
            and existing.created_at < now - ABANDONED_AFTER
        ):
            existing.created_at = now  # take over an abandoned attempt
            session.commit()
            return None
        session.expunge(existing)
        session.commit()
        return existing


def _finish(
    database: Database, caller: Caller, key: str, status: int, headers: list[list[str]], body: bytes
) -> None:
    client = f"{caller.client}:{caller.user_id}"
    where = (
        IdempotencyRecord.org_id == caller.org_id,
        IdempotencyRecord.client == client,
        IdempotencyRecord.key == key,
    )
    with database.session(None) as session:
        if status >= 500:
            session.execute(delete(IdempotencyRecord).where(*where))
        else:
            session.execute(
                update(IdempotencyRecord)
                .where(*where)
                .values(status_code=status, headers=headers, body=body)
            )
        session.commit()


async def idempotent(request: Request, caller: Caller, database: Database, send: Any) -> Response:
    """Run `send()` (which forwards the request) at most once per key."""
    key = request.headers[HEADER]
    if not valid_key(key):
        return problem(
            400,
            "Bad Request",
            "An Idempotency-Key is 1 to 255 printable ASCII characters.",
            instance=request.url.path,
        )
    body = await request.body()
    digest = request_digest(request.method, request.url.path, request.url.query, body)
    existing = await run_in_threadpool(_claim, database, caller, key, digest)
    if existing is not None:
        if existing.request_hash != digest:
            return problem(
                422,
                "Unprocessable Content",
                "This Idempotency-Key was already used for a different request.",
                instance=request.url.path,
            )
        if existing.status_code is None:
            return problem(
                409,
                "Conflict",
                "A request with this Idempotency-Key is still being processed. Try again shortly.",
                instance=request.url.path,
                headers={"Retry-After": "1"},
            )
        replay = Response(content=existing.body or b"", status_code=existing.status_code)
        replay.raw_headers = [
            (name.encode("latin-1"), value.encode("latin-1"))
            for name, value in existing.headers or []
        ] + [(b"idempotent-replayed", b"true")]
        return replay
    try:
        response: Response = await send()
        if isinstance(response, StreamingResponse):
            chunks = [chunk async for chunk in response.body_iterator]
            if response.background is not None:
                await response.background()
        else:  # the gateway's own answer, e.g. a 502 problem
            chunks = [bytes(response.body)]
    except BaseException:
        await run_in_threadpool(_finish, database, caller, key, 500, [], b"")
        raise
    content = b"".join(c.encode() if isinstance(c, str) else bytes(c) for c in chunks)
    headers = [
        [name.decode("latin-1"), value.decode("latin-1")]
        for name, value in response.raw_headers
        if name.lower() not in (b"content-length", b"x-request-id")
    ]
    await run_in_threadpool(_finish, database, caller, key, response.status_code, headers, content)
    return _response(response.status_code, headers, content)


def _response(status: int, headers: list[list[str]], body: bytes) -> Response:
    response = Response(content=body, status_code=status)
    response.raw_headers = [
        (name.encode("latin-1"), value.encode("latin-1")) for name, value in headers
    ]
    response.headers["content-length"] = str(len(body))
    return response
