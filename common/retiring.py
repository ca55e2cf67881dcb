"""Retiring a record instead of removing it: the same state and the same two operations for every
kind of record that can leave the plan (a priority, a KPI, a budget line…).

A retired record keeps its history and everything the audit trail says about it; lists and
trackers leave it out unless asked (`include_retired=true`), and `POST …/{id}/retire` and
`POST …/{id}/restore` (with If-Match) move it out of the plan and back.

    retiring.add_routes(router, Priority, PriorityRead, what="priority", id_name="priority_id")
    statement = retiring.in_use(select(Priority), Priority, include_retired)
"""

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, computed_field
from sqlalchemy import DateTime, Select
from sqlalchemy.orm import Mapped, Session, mapped_column

from common import crud
from common.concurrency import set_etag
from common.db import SessionDep
from common.identity import Caller, CallerDep

R = TypeVar("R", bound=BaseModel)
S = TypeVar("S", bound=Select[Any])

IncludeRetired = Annotated[
    bool, Query(description="Also list retired records (left out unless true).")
]


class RetiredMixin:
    """`retired_at` is when the record left the plan; None while it is in use."""

    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


class RetiredRead(BaseModel):
    """What every retirable record's read shape says about it."""

    retired_at: datetime | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def retired(self) -> bool:
        """True once the record has left the plan: shown as "Retired"."""
        return self.retired_at is not None


def in_use(statement: S, model: Any, include_retired: bool) -> S:
    """`statement` without retired rows, unless they are asked for."""
    if include_retired:
        return statement
    return statement.where(model.retired_at.is_(None))


def set_retired(row: Any, retired: bool) -> None:
    """Retire `row` (keeping the first time it was retired) or bring it back."""
    if retired and row.retired_at is None:
        row.retired_at = datetime.now(UTC)
    elif not retired:
        row.retired_at = None


def add_routes(
    router: APIRouter,
    model: type[Any],
    read: type[R],
    *,
    what: str,
    id_name: str,
    prefix: str = "",
    may_change: Callable[[Caller, Any], None] = lambda caller, row: None,
    respond: Callable[[Session, Any], R] | None = None,
    change: Callable[[Any, bool], None] = set_retired,
    dependencies: Sequence[Any] = (),
) -> None:
    """`POST {prefix}/{id}/retire` and `…/restore` on `router`, for records of `model`.

    `may_change` raises Forbidden for a caller who may not change this row (a project's lead
    team's rule); `respond` shapes the answer when the read shape needs more than the row;
    `change` sets the state (a KPI keeps it as `active`)."""

    def operation(retired: bool) -> Callable[..., R]:
        def endpoint(
            session: SessionDep,
            caller: CallerDep,
            row_id: Annotated[uuid.UUID, Path(alias=id_name)],
            request: Request,
            response: Response,
        ) -> R:
            row = crud.get_or_404(session, model, row_id, what)
            may_change(caller, row)
            crud.check_version(request, row)
            change(row, retired)
            session.flush()
            set_etag(response, row.version)
            return respond(session, row) if respond is not None else read.model_validate(row)

        verb = "retire" if retired else "restore"
        endpoint.__name__ = f"{verb}_{what.replace(' ', '_')}"
        endpoint.__doc__ = (
            f"Retire a {what}: it leaves lists and trackers but keeps its history. Requires "
            "If-Match (412 when stale)."
            if retired
            else f"Bring a retired {what} back into the plan. Requires If-Match (412 when stale)."
        )
        return endpoint

    for retired in (True, False):
        verb = "retire" if retired else "restore"
        router.add_api_route(
            f"{prefix}/{{{id_name}}}/{verb}",
            operation(retired),
            methods=["POST"],
            response_model=read,
            dependencies=list(dependencies),
        )
