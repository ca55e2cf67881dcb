"""Use cases of the projects service: keyword-only, flush but never commit."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.pagination import PageParams, paginate
from services.projects.models import Priority
from services.projects.schemas import PriorityCreate


def list_priorities(session: Session, *, page: PageParams) -> tuple[list[Priority], int]:
    """The organisation's council plan prioritys."""
    return paginate(session, select(Priority).order_by(Priority.position, Priority.title), page)


def create_priority(session: Session, *, data: PriorityCreate) -> Priority:
    """Add a council plan priority."""
    row = Priority(**data.model_dump())
    session.add(row)
    session.flush()
    return row
