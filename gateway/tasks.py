"""`GET /api/v1/me/tasks`: the caller's tasks, each service answering for its own items.

The gateway asks the three services in turn (three small reads), with the caller's identity, and
puts the answers together; a service that does not answer is named, so the page can say which
items are missing.
"""

import logging
from typing import TypeVar

import httpx
from fastapi import APIRouter, Request
from pydantic import BaseModel, TypeAdapter, ValidationError

from common.identity import IDENTITY_HEADER, Caller, sign_identity
from common.logs import REQUEST_ID_HEADER, request_id_var
from common.pagination import Page
from common.settings import SERVICES, Settings
from common.tasks import TaskItem, ordered

M = TypeVar("M", bound=BaseModel)

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1", tags=["identity"])
_PAGE = TypeAdapter(Page[TaskItem])
_LIMIT = 500


class MyTasks(BaseModel):
    items: list[TaskItem]
    """Overdue first, then soonest due."""
    unavailable: list[str]
    """Services that did not answer: their items are missing from `items`."""


async def ask_service(
    caller: Caller,
    settings: Settings,
    upstreams: dict[str, httpx.AsyncClient],
    service: str,
    path: str,
    params: dict[str, str | int] | None = None,
) -> bytes | None:
    """One read of a service on the caller's behalf, straight to it; None when it does not
    answer (the caller is told which, never shown an error for the whole page)."""
    token = sign_identity(
        caller.model_copy(update={"csrf": None}),
        settings.identity_signing_key.get_secret_value(),
        audience=service,
        ttl_seconds=settings.identity_token_ttl_seconds,
    )
    headers = {IDENTITY_HEADER: token, REQUEST_ID_HEADER: request_id_var.get() or ""}
    try:
        response = await upstreams[service].get(path, headers=headers, params=params)
        response.raise_for_status()
    except httpx.HTTPError:
        log.warning("service unavailable", extra={"upstream": service, "path": path})
        return None
    return response.content


async def every_item(
    caller: Caller,
    settings: Settings,
    upstreams: dict[str, httpx.AsyncClient],
    service: str,
    path: str,
    pages: TypeAdapter[Page[M]],
    **params: str,
) -> list[M] | None:
    """Every item of a service's list, page by page, on the caller's behalf; None when the
    service does not answer or answers something that is not a page of them."""
    found: list[M] = []
    while True:
        wanted: dict[str, str | int] = {**params, "limit": _LIMIT, "offset": len(found)}
        content = await ask_service(caller, settings, upstreams, service, path, wanted)
        try:
            page = None if content is None else pages.validate_json(content)
        except ValidationError:
            log.warning("not a page", extra={"upstream": service, "path": path})
            page = None
        if page is None:
            return None
        found.extend(page.items)
        if not page.items or len(found) >= page.total:
            return found


async def tasks_of(
    caller: Caller, settings: Settings, upstreams: dict[str, httpx.AsyncClient]
) -> MyTasks:
    """Ask every service for the caller's tasks."""

    async def ask(service: str) -> list[TaskItem] | None:
        return await every_item(caller, settings, upstreams, service, "/tasks", _PAGE)

    answers = [await ask(service) for service in SERVICES]
    items = [item for answer in answers if answer for item in answer]
    down = [service for service, answer in zip(SERVICES, answers, strict=True) if answer is None]
    return MyTasks(items=ordered(items), unavailable=down)


@router.get("/me/tasks", response_model=MyTasks)
async def my_tasks(request: Request) -> MyTasks:
    """What is the caller's to do: figures due from their team and waiting for their approval,
    savings returns, milestones and improvement actions due within 30 days or overdue, and this
    month's highlight reports. Each item links to the form that clears it."""
    caller: Caller = request.state.caller
    return await tasks_of(caller, request.app.state.settings, request.app.state.upstreams)
