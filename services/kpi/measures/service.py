"""Use cases for measures (keyword-only; flush, no commit)."""

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from common import crud, retiring
from common.errors import Conflict, FieldError, ValidationFailed
from common.pagination import PageParams, paginate
from common.periods import Frequency
from services.kpi.actuals.models import Actual
from services.kpi.measures.models import Measure
from services.kpi.measures.schemas import MeasureCreate, MeasureTarget, MeasureUpdate
from services.kpi.targets.schemas import TargetCreate
from services.kpi.targets.service import create_target

MEASURE_SORTS = {
    "code": Measure.code,
    "title": Measure.title,
    "frequency": Measure.frequency,
    "data_provider": Measure.data_provider,
    "service_area": Measure.service_area,
}


def measure_query(
    *,
    service_area: str | None = None,
    council_plan: bool | None = None,
    frequency: Frequency | None = None,
    data_provider: str | None = None,
    active: bool | None = None,
    search: str | None = None,
    sort: str = "code",
) -> Select[Measure]:
    """Measures matching the filters, in the order asked for ("-title" for descending)."""
    statement = select(Measure)
    if service_area:
        statement = statement.where(Measure.service_area == service_area)
    if council_plan is not None:
        statement = statement.where(Measure.council_plan == council_plan)
    if frequency is not None:
        statement = statement.where(Measure.frequency == frequency.value)
    if data_provider:
        statement = statement.where(Measure.data_provider == data_provider)
    if active is not None:
        statement = statement.where(Measure.active == active)
    if search:
        pattern = f"%{search}%"
        statement = statement.where(Measure.title.ilike(pattern) | Measure.code.ilike(pattern))
    column = MEASURE_SORTS[sort.removeprefix("-")]
    order = column.desc() if sort.startswith("-") else column.asc()
    return statement.order_by(order, Measure.code)


def list_measures(
    session: Session, *, page: PageParams, **filters: Any
) -> tuple[list[Measure], int]:
    """Measures of the caller's organisation, filtered and sorted."""
    return paginate(session, measure_query(**filters), page)


def create_measure(session: Session, *, data: MeasureCreate) -> Measure:
    """Add a measure; its code must be new in the organisation."""
    if session.scalar(select(Measure.id).where(Measure.code == data.code)):
        raise Conflict(f'A measure with code "{data.code}" already exists.')
    measure = Measure()
    retiring.set_retired(measure, not data.active)
    crud.save(session, measure, data.model_dump(exclude={"targets"}))
    _add_targets(session, measure, data.targets)
    return measure


def _add_targets(session: Session, measure: Measure, targets: list[MeasureTarget]) -> None:
    """A new measure's targets, each checked as a target of its own; every problem is reported
    on its place in `targets`, all at once."""
    errors: list[FieldError] = []
    for i, target in enumerate(targets):
        if any(t.financial_year == target.financial_year for t in targets[:i]):
            message = f"Give {target.financial_year} one target only"
            errors.append(FieldError(f"targets.{i}.financial_year", message))
            continue
        try:
            create_target(session, data=TargetCreate(measure_id=measure.id, **target.model_dump()))
        except ValidationFailed as failed:
            errors += [FieldError(f"targets.{i}.{e['field']}", e["message"]) for e in failed.errors]
    crud.fail(errors)


def update_measure(session: Session, *, measure: Measure, data: MeasureUpdate) -> Measure:
    """Apply the fields that were sent."""
    changes = data.model_dump(exclude_unset=True)
    code = changes.get("code", measure.code)
    if code != measure.code and session.scalar(select(Measure.id).where(Measure.code == code)):
        raise Conflict(f'A measure with code "{code}" already exists.')
    new_frequency = changes.get("frequency", measure.frequency)
    has_actuals = select(Actual.id).where(Actual.measure_id == measure.id).limit(1)
    if new_frequency != measure.frequency and session.scalar(has_actuals):
        raise ValidationFailed(
            "This measure already has actuals.",
            errors=[
                FieldError(
                    "frequency",
                    "The frequency cannot change once actuals are recorded; retire this "
                    "measure and add a new one instead",
                )
            ],
        )
    if changes.get("active") is not None:
        set_retired(measure, not changes["active"])
    return crud.save(session, measure, changes)


def set_retired(measure: Measure, retired: bool) -> None:
    """A measure is retired when it is no longer reported (`active` is false)."""
    retiring.set_retired(measure, retired)
    measure.active = not retired


def delete_measure(session: Session, *, measure: Measure) -> None:
    """Remove a measure that has no actuals; one with history is retired instead."""
    if session.scalar(select(Actual.id).where(Actual.measure_id == measure.id).limit(1)):
        raise Conflict("This measure has actuals: retire it (active = false) instead.")
    crud.delete(session, measure)
