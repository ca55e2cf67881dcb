"""What every resource's router and service share: list, get, ETag, If-Match and saving a change.

Each resource keeps its own rules in its own service; this module only holds the steps that are
the same for all of them, so a router reads as "find it, check the version, call the service".

    row = crud.get_or_404(session, Population, population_id, "population figure")
    crud.check_version(request, row)
    row = service.update_population(session, population=row, data=data)
    return crud.one(response, row, PopulationRead)
"""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeVar

from fastapi import Request, Response
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from common.concurrency import require_if_match, set_etag
from common.errors import FieldError, NotFound, ValidationFailed
from common.pagination import Page, PageParams


class Versioned(Protocol):
    version: int


M = TypeVar("M")
R = TypeVar("R", bound=BaseModel)
T = TypeVar("T")


def get_or_404(session: Session, model: type[M], row_id: uuid.UUID, what: str) -> M:
    """One row of the caller's organisation, or NotFound (also for another organisation's row)."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"There is no {what} with this id.")
    return row


def check_version(request: Request, row: Versioned) -> None:
    """Refuse a change that names no version (428) or a stale one (412)."""
    require_if_match(request, row.version)


def one(response: Response, row: Any, read: type[R]) -> R:
    """The response for one record: its read shape, with its version as the ETag."""
    set_etag(response, row.version)
    return read.model_validate(row)


def page_of(items: Sequence[T], total: int, page: PageParams) -> Page[T]:
    """A page of items already in their response shape."""
    return Page(items=list(items), total=total, limit=page.limit, offset=page.offset)


def page_from(items: Sequence[T], params: PageParams) -> Page[T]:
    """A page of a short list built whole (a line's forecasts, a caller's tasks): the same
    envelope as a list read page by page from the database."""
    return page_of(items[params.offset : params.offset + params.limit], len(items), params)


def page(rows: Iterable[Any], total: int, params: PageParams, read: type[R]) -> Page[R]:
    """A page of rows, each validated into its read shape."""
    return page_of([read.model_validate(row) for row in rows], total, params)


def fail(errors: Sequence[FieldError]) -> None:
    """Refuse the request with every field's problem, if there are any."""
    if errors:
        detail = "; ".join(e["message"] for e in errors[:5])
        raise ValidationFailed(detail, errors=errors)


def missing(
    session: Session, model: Any, ids: Iterable[uuid.UUID], field: str, what: str
) -> list[FieldError]:
    """Field errors for ids that are not rows of the caller's organisation."""
    wanted = list(ids)
    if not wanted:
        return []
    column = model.__table__.c.id
    found = set(session.scalars(select(column).where(column.in_(wanted))))
    return [
        FieldError(f"{field}.{i}", f"There is no {what} with id {value} in your organisation")
        for i, value in enumerate(wanted)
        if value not in found
    ]


def updates(model: Any, data: BaseModel) -> dict[str, Any]:
    """The fields an update sent; a null for a column that must have a value is refused."""
    values = data.model_dump(exclude_unset=True)
    columns = model.__table__.columns
    fail(
        [
            FieldError(field, "This cannot be empty; leave it out to keep its current value")
            for field, value in values.items()
            if value is None and field in columns and not columns[field].nullable
        ]
    )
    return values


def save(session: Session, row: M, values: dict[str, Any]) -> M:
    """Apply `values` to `row` (new or existing) and flush, so ids and versions are set."""
    for field, value in values.items():
        setattr(row, field, value)
    session.add(row)
    session.flush()
    return row


def delete(session: Session, row: Any) -> None:
    session.delete(row)
    session.flush()
