"""Use cases of benefits worked by formula (keyword-only; flush, never commit)."""

import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from common import crud
from common.errors import FieldError, NotFound
from services.finance.benefits import rules
from services.finance.benefits.models import BenefitCalculation, BenefitInput
from services.finance.benefits.schemas import (
    BenefitRead,
    BenefitSet,
    BenefitTotals,
    InputRead,
    MeasureReading,
    OverlapRead,
    TotalRead,
    WorkingRead,
)
from services.finance.savings.models import SavingsLine

MeasureActuals = Callable[[uuid.UUID], list[Decimal] | None]
"""A KPI's actual values, newest period first; None when the kpi service could not say."""


def calculation_of(session: Session, line: SavingsLine) -> BenefitCalculation | None:
    return session.scalar(
        select(BenefitCalculation).where(BenefitCalculation.savings_line_id == line.id)
    )


def check(session: Session, *, line: SavingsLine, data: BenefitSet) -> list[FieldError]:
    """Every problem with a calculation, by field: inputs the method does not have or lacks,
    money in fractions of a penny, a percentage over 100, an unknown overlapping line."""
    errors: list[FieldError] = []
    specs = {spec.name: spec for spec in rules.INPUTS[data.method]}
    for name in data.inputs.keys() - specs.keys():
        errors.append(
            FieldError(f"inputs.{name}", f'The method {data.method.value} has no input "{name}"')
        )
    for name, spec in specs.items():
        given = data.inputs.get(name)
        if given is None:
            errors.append(FieldError(f"inputs.{name}", f"Enter the {spec.label}"))
            continue
        for part in ("planned", "actual"):
            value: Decimal | None = getattr(given, part)
            if value is None:
                continue
            if spec.kind is rules.Kind.MONEY and value != value.quantize(rules.PENNY):
                errors.append(
                    FieldError(
                        f"inputs.{name}.{part}", f"The {spec.label} has fractions of a penny"
                    )
                )
            if spec.kind is rules.Kind.PERCENT and value > 100:
                errors.append(
                    FieldError(f"inputs.{name}.{part}", "A reduction cannot be more than 100%")
                )
    hours = [data.inputs.get(n) for n in ("hours_start", "hours_end")]
    if data.method is rules.Method.HOURS_RATE and all(hours):
        start, end = hours[0], hours[1]
        assert start is not None
        assert end is not None
        if end.planned > start.planned:
            errors.append(
                FieldError("inputs.hours_end.planned", "Hours at end cannot be more than at start")
            )
    if data.overlaps_line_id is not None:
        if data.overlaps_line_id == line.id:
            errors.append(FieldError("overlaps_line_id", "A line cannot overlap itself"))
        elif session.get(SavingsLine, data.overlaps_line_id) is None:
            errors.append(FieldError("overlaps_line_id", "There is no such savings line"))
    return errors


def set_calculation(
    session: Session, *, line: SavingsLine, calculation: BenefitCalculation | None, data: BenefitSet
) -> BenefitCalculation:
    """Create or replace a line's calculation. Each input is its own audited row: a changed
    input is an update of that row, so the trail shows which figure changed, from what to what."""
    crud.fail(check(session, line=line, data=data))
    row = calculation or BenefitCalculation(savings_line_id=line.id)
    crud.save(
        session,
        row,
        {
            "method": data.method.value,
            "stage": data.stage.value,
            "spend_line": data.spend_line if data.method is rules.Method.SPEND_REDUCTION else "",
            "overlaps_line_id": data.overlaps_line_id,
            "overlap_percent": data.overlap_percent,
        },
    )
    existing = {i.name: i for i in row.inputs}
    for name in existing.keys() - data.inputs.keys():
        row.inputs.remove(existing[name])
    for name, given in data.inputs.items():
        item = existing.get(name) or BenefitInput(name=name)
        if name not in existing:
            row.inputs.append(item)
        item.planned = given.planned
        item.actual = given.actual
        item.measure_id = given.measure_id
        item.measure_reading = given.measure_reading.value
    if calculation is not None:
        flag_modified(row, "method")  # a change of inputs alone still moves the line's version
    session.flush()
    return row


def delete_calculation(session: Session, *, calculation: BenefitCalculation) -> None:
    crud.delete(session, calculation)


def _reading(values: list[Decimal], how: str) -> Decimal | None:
    if not values:
        return None
    return values[0] if how == MeasureReading.LATEST.value else sum(values, Decimal(0))


def _actuals(
    calculation: BenefitCalculation, measure_actuals: MeasureActuals, warnings: list[str]
) -> tuple[dict[str, Decimal | None], dict[str, Decimal | None]]:
    """Each input's actual (a linked KPI's reading first, else the figure entered) and the
    KPI's reading alone."""
    actual: dict[str, Decimal | None] = {}
    from_measure: dict[str, Decimal | None] = {}
    for item in calculation.inputs:
        reading = None
        if item.measure_id is not None:
            values = measure_actuals(item.measure_id)
            if values is None:
                warnings.append(
                    f"The KPI linked to {item.name} could not be read, so its entered actual"
                    " is used."
                )
            else:
                reading = _reading(values, item.measure_reading)
        from_measure[item.name] = reading
        actual[item.name] = reading if reading is not None else item.actual
    return actual, from_measure


def _achieved(
    method: rules.Method,
    planned: Mapping[str, Decimal],
    actual: Mapping[str, Decimal | None],
    spend_line: str,
) -> rules.Working | None:
    if all(value is None for value in actual.values()):
        return None
    values = {
        name: (actual.get(name) if actual.get(name) is not None else planned[name])
        for name in planned
    }
    return rules.work_out(method, {k: v for k, v in values.items() if v is not None}, spend_line)


def read(
    session: Session, *, calculation: BenefitCalculation, measure_actuals: MeasureActuals
) -> BenefitRead:
    """A calculation with its planned figure and achieved-to-date, each with its working."""
    line = session.get(SavingsLine, calculation.savings_line_id)
    if line is None:
        raise NotFound("There is no such savings line.")
    overlaps = (
        session.get(SavingsLine, calculation.overlaps_line_id)
        if calculation.overlaps_line_id
        else None
    )
    method = rules.Method(calculation.method)
    specs = {spec.name: spec for spec in rules.INPUTS[method]}
    warnings: list[str] = []
    actual, from_measure = _actuals(calculation, measure_actuals, warnings)
    planned_values = {i.name: i.planned for i in calculation.inputs}
    planned = rules.work_out(method, planned_values, calculation.spend_line)
    achieved = _achieved(method, planned_values, actual, calculation.spend_line)
    inputs = [
        InputRead(
            name=item.name,
            label=specs[item.name].label,
            kind=specs[item.name].kind.value,
            planned=item.planned,
            actual=item.actual,
            measure_id=item.measure_id,
            measure_reading=MeasureReading(item.measure_reading),
            actual_from_measure=from_measure[item.name],
        )
        for item in sorted(calculation.inputs, key=lambda i: list(specs).index(i.name))
    ]
    return BenefitRead(
        id=calculation.id,
        savings_line_id=line.id,
        reference=line.reference,
        method=method,
        stage=rules.Stage(calculation.stage),
        spend_line=calculation.spend_line,
        inputs=inputs,
        overlaps_line_id=calculation.overlaps_line_id,
        overlaps_reference=overlaps.reference if overlaps else None,
        overlap_percent=calculation.overlap_percent,
        planned=WorkingRead(amount=planned.amount, words=planned.words),
        achieved_to_date=WorkingRead(amount=achieved.amount, words=achieved.words)
        if achieved
        else None,
        rounding=rules.ROUNDING_RULE,
        warnings=warnings,
        version=calculation.version,
    )


def _total(result: rules.Total) -> TotalRead:
    return TotalRead(
        gross=result.gross,
        overlap=result.overlap,
        net=result.net,
        notes=[
            OverlapRead(amount=n.amount, reference=n.reference, overlaps=n.overlaps, words=n.words)
            for n in result.notes
        ],
    )


def totals(session: Session, *, measure_actuals: MeasureActuals) -> BenefitTotals:
    """Opportunity, planned and achieved-to-date over every calculation of the organisation:
    three totals, each counting an overlap once, never added together."""
    cache: dict[uuid.UUID, list[Decimal] | None] = {}

    def cached(measure_id: uuid.UUID) -> list[Decimal] | None:
        if measure_id not in cache:
            cache[measure_id] = measure_actuals(measure_id)
        return cache[measure_id]

    opportunity: list[rules.Figure] = []
    planned: list[rules.Figure] = []
    achieved: list[rules.Figure] = []
    warnings: list[str] = []
    calculations = list(session.scalars(select(BenefitCalculation)))
    references = {
        row.id: row.reference
        for row in session.execute(select(SavingsLine.id, SavingsLine.reference))
    }
    for calculation in calculations:
        benefit = read(session, calculation=calculation, measure_actuals=cached)
        warnings.extend(f"{benefit.reference}: {w}" for w in benefit.warnings)
        overlaps = (
            references.get(calculation.overlaps_line_id) if calculation.overlaps_line_id else None
        )

        ref, share = benefit.reference, calculation.overlap_percent
        stage_list = opportunity if benefit.stage is rules.Stage.OPPORTUNITY else planned
        stage_list.append(rules.Figure(ref, benefit.planned.amount, overlaps, share))
        if benefit.achieved_to_date is not None:
            achieved.append(rules.Figure(ref, benefit.achieved_to_date.amount, overlaps, share))
    return BenefitTotals(
        opportunity=_total(rules.total(opportunity)),
        planned=_total(rules.total(planned)),
        achieved=_total(rules.total(achieved)),
        lines=len(calculations),
        warnings=warnings,
    )
