"""Use cases of the KPI service: keyword-only, flush but never commit."""

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.errors import Conflict, NotFound
from common.pagination import PageParams, paginate
from services.kpi.models import Measure
from services.kpi.schemas import MeasureCreate, MeasureUpdate


def list_measures(session: Session, *, page: PageParams) -> tuple[list[Measure], int]:
    """Measures of the caller's organisation, by code."""
    return paginate(session, select(Measure).order_by(Measure.code), page)


def get_measure(session: Session, *, measure_id: uuid.UUID) -> Measure:
    """One measure, or NotFound (also for another organisation's measure)."""
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise NotFound("There is no measure with this id.")
    return measure


def create_measure(session: Session, *, data: MeasureCreate) -> Measure:
    """Add a measure; its code must be new in the organisation."""
    if session.scalar(select(Measure.id).where(Measure.code == data.code)):
        raise Conflict(f'A measure with code "{data.code}" already exists.')
    measure = Measure(**data.model_dump())
    session.add(measure)
    session.flush()
    return measure


def update_measure(session: Session, *, measure: Measure, data: MeasureUpdate) -> Measure:
    """Apply the fields that were sent."""
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(measure, field, value)
    session.flush()
    return measure
