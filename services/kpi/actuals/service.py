"""Use cases for actuals: entry, correction, the approval workflow and bulk submission.

An actual is one row per measure and period holding the revision being worked on and the figure
reported (the latest approved). Every change appends an `ActualRevision` with who and when, so a
correction never destroys an earlier figure.
"""

import csv
import io
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common import crud, queries
from common.audit import declare_no_change
from common.errors import Conflict, FieldError, ValidationFailed
from common.identity import Caller
from common.pagination import PageParams, paginate
from common.periods import Frequency, Period
from services.kpi.actuals.models import Actual, ActualRevision
from services.kpi.actuals.rules import (
    SUBMITTABLE,
    Figures,
    LateChange,
    check_may_approve,
    check_may_enter,
    check_period_open,
    mark_approved,
    mark_corrected,
    mark_submitted,
    unchanged,
)
from services.kpi.actuals.schemas import ActualCreate, ActualUpdate, BulkRow
from services.kpi.measures.models import Measure
from services.kpi.measures.rules import Unit, derive_value
from services.kpi.populations.service import population_for
from services.kpi.scorecard.rules import Rag
from services.kpi.scorecard.service import status_for
from services.kpi.targets.models import Target

CSV_COLUMNS = ("measure_code", "period", "value", "numerator", "denominator", "commentary")


def check_figures(
    session: Session,
    measure: Measure,
    *,
    period: str,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    today: date,
    prefix: str = "",
    populations: dict[tuple[str, str, str], Decimal | None] | None = None,
) -> Figures:
    """The period and value an entry stands for, or every reason it cannot be stored.

    `populations` remembers the populations looked up, for callers checking many rows."""
    errors: list[FieldError] = []

    def fail(field: str, message: str) -> None:
        errors.append(FieldError(prefix + field, message))

    parsed: Period | None = None
    frequency = Frequency(measure.frequency)
    try:
        parsed = Period.parse(period)
    except ValueError as error:
        fail("period", str(error))
    if parsed is not None and parsed.frequency is not frequency:
        fail("period", f"{measure.code} is reported {frequency.value}; {_example(frequency)}")
        parsed = None
    if parsed is not None and parsed.is_future(today):
        fail("period", f"{parsed.label} has not started yet, so it cannot have an actual")
        parsed = None
    if parsed is not None and parsed.end >= today:  # December is entered from 1 January
        fail(
            "period",
            f"{parsed.label} has not ended yet: enter its figure from "
            f"{parsed.end + timedelta(days=1):%-d %B %Y}",
        )
        parsed = None

    unit = Unit(measure.unit)
    derived: Decimal | None = value
    if not unit.made_of_parts and (numerator is not None or denominator is not None):
        field = "numerator" if numerator is not None else "denominator"
        fail(
            field,
            f"{measure.code} is a {unit.noun}: enter the figure itself as the value, "
            "not a numerator and denominator",
        )
        numerator = denominator = None
        if value is None:
            derived = None
    elif value is not None and (numerator is not None or denominator is not None):
        fail("value", "Enter either a value or a numerator and denominator, not both")
    elif value is None and numerator is None:
        fail("value", "Enter a value, or a numerator and denominator")
    elif value is None and numerator is not None:
        if denominator is None and parsed is not None:
            denominator = _population_denominator(session, measure, parsed, populations)
        if denominator is None:
            fail("denominator", "Enter the denominator as well as the numerator")
        elif denominator == 0:
            fail("denominator", "The denominator cannot be 0")
        elif denominator < 0:
            fail("denominator", "The denominator cannot be negative")
        else:
            derived = derive_value(numerator, denominator, unit)
    elif value is None:
        fail("numerator", "Enter the numerator as well as the denominator")
    if derived is not None and unit is Unit.PERCENT and not 0 <= derived <= 100:
        field = "value" if value is not None else "numerator"
        fail(field, "A percentage must be between 0 and 100")
    if derived is not None and derived < 0 and unit is not Unit.GBP:
        fail("value", "This figure cannot be negative")
    if errors or parsed is None or derived is None:
        raise ValidationFailed("The actual is not valid.", errors=errors)
    return Figures(parsed, derived, numerator, denominator)


def _example(frequency: Frequency) -> str:
    return {
        Frequency.MONTHLY: 'write a month like "2025-04"',
        Frequency.QUARTERLY: 'write a quarter like "2025/26 Q1"',
        Frequency.ANNUAL: 'write a financial year like "2025/26"',
    }[frequency]


def _population_denominator(
    session: Session,
    measure: Measure,
    period: Period,
    known: dict[tuple[str, str, str], Decimal | None] | None = None,
) -> Decimal | None:
    """A rate per 100,000 may be sent as a count: the population is the denominator."""
    if Unit(measure.unit) is not Unit.RATE_PER_100K:
        return None
    if not (measure.population_area and measure.population_age_band):
        return None
    key = (measure.population_area, measure.population_age_band, period.year.label)
    if known is not None and key in known:
        return known[key]
    population = population_for(session, area=key[0], age_band=key[1], financial_year=key[2])
    found = Decimal(population.population) if population else None
    if known is not None:
        known[key] = found
    return found


def _duplicate(measure: Measure, period: Period, prefix: str = "") -> ValidationFailed:
    return ValidationFailed(
        "There is already an actual for this period.",
        errors=[
            FieldError(
                prefix + "period",
                f"{measure.code} already has an actual for {period.label}; correct that one "
                "instead",
            )
        ],
    )


def _record(
    session: Session,
    actual: Actual,
    *,
    action: str,
    caller: Caller,
    reason: str = "",
    self_approved: bool = False,
    late: LateChange | None = None,
) -> int:
    number = (
        session.scalar(
            select(func.max(ActualRevision.number)).where(ActualRevision.actual_id == actual.id)
        )
        or 0
    ) + 1
    row = revision_row(
        actual,
        number=number,
        action=action,
        caller=caller,
        reason=late.reason if late else reason,
        self_approved=self_approved,
    )
    session.add(ActualRevision(**row, closed_period_role=late.role.value if late else None))
    session.flush()
    return number


def revision_row(
    actual: Actual,
    *,
    number: int,
    action: str,
    caller: Caller,
    reason: str = "",
    self_approved: bool = False,
) -> dict[str, Any]:
    """Revision `number` of an actual, as the caller's `action` leaves it: its status and figures
    as they now are, the `reason` given, and whether whoever entered the figures approved them."""
    return {
        "actual_id": actual.id,
        "number": number,
        "action": action,
        "status": actual.status,
        "value": actual.value,
        "numerator": actual.numerator,
        "denominator": actual.denominator,
        "commentary": actual.commentary,
        "reason": reason,
        "changed_by": caller.user_id,
        "self_approved": self_approved,
    }


def list_actuals(
    session: Session,
    *,
    page: PageParams,
    measure_id: uuid.UUID | None = None,
    period: str | None = None,
    status: str | None = None,
    data_provider: str | None = None,
) -> tuple[list[Actual], int]:
    statement = select(Actual).order_by(Actual.period_start.desc(), Actual.measure_id)
    if measure_id:
        statement = statement.where(Actual.measure_id == measure_id)
    if period:
        statement = statement.where(Actual.period == period)
    if status:
        statement = statement.where(Actual.status == status)
    if data_provider:
        statement = statement.join(Measure, Measure.id == Actual.measure_id).where(
            Measure.data_provider == data_provider
        )
    return paginate(session, statement, page)


def revisions(session: Session, *, actual: Actual) -> list[ActualRevision]:
    """Every state the actual has been in, oldest first."""
    return list(
        session.scalars(
            select(ActualRevision)
            .where(ActualRevision.actual_id == actual.id)
            .order_by(ActualRevision.number)
        )
    )


def check_sent_figures(
    session: Session,
    measure: Measure,
    sent: ActualCreate | BulkRow,
    *,
    today: date,
    prefix: str = "",
) -> Figures:
    """`check_figures` for a figure as it was sent: a new actual, or a row of a bulk entry."""
    figures = sent.model_dump(include={"period", "value", "numerator", "denominator"})
    return check_figures(session, measure, **figures, today=today, prefix=prefix)


def create_actual(
    session: Session, *, data: ActualCreate, caller: Caller, today: date | None = None
) -> Actual:
    """Record a draft figure for a period that has none yet."""
    measure = queries.get_or_422(session, Measure, data.measure_id, "measure")
    check_may_enter(caller, measure)
    figures = check_sent_figures(session, measure, data, today=today or date.today())
    late = check_period_open(caller, figures.period, data.reason, today or date.today())
    existing = select(Actual.id).where(
        Actual.measure_id == measure.id, Actual.period == figures.period.code
    )
    if session.scalar(existing):
        raise _duplicate(measure, figures.period)
    return _store_new(session, measure, figures, data.commentary, caller, late)


def _store_new(
    session: Session,
    measure: Measure,
    figures: Figures,
    commentary: str,
    caller: Caller,
    late: LateChange | None = None,
) -> Actual:
    actual = new_actual(measure, figures, commentary)
    session.add(actual)
    session.flush()
    _record(session, actual, action="created", caller=caller, late=late)
    return actual


def _store_correction(
    session: Session,
    actual: Actual,
    *,
    figures: Figures | None,
    commentary: str | None,
    caller: Caller,
    late: LateChange | None = None,
) -> None:
    """A new revision of the figures and commentary sent; the actual is a draft again."""
    if figures is not None:
        actual.value, actual.numerator, actual.denominator = (
            figures.value,
            figures.numerator,
            figures.denominator,
        )
    if commentary is not None:
        actual.commentary = commentary
    mark_corrected(actual)
    session.flush()
    _record(session, actual, action="corrected", caller=caller, late=late)


def new_actual(measure: Measure, figures: Figures, commentary: str) -> Actual:
    return Actual(
        measure_id=measure.id,
        period=figures.period.code,
        period_start=figures.period.start,
        status="draft",
        value=figures.value,
        numerator=figures.numerator,
        denominator=figures.denominator,
        commentary=commentary,
    )


def update_actual(
    session: Session,
    *,
    actual: Actual,
    data: ActualUpdate,
    caller: Caller,
    today: date | None = None,
) -> Actual:
    """Correct the figure or commentary; the actual goes back to draft, the reported figure stays
    until the correction is approved."""
    changes = data.model_dump(exclude_unset=True)
    measure = crud.get_or_404(session, Measure, actual.measure_id, "measure")
    check_may_enter(caller, measure)
    late = check_period_open(
        caller, Period.parse(actual.period), data.reason, today or date.today()
    )
    figures: Figures | None = None
    if {"value", "numerator", "denominator"} & changes.keys():
        value = changes.get("value")
        numerator = changes.get("numerator")
        denominator = changes.get("denominator")
        figures = check_figures(
            session,
            measure,
            period=actual.period,
            value=value,
            numerator=numerator,
            denominator=denominator,
            today=today or date.today(),
        )
    _store_correction(
        session, actual, figures=figures, commentary=data.commentary, caller=caller, late=late
    )
    return actual


def rag_if_reported(session: Session, measure: Measure, period: Period, value: Decimal) -> Rag:
    """The RAG a figure would give its measure if it were the one reported for `period`,
    against the year's other approved figures (a cumulative measure is judged year to date)."""
    targets = {
        t.financial_year: t
        for t in session.scalars(
            select(Target).where(
                Target.measure_id == measure.id, Target.financial_year == period.year.label
            )
        )
    }
    rows = session.execute(
        select(Actual.period, Actual.approved_value).where(
            Actual.measure_id == measure.id,
            Actual.approved_value.is_not(None),
            Actual.period_start >= period.year.start,
            Actual.period_start <= period.year.end,
        )
    )
    reported = {code: approved for code, approved in rows if approved is not None}
    reported[period.code] = value
    return status_for(measure, period, targets, reported).rag


def check_commentary(
    session: Session,
    measure: Measure,
    *,
    period: Period,
    value: Decimal,
    commentary: str,
    prefix: str = "",
) -> None:
    """A Red or Amber figure is sent for approval only with commentary saying why, and what is
    being done: members read it in the report's exceptions."""
    if commentary.strip():
        return
    status = rag_if_reported(session, measure, period, value)
    if status in (Rag.RED, Rag.AMBER):
        word = "off track (Red)" if status is Rag.RED else "at risk (Amber)"
        raise ValidationFailed(
            "A Red or Amber figure needs commentary.",
            errors=[
                FieldError(
                    prefix + "commentary",
                    f"This figure is {word}: say why, and what is being done about it",
                )
            ],
        )


def submit_actual(session: Session, *, actual: Actual, caller: Caller) -> Actual:
    """Send a draft (or a returned figure) for approval; a Red or Amber one needs commentary."""
    measure = crud.get_or_404(session, Measure, actual.measure_id, "measure")
    check_may_enter(caller, measure)
    if actual.status in SUBMITTABLE:
        check_commentary(
            session,
            measure,
            period=Period.parse(actual.period),
            value=actual.value,
            commentary=actual.commentary,
        )
    mark_submitted(actual)
    session.flush()
    _record(session, actual, action="submitted", caller=caller)
    return actual


def approve_actual(session: Session, *, actual: Actual, caller: Caller) -> Actual:
    """Accept a submitted figure: from now on it is the one reported. Its submitter may not,
    unless the council allows one-person teams to (then the approval is marked self-approved)."""
    mark_approved(actual)
    self_approved = check_may_approve(caller, submitter(session, actual.id))
    session.flush()
    actual.approved_revision = _record(
        session, actual, action="approved", caller=caller, self_approved=self_approved
    )
    session.flush()
    return actual


def submitter(session: Session, actual_id: uuid.UUID) -> str | None:
    """Who last sent this actual for approval."""
    return session.scalar(
        select(ActualRevision.changed_by)
        .where(ActualRevision.actual_id == actual_id, ActualRevision.action == "submitted")
        .order_by(ActualRevision.number.desc())
        .limit(1)
    )


def return_actual(session: Session, *, actual: Actual, reason: str, caller: Caller) -> Actual:
    """Send a submitted figure back to its provider, saying why."""
    if actual.status != "submitted":
        raise Conflict(f"This actual is {actual.status}; only a submitted one can be returned.")
    actual.status = "returned"
    actual.return_reason = reason
    session.flush()
    _record(session, actual, action="returned", caller=caller, reason=reason)
    return actual


# Bulk -------------------------------------------------------------------------------------------


def rows_from_csv(text: str, *, field: str = "file") -> list[dict[str, Any]]:
    """Rows of a CSV upload with the columns of `CSV_COLUMNS` (a measure_id column also works);
    a problem with the header is reported against `field`."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    known = {*CSV_COLUMNS, "measure_id", "version"}
    unknown = [name for name in reader.fieldnames or [] if name not in known]
    if not reader.fieldnames or unknown:
        raise ValidationFailed(
            "The CSV header is not recognised.",
            errors=[
                FieldError(
                    field,
                    "The first line must name the columns: "
                    + ", ".join(CSV_COLUMNS)
                    + (f" (not {', '.join(unknown)})" if unknown else ""),
                )
            ],
        )
    return [{k: v for k, v in row.items() if k and v not in (None, "")} for row in reader]


def bulk_submit(
    session: Session,
    *,
    raw_rows: list[Any],
    submit: bool,
    caller: Caller,
    today: date | None = None,
) -> tuple[list[Actual], int, int]:
    """Store every row or none: new actuals are created, existing ones corrected (with the
    version that was read). Returns the actuals, and how many were created and updated."""
    today = today or date.today()
    errors: list[FieldError] = []
    parsed: list[tuple[int, BulkRow]] = []
    for i, raw in enumerate(raw_rows):
        try:
            parsed.append((i, BulkRow.model_validate(raw)))
        except ValidationError as error:
            for e in error.errors():
                field = ".".join(str(p) for p in e["loc"]) or "row"
                message = str(e["msg"]).removeprefix("Value error, ")
                errors.append(FieldError(f"rows.{i}.{field}", message))

    codes = {row.measure_code for _, row in parsed if row.measure_code}
    ids = {row.measure_id for _, row in parsed if row.measure_id}
    measures = list(
        session.scalars(select(Measure).where(Measure.code.in_(codes) | Measure.id.in_(ids)))
    )
    by_code = {m.code: m for m in measures}
    by_id = {m.id: m for m in measures}
    existing = {
        (a.measure_id, a.period): a
        for a in session.scalars(
            select(Actual).where(Actual.measure_id.in_([m.id for m in measures]))
        )
    }

    plan: list[tuple[Measure, Figures, BulkRow, Actual | None, LateChange | None]] = []
    seen: set[tuple[uuid.UUID, str]] = set()
    for i, row in parsed:
        prefix = f"rows.{i}."
        measure = (
            by_id.get(row.measure_id) if row.measure_id else by_code.get(row.measure_code or "")
        )
        if measure is None:
            field = "measure_id" if row.measure_id or not row.measure_code else "measure_code"
            errors.append(FieldError(prefix + field, "There is no such measure"))
            continue
        try:
            figures = check_sent_figures(session, measure, row, today=today, prefix=prefix)
        except ValidationFailed as failed:
            errors.extend(failed.errors)
            continue
        key = (measure.id, figures.period.code)
        if key in seen:
            errors.append(
                FieldError(prefix + "period", f"{measure.code} {figures.period.label} is repeated")
            )
            continue
        seen.add(key)
        actual = existing.get(key)
        if actual is not None and row.version is None:
            errors.extend(_duplicate(measure, figures.period, prefix).errors)
            continue
        if actual is not None and row.version != actual.version:
            errors.append(
                FieldError(
                    prefix + "version",
                    "Someone else changed this actual since you read it; reload and try again",
                )
            )
            continue
        try:
            late = check_period_open(caller, figures.period, row.reason, today)
        except ValidationFailed as failed:
            errors.extend(FieldError(prefix + e["field"], e["message"]) for e in failed.errors)
            continue
        if submit:
            try:
                check_commentary(
                    session,
                    measure,
                    period=figures.period,
                    value=figures.value,
                    commentary=row.commentary,
                    prefix=prefix,
                )
            except ValidationFailed as failed:
                errors.extend(failed.errors)
                continue
        plan.append((measure, figures, row, actual, late))
    for measure in {m.code: m for m, *_ in plan}.values():
        check_may_enter(caller, measure)
    if errors:
        raise ValidationFailed(
            f"Nothing was stored: {len(errors)} problem(s) in the rows.", errors=errors
        )

    stored: list[Actual] = []
    created = updated = 0
    for measure, figures, row, actual, late in plan:
        if actual is None:
            actual = _store_new(session, measure, figures, row.commentary, caller, late)
            created += 1
        elif unchanged(actual, figures, row.commentary):
            # Saving a form again changes nothing: no new revision, just submit if asked.
            if submit and actual.status in SUBMITTABLE:
                submit_actual(session, actual=actual, caller=caller)
            stored.append(actual)
            continue
        else:
            _store_correction(
                session,
                actual,
                figures=figures,
                commentary=row.commentary,
                caller=caller,
                late=late,
            )
            updated += 1
        if submit:
            submit_actual(session, actual=actual, caller=caller)
        stored.append(actual)
    if not created and not updated:
        declare_no_change("unchanged")  # no rows, or every row as stored already
    return stored, created, updated
