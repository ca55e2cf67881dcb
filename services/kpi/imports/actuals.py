"""KPI actuals from a spreadsheet: one row per measure and period, read as councils write them
("April 2025", "Q1 2025/26", "65%", "1,102"), matched to the actuals there already. A row per
measure with a column for each month, quarter or year ("Apr-25", "Q1 2025/26") is read as one
such row for each filled cell, and a file with no period column is of the one period given.

Each row is checked by the same rules as the actuals API (`services.kpi.actuals`): who may enter
figures for the measure, the period against the measure's frequency, a value or a numerator and
denominator, percentages within 0 to 100, and the approval workflow. A row for a period with no
actual creates one (a draft); a row whose figures or commentary differ corrects it, as the API
does (a new revision, back to draft); anything else is left unchanged, so importing the same file
twice changes nothing the second time. A status column may move figures on: "Submitted" submits
them, "Approved" also approves them (approvers only); a status never moves a figure back.

Reading is one query for the measures and one for their actuals; writing is a handful of bulk
statements (`common.bulk`), each change with its revision and its audit rows, so 10,000 rows
take seconds, not minutes.
"""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common.bulk import one_of
from common.deadlines import is_closed
from common.errors import FieldError, Forbidden, ValidationFailed
from common.headers import Column, match_headers, missing_columns, normalise_header
from common.identity import Caller
from common.importing import ImportReport, ProblemKind, RowReport, Writes, row_originals, write_rows
from common.mapping import PeriodColumn, period_columns
from common.money import parse_money
from common.periods import Frequency, Period, read_period
from common.quantities import PLAIN, header_unit, read_amount
from common.spreadsheets import Table
from services.kpi.actuals.models import Actual, ActualRevision
from services.kpi.actuals.rules import (
    MANAGERS,
    SUBMITTABLE,
    Figures,
    check_may_approve,
    check_may_enter,
    mark_approved,
    mark_corrected,
    mark_submitted,
    unchanged,
)
from services.kpi.actuals.service import (
    check_commentary,
    check_figures,
    new_actual,
    revision_row,
    submitter,
)
from services.kpi.fields import to_number
from services.kpi.imports.cells import MEASURE_CODE, MEASURE_TITLES
from services.kpi.measures.models import Measure
from services.kpi.measures.rules import Unit, derive_value

COLUMNS = (
    MEASURE_CODE,
    Column("measure", "Measure", MEASURE_TITLES),
    Column("period", "Period", ("Month", "Quarter", "Reporting period", "Period ending", "Date")),
    Column("year", "Financial year", ("Year", "FY")),
    Column(
        "value",
        "Value",
        ("Actual", "Figure", "Result", "Outturn", "Actual value", "Performance"),
        type="quantity",
    ),
    Column("numerator", "Numerator", (), type="quantity"),
    Column("denominator", "Denominator", (), type="quantity"),
    Column("commentary", "Commentary", ("Comments", "Comment", "Narrative", "Notes", "Note")),
    Column("status", "Status", ("Workflow status", "Approval status")),
)
_COLUMN = {c.key: c for c in COLUMNS}
_STATUS = {
    "": None,
    "draft": "draft",
    "new": "draft",
    "submitted": "submitted",
    "submit": "submitted",
    "for approval": "submitted",
    "awaiting approval": "submitted",
    "approved": "approved",
    "approve": "approved",
    "signed off": "approved",
    "returned": "returned",
}
_RANK = {"draft": 0, "returned": 0, "submitted": 1, "approved": 2}


@dataclass
class _Row:
    report: RowReport
    measure: Measure | None = None
    figures: Figures | None = None
    commentary: str = ""
    status: str | None = None
    existing: Actual | None = None
    steps: list[str] = field(default_factory=list)
    """What committing does, in order: "created"/"corrected", "submitted", "approved"."""
    self_approved: bool = False
    """Its approval is by the person who submitted it (the council allows that)."""


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def _number(text: str, heading: str, *, money: bool) -> Decimal | None:
    """A figure under its heading's unit ("Apr-25 £k", "Value (%)")."""
    if not text:
        return None
    unit = header_unit(heading)
    if money:
        return parse_money(text, unit)
    return to_number(text if unit == PLAIN else read_amount(text, unit))


_VALUE_WORDS = frozenset(["actual", "actuals", "value", "figure", "result", "outturn"])
NO_PERIOD = (
    "Say which period the figures are for: a 'Period' column, a column for each month or "
    'quarter ("Apr-25", "Q1 2025/26"), or one period for the whole file (e.g. "2025/26 Q2" '
    'or "2025-09").'
)


def plan(
    session: Session,
    table: Table,
    filename: str,
    caller: Caller,
    today: date | None = None,
    period: Period | None = None,
) -> tuple[ImportReport, list[_Row]]:
    """What importing `table` would do: each row's action against the actuals there already.
    A row per measure with a column per month, quarter or year ("Apr-25", "Q1 2025/26") is one
    actual per filled cell; a file with no period column is of the one `period` given."""
    today = today or date.today()
    wide = period_columns(table.headers, table.mapping, fits=lambda words: words <= _VALUE_WORDS)
    taken = {c.position for c in wide}
    match = match_headers(
        ["" if i in taken else h for i, h in enumerate(table.headers)], COLUMNS, table.mapping
    )
    missing = list(match.missing)
    if "code" not in match.positions and "measure" not in match.positions:
        missing.insert(0, _COLUMN["measure"])
    if not wide and not ({"value", "numerator"} & match.positions.keys()):
        missing.append(_COLUMN["value"])
    if missing:
        raise missing_columns(missing, "an actual")
    if not wide and not {"period", "year"} & match.positions.keys() and period is None:
        raise ValidationFailed(NO_PERIOD, errors=[FieldError("period", NO_PERIOD)])
    columns = dict(match.headers)
    for column in wide:
        columns[f"value {column.period.code}"] = column.heading
    report = ImportReport(
        kind="actuals",
        filename=filename,
        columns=columns,
        unmatched_columns=[h for h in match.unmatched if h not in columns.values()],
    )
    if period is not None and not wide and "period" not in match.positions:
        report.given["period"] = period.code
    measures = list(session.scalars(select(Measure)))
    measure_column = columns.get("code") or columns.get("measure") or "measure"
    known = _Known(
        columns=columns | {"period": columns.get("period", "period")},
        measure_column=measure_column,
        today=today,
        by_code={m.code.lower(): m for m in measures},
        by_title={_words(m.title): m for m in measures},
    )
    existing = {(a.measure_id, a.period): a for a in session.scalars(select(Actual))}
    may_approve = caller.has_any(*MANAGERS)
    refusals: dict[uuid.UUID, str] = {}
    seen: dict[tuple[uuid.UUID, str], int] = {}
    rows: list[_Row] = []
    for number, cells, by_field, read in _unfolded(table, match.positions, wide, period, known):
        row = _Row(RowReport(row=number, original=row_originals(table.headers, cells)))
        report.rows.append(row.report)
        rows.append(row)
        _read(session, row, by_field, read)
        measure, figures = row.measure, row.figures
        if measure is not None and measure.id not in refusals:
            try:
                check_may_enter(caller, measure)
                refusals[measure.id] = ""
            except Forbidden as refused:
                refusals[measure.id] = refused.detail
        if measure is not None and refusals[measure.id]:
            row.report.problem(measure_column, refusals[measure.id], ProblemKind.NOT_ALLOWED)
        if row.status == "approved" and not may_approve:
            row.report.problem(
                columns["status"],
                "only the programme office or a service lead can approve figures",
                ProblemKind.NOT_ALLOWED,
            )
        if measure is None or figures is None:
            continue
        key = (measure.id, figures.period.code)
        if key in seen:
            row.report.problem(
                read.columns["period"],
                f"repeats {measure.code} {figures.period.label} of row {seen[key]}",
                ProblemKind.DUPLICATE,
            )
            continue
        seen[key] = number
        row.existing = existing.get(key)
        _decide(row)
        if {"created", "corrected"} & set(row.steps) and is_closed(
            figures.period, caller.deadlines, today
        ):
            # An import carries no reason: a closed period's figure changes on its form only.
            row.report.problem(
                read.columns["period"],
                f"{figures.period.label} is closed, so its figures are locked; an approver can "
                "still correct one on its form, giving a reason",
                ProblemKind.CLOSED_PERIOD,
            )
        if "approved" in row.steps and may_approve:
            # Submitted by this import, or earlier by the same person: separation of duties.
            submitted_by = (
                caller.user_id
                if "submitted" in row.steps or row.existing is None
                else submitter(session, row.existing.id)
            )
            try:
                row.self_approved = check_may_approve(caller, submitted_by)
            except Forbidden as refused:
                row.report.problem(columns["status"], refused.detail, ProblemKind.NOT_ALLOWED)
    return report, rows


def _unfolded(
    table: Table,
    positions: dict[str, int],
    wide: list[PeriodColumn],
    period: Period | None,
    known: "_Known",
) -> Iterator[tuple[int, list[str], dict[str, str], "_Known"]]:
    """Each row's cells by field, with what they are read against; a row of a wide table once
    for each filled period column, as if it were a row of that period and its value (a problem
    names the period's own column)."""
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        by_field = {key: cells[position] for key, position in positions.items()}
        if not wide:
            if period is not None and "period" not in by_field:
                by_field["period"] = period.code
            yield number, cells, by_field, known
            continue
        for column in wide:
            if not cells[column.position].strip():
                continue
            at = {"period": column.heading, "value": column.heading}
            yield (
                number,
                cells,
                by_field | {"period": column.period.code, "value": cells[column.position]},
                replace(known, columns=known.columns | at),
            )


@dataclass
class _Known:
    """What every row is read against: the file's columns, the council's measures, today."""

    columns: dict[str, str]
    measure_column: str
    today: date
    by_code: dict[str, Measure]
    by_title: dict[str, Measure]
    populations: dict[tuple[str, str, str], Decimal | None] = field(default_factory=dict)
    """Populations looked up so far (the denominators of rates sent as counts)."""


def _read(session: Session, row: _Row, cells: dict[str, str], known: _Known) -> None:
    """The measure, figures, commentary and status of one row, noting each cell's problem."""
    report, columns, by_code, by_title = row.report, known.columns, known.by_code, known.by_title
    measure_column = known.measure_column
    code, title = cells.get("code", ""), cells.get("measure", "")
    # A code column may hold titles, and a measure column codes: codes first, then titles.
    measure = (
        by_code.get(code.lower())
        or by_title.get(_words(title))
        or by_title.get(_words(code))
        or by_code.get(title.lower())
    )
    report.key = code or title
    if measure is None:
        named = code or title
        report.problem(
            measure_column,
            f"there is no measure '{named}'" if named else "names no measure",
            ProblemKind.UNKNOWN_REFERENCE,
        )
    row.measure = measure
    row.commentary = cells.get("commentary", "")
    if len(row.commentary) > 4000:
        report.problem(
            columns["commentary"], "is longer than 4,000 characters", ProblemKind.TOO_LONG
        )
    status_text = cells.get("status", "")
    if normalise_header(status_text) in _STATUS:
        row.status = _STATUS[normalise_header(status_text)]
        if row.status == "returned":
            report.problem(
                columns["status"],
                "a figure is returned from its approval page, with a reason; leave the status "
                "blank or write Draft",
                ProblemKind.NOT_A_CHOICE,
            )
    else:
        report.problem(
            columns["status"],
            f"could not read '{status_text}' as Draft, Submitted or Approved",
            ProblemKind.NOT_A_CHOICE,
        )
    period: Period | None = None
    try:
        period = _period(cells["period"], cells.get("year", ""), measure)
    except ValueError as error:
        report.problem(columns["period"], str(error), ProblemKind.NOT_A_DATE)
    numbers: dict[str, Decimal | None] = {}
    for key in ("value", "numerator", "denominator"):
        try:
            numbers[key] = _number(
                cells.get(key, ""),
                columns.get(key, ""),
                money=measure is not None and measure.unit == "gbp",
            )
        except ValueError as error:
            report.problem(
                columns[key], f"could not read '{cells[key]}': {error}", ProblemKind.NOT_A_NUMBER
            )
            numbers[key] = None
            period = None  # the figures are checked only when every number could be read
    report.fields = {
        "measure": measure.code if measure else None,
        "period": period.code if period else None,
        **numbers,
        "commentary": row.commentary,
        "status": row.status,
    }
    if measure is None or period is None:
        return
    value, numerator, denominator = numbers["value"], numbers["numerator"], numbers["denominator"]
    # A file exported from here (the approvals queue) shows the figure beside what it is made
    # of: when they agree it is one figure, entered as its numerator and denominator.
    if (
        value is not None
        and numerator is not None
        and denominator
        and derive_value(numerator, denominator, Unit(measure.unit)) == value
    ):
        numbers["value"] = None
    try:
        row.figures = check_figures(
            session,
            measure,
            period=period.code,
            value=numbers["value"],
            numerator=numbers["numerator"],
            denominator=numbers["denominator"],
            today=known.today,
            populations=known.populations,
        )
    except ValidationFailed as failed:
        for problem in failed.errors:
            column = columns.get(problem["field"]) or columns.get("value") or columns["numerator"]
            report.problem(column, problem["message"], ProblemKind.INVALID)
        return
    if row.status in ("submitted", "approved"):
        try:  # a Red or Amber figure goes for approval only with its commentary
            check_commentary(
                session,
                measure,
                period=row.figures.period,
                value=row.figures.value,
                commentary=row.commentary,
            )
        except ValidationFailed as failed:
            column = columns.get("commentary") or columns["status"]
            for problem in failed.errors:
                report.problem(column, problem["message"], ProblemKind.INVALID)
            return
    if numbers["value"] is None:  # worked out from the numerator and denominator
        report.fields["value"] = format(row.figures.value.normalize(), "f")
    report.key = f"{measure.code} {row.figures.period.code}"


_QUARTER = re.compile(r"^q([1-4])$", re.IGNORECASE)
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$|^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _period(text: str, year: str, measure: Measure | None) -> Period:
    """The period a row is for: its period cell alone ("April 2025", "Q1 2025/26"), or with a
    financial year column ("April" or "Q1" and "2025/26"). A date that ends a quarter or year
    (a "period ending" column) is that quarter or year for a measure reported so.

    >>> _period("Jan", "2025/26", None).code, _period("Q2", "25/26", None).code
    ('2026-01', '2025/26 Q2')
    """
    text = text.strip()
    if year.strip():
        financial_year = read_period(year).year
        if not text:
            return Period(financial_year, Frequency.ANNUAL, 1)
        if match := _QUARTER.match(text):
            return Period(financial_year, Frequency.QUARTERLY, int(match[1]))
        try:
            month = read_period(f"{text} {financial_year.start_year}")
        except ValueError:
            pass
        else:
            if month.frequency is Frequency.MONTHLY and month.start.month < 4:
                return read_period(f"{text} {financial_year.start_year + 1}")
            return month
    period = read_period(text)
    day = _DAY.match(text)
    if day and measure is not None and measure.frequency != period.frequency.value:
        numbers = [int(n) for n in day.groups() if n]
        ending = date(*numbers) if day[1] else date(numbers[2], numbers[1], numbers[0])
        containing = Period.containing(ending, Frequency(measure.frequency))
        if containing.end == ending:
            return containing
    return period


def _decide(row: _Row) -> None:
    """Create, update (a correction and/or a step of the workflow) or leave the row's actual."""
    figures, actual, wanted = row.figures, row.existing, row.status
    assert figures is not None
    if actual is None:
        row.report.action = "create"
        row.steps = ["created"]
        current = "draft"
    else:
        same = unchanged(actual, figures, row.commentary)
        row.steps = [] if same else ["corrected"]
        current = actual.status if same else "draft"
    if wanted in ("submitted", "approved") and _RANK[wanted] > _RANK[current]:
        if current in SUBMITTABLE:
            row.steps.append("submitted")
        if wanted == "approved":
            row.steps.append("approved")
    if actual is not None:
        row.report.action = "update" if row.steps else "unchanged"
        if row.steps:
            row.report.fields["changes"] = list(row.steps)


_WORKED_ON = (
    "value",
    "numerator",
    "denominator",
    "commentary",
    "status",
    "return_reason",
    "approved_value",
    "approved_revision",
)
"""The columns an import's steps may change on an actual that exists."""


def commit(session: Session, rows: list[_Row], caller: Caller) -> None:
    """Write every row that changes (the caller has checked none is blocked): new actuals and
    corrections, each step with its revision and audit rows; the session's commit makes it all
    or nothing. Each actual is worked on as a detached copy by the API's own workflow steps
    (`mark_corrected`, `mark_submitted`, `mark_approved`), then stored in bulk."""
    changing = [r for r in rows if r.steps and r.figures is not None and r.measure is not None]
    updated = [r.existing.id for r in changing if r.existing is not None]
    numbers: dict[uuid.UUID, int] = {}
    if updated:
        found = session.execute(
            select(ActualRevision.actual_id, func.max(ActualRevision.number))
            .where(one_of(ActualRevision.actual_id, updated))
            .group_by(ActualRevision.actual_id)
        )
        numbers = {actual_id: number or 0 for actual_id, number in found}
    new_actuals: list[dict[str, object]] = []
    corrections: list[tuple[dict[str, object], dict[str, object]]] = []
    revisions: list[dict[str, object]] = []
    for row in changing:
        figures, measure, existing = row.figures, row.measure, row.existing
        assert figures is not None
        assert measure is not None
        if existing is None:
            actual = new_actual(measure, figures, row.commentary)
            actual.id, actual.org_id = uuid.uuid4(), caller.org_id
        else:
            actual = Actual(id=existing.id, org_id=existing.org_id)
            for key in _WORKED_ON:
                setattr(actual, key, getattr(existing, key))
        number = numbers.get(actual.id, 0)
        for step in row.steps:
            number += 1
            if step == "corrected":
                actual.value, actual.numerator = figures.value, figures.numerator
                actual.denominator, actual.commentary = figures.denominator, row.commentary
                mark_corrected(actual)
            elif step == "submitted":
                mark_submitted(actual)
            elif step == "approved":
                mark_approved(actual)
                actual.approved_revision = number
            revision = revision_row(
                actual,
                number=number,
                action=step,
                caller=caller,
                self_approved=step == "approved" and row.self_approved,
            )
            revisions.append({"org_id": caller.org_id} | revision)
        if existing is None:
            new_actuals.append({k: v for k, v in vars(actual).items() if not k.startswith("_")})
            continue
        before: dict[str, object] = {"id": existing.id, "org_id": existing.org_id}
        after: dict[str, object] = {"id": existing.id, "version": existing.version}
        for key in _WORKED_ON:
            before[key], after[key] = getattr(existing, key), getattr(actual, key)
        corrections.append((before, after))
    write_rows(
        session,
        "actuals",
        Writes(Actual, new_actuals, corrections),
        Writes(ActualRevision, revisions),
    )
