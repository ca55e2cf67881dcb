"""Use cases for targets (keyword-only; flush, no commit)."""

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import crud, queries
from common.errors import FieldError, ValidationFailed
from common.pagination import PageParams, paginate
from common.periods import Frequency
from services.kpi.measures.models import Measure
from services.kpi.targets.models import Target
from services.kpi.targets.schemas import TargetCreate, TargetUpdate


def _check_profile(measure: Measure, profile: list[Decimal] | None) -> None:
    if profile is None:
        return
    expected = Frequency(measure.frequency).periods_per_year
    if len(profile) != expected:
        raise ValidationFailed(
            "The profile does not fit the measure's frequency.",
            errors=[
                FieldError(
                    "profile",
                    f"A {measure.frequency} measure needs {expected} profile figures, one per "
                    f"period; {len(profile)} were sent",
                )
            ],
        )


def list_targets(
    session: Session,
    *,
    page: PageParams,
    measure_id: uuid.UUID | None = None,
    financial_year: str | None = None,
) -> tuple[list[Target], int]:
    statement = select(Target).order_by(Target.financial_year, Target.id)
    statement = queries.where_given(
        statement, (Target.measure_id, measure_id), (Target.financial_year, financial_year)
    )
    return paginate(session, statement, page)


def create_target(session: Session, *, data: TargetCreate) -> Target:
    """Set a measure's target for a year; one per measure per year."""
    measure = queries.get_or_422(session, Measure, data.measure_id, "measure")
    _check_profile(measure, data.profile)
    queries.refuse_existing(
        session,
        Target,
        data,
        {"measure_id", "financial_year"},
        "This measure already has a target for that year.",
        FieldError(
            "financial_year",
            f"There is already a target for {data.financial_year}; change that one",
        ),
    )
    values = data.model_dump()
    values["profile"] = _profile_json(data.profile)
    return crud.save(session, Target(), values)


def _profile_json(profile: list[Decimal] | None) -> list[str] | None:
    return None if profile is None else [str(v) for v in profile]


def update_target(session: Session, *, target: Target, data: TargetUpdate) -> Target:
    changes = data.model_dump(exclude_unset=True)
    if "profile" in changes:
        _check_profile(
            crud.get_or_404(session, Measure, target.measure_id, "measure"), data.profile
        )
        changes["profile"] = _profile_json(data.profile)
    return crud.save(session, target, changes)


def delete_target(session: Session, *, target: Target) -> None:
    crud.delete(session, target)
