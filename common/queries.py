"""Query steps the services' use cases share: a list's optional filters, refusing a record that
is there already, and finding the row a request body names.

    statement = queries.where_given(statement, (Target.measure_id, measure_id))
    queries.refuse_existing(session, Target, data, {"measure_id", "financial_year"}, summary, error)
    measure = queries.get_or_422(session, Measure, data.measure_id, "measure")
"""

import uuid
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select, select
from sqlalchemy.orm import QueryableAttribute, Session

from common.errors import FieldError, ValidationFailed

M = TypeVar("M")
S = TypeVar("S", bound=Select[Any])


def where_given(statement: S, *filters: tuple[QueryableAttribute[Any], object]) -> S:
    """Keep the rows whose column equals the value, for each filter that was given: a value
    left out (None) or sent empty ("") filters nothing."""
    for column, value in filters:
        if value is not None and value != "":
            statement = statement.where(column == value)
    return statement


def refuse_existing(
    session: Session,
    model: Any,
    data: BaseModel,
    same: set[str],
    summary: str,
    error: FieldError,
) -> None:
    """A 422 with `error` on its field when a row of `model` has the values `data` gives for
    the fields `same` (one population per area, age band and year)."""
    if session.scalar(select(model.id).filter_by(**data.model_dump(include=same))):
        raise ValidationFailed(summary, errors=[error])


def get_or_422(session: Session, model: type[M], row_id: uuid.UUID, what: str) -> M:
    """The row a request body names in `<what>_id`, or a 422 on that field (also for another
    organisation's row)."""
    row = session.get(model, row_id)
    if row is None:
        raise ValidationFailed(
            f"Unknown {what}.", errors=[FieldError(f"{what}_id", f"There is no such {what}")]
        )
    return row
