"""What every sub-domain's service and router share: finding, checking and saving rows.

Rules that span fields or records are checked on the record as it would be after the change, so
that a partial update cannot sneak past them; every problem is reported by field at once.
"""

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from common.errors import FieldError, NotFound, ValidationFailed
from common.pagination import Page, PageParams
from services.projects.base import Base

M = TypeVar("M", bound=Base)
T = TypeVar("T")
NO_NUL = r"^[^\x00]*$"
"""A query-parameter pattern: PostgreSQL text cannot hold NUL, so it is refused as bad input."""


def today() -> date:
    return date.today()


def page_of(items: Sequence[T], total: int, page: PageParams) -> Page[T]:
    return Page(items=list(items), total=total, limit=page.limit, offset=page.offset)


def get_row(session: Session, model: type[M], row_id: uuid.UUID, what: str) -> M:
    """One row of the caller's organisation, or NotFound (also for another organisation's row)."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"There is no {what} with this id.")
    return row


def fail(errors: Sequence[FieldError]) -> None:
    """Refuse the request with every field's problem, if there are any."""
    if errors:
        detail = "; ".join(e["message"] for e in errors[:5])
        raise ValidationFailed(detail, errors=errors)


def missing(
    session: Session, model: type[Base], ids: Iterable[uuid.UUID], field: str, what: str
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


def project_must_exist(session: Session, project_id: uuid.UUID) -> list[FieldError]:
    """Milestones, reports and RAID items belong to one of the caller's projects."""
    from services.projects.portfolio.models import Project

    if session.get(Project, project_id) is None:
        return [FieldError("project_id", "There is no project with this id in your organisation")]
    return []


def save(session: Session, row: M, values: dict[str, Any]) -> M:
    for field, value in values.items():
        setattr(row, field, value)
    session.add(row)
    session.flush()
    return row


def delete_row(session: Session, row: Base) -> None:
    session.delete(row)
    session.flush()


def updates(model: type[Base], data: BaseModel) -> dict[str, Any]:
    """The fields an update sent; a null for a column that must have a value is refused."""
    values = data.model_dump(exclude_unset=True)
    columns = model.__table__.columns
    fail(
        [
            FieldError(field, "This cannot be empty; leave it out to keep its current value")
            for field, value in values.items()
            if value is None and not columns[field].nullable
        ]
    )
    return values
