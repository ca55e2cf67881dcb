"""Use cases of savings tracking: keyword-only, flush but never commit."""

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, Select, Uuid, any_, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY, distinct_on
from sqlalchemy.orm import Session

from common import crud, per_period
from common.errors import Conflict, FieldError, ValidationFailed
from common.money import format_money
from common.pagination import PageParams
from common.periods import FinancialYear
from common.read_shapes import read_shape
from services.finance.base import Base
from services.finance.budgets.service import check_month_in_year
from services.finance.library.rules import chosen_or_suggested
from services.finance.savings import rules
from services.finance.savings.models import (
    ActivityMeasure,
    SavingsEntry,
    SavingsLine,
    SavingsTarget,
)
from services.finance.savings.schemas import (
    ActivityMeasureCreate,
    ActivityMeasureRead,
    ActivityMeasureUpdate,
    Category,
    Confidence,
    EntryCreate,
    EntryRead,
    EntryUpdate,
    Recurrence,
    SavingsLineCreate,
    SavingsLineRead,
    SavingsLineUpdate,
    SavingsMonth,
    SavingsTotals,
    SavingsTrend,
    SavingType,
    Status,
    TargetIn,
    TargetRead,
    TotalsGroup,
    TotalsRead,
    TrackerRow,
    TypeTotals,
    YearProgress,
)


@dataclass(frozen=True)
class TrackerFilters:
    financial_year: str
    category: str | None = None
    saving_type: str | None = None
    owner_team: str | None = None
    project_id: uuid.UUID | None = None
    status: str | None = None
    as_at: date | None = None
    include_retired: bool = False


SORT_KEYS = (
    "reference",
    "title",
    "owner",
    "category",
    "target",
    "achieved",
    "forecast",
    "slippage",
    "confidence",
    "status",
)
_CONFIDENCE_ORDER = {"red": 0, "amber": 1, "green": 2}


# --- savings lines ------------------------------------------------------------------------------


def create_line(session: Session, *, data: SavingsLineCreate) -> SavingsLine:
    """Add a savings line with its targets; its reference must be new in the organisation."""
    _check_reference_free(session, data.reference, None)
    line = SavingsLine(
        **data.model_dump(
            exclude={
                "targets",
                "category",
                "saving_type",
                "recurrence",
                "delivery_confidence",
                "status",
                "theme",
            }
        ),
        theme=data.theme.value if data.theme else None,
        category=data.category.value,
        saving_type=data.saving_type.value,
        recurrence=data.recurrence.value,
        delivery_confidence=data.delivery_confidence.value,
        status=data.status.value,
    )
    _check_line(session, line, None)
    _set_targets(line, data.targets)
    session.add(line)
    session.flush()
    return line


def update_line(session: Session, *, line: SavingsLine, data: SavingsLineUpdate) -> SavingsLine:
    """Apply the fields that were sent; `targets` replaces only the years it names."""
    changes = data.model_dump(exclude_unset=True, exclude={"targets"})
    if "reference" in changes:
        _check_reference_free(session, changes["reference"], line.id)
    for field, value in changes.items():
        if value is None and field not in {"mitigates_line_id", "kpi_measure_id", "theme"}:
            continue  # an explicit null on a required field leaves it as it is
        setattr(line, field, value.value if hasattr(value, "value") else value)
    _check_line(session, line, line.id)
    _set_targets(line, data.targets)
    session.flush()
    return line


def delete_line(session: Session, *, line: SavingsLine) -> None:
    """Remove a savings line with its targets, entries and activity measures."""
    crud.delete(session, line)


def _check_reference_free(session: Session, reference: str, own_id: uuid.UUID | None) -> None:
    existing = session.scalar(select(SavingsLine.id).where(SavingsLine.reference == reference))
    if existing is not None and existing != own_id:
        raise Conflict(f'A savings line with reference "{reference}" already exists.')


def _check_line(session: Session, line: SavingsLine, own_id: uuid.UUID | None) -> None:
    errors: list[FieldError] = []
    if line.status == Status.WRITTEN_OFF and not (line.written_off_reason or "").strip():
        errors.append(FieldError("written_off_reason", "Say why the saving is being written off"))
    if line.mitigates_line_id is not None:
        if line.mitigates_line_id == own_id:
            errors.append(FieldError("mitigates_line_id", "A savings line cannot mitigate itself"))
        elif _line_of_this_council(session, line.mitigates_line_id) is None:
            errors.append(FieldError("mitigates_line_id", "There is no savings line with this id"))
    if errors:
        raise ValidationFailed("The savings line is not valid.", errors=errors)


def _line_of_this_council(session: Session, line_id: uuid.UUID) -> SavingsLine | None:
    # Without flushing first: the line being checked may already name another council's line,
    # which the database refuses (its key holds the council) before this check could say so.
    with session.no_autoflush:
        return session.get(SavingsLine, line_id)


def _set_targets(line: SavingsLine, targets: list[TargetIn] | None) -> None:
    """A year's full-year effect is its in-year target unless it is given."""
    per_period.set_by_year(
        line, line.targets, SavingsTarget, targets, defaults_from={"full_year_effect": "in_year"}
    )


@dataclass(frozen=True)
class LineRows:
    """A savings line as plain rows, with its targets, returns and activity in the order the
    relationships keep them: the tracker reads hundreds, and building ORM instances for them
    was most of its cost. Reads like a `SavingsLine` for the functions below."""

    line: Row[Any]
    targets: list[Row[Any]]
    entries: list[Row[Any]]
    activity_measures: list[Row[Any]]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.line, name)


Line = SavingsLine | LineRows


def _target(line: Line, financial_year: str) -> SavingsTarget | Row[Any] | None:
    return next((t for t in line.targets if t.financial_year == financial_year), None)


def latest_entry(
    line: Line, financial_year: str, as_at: date | None = None
) -> SavingsEntry | Row[Any] | None:
    """The line's latest return of the year; with `as_at`, the latest for a month on or before
    that day, never after."""
    entries = [
        e
        for e in line.entries
        if e.financial_year == financial_year and (as_at is None or e.month <= as_at)
    ]
    return entries[-1] if entries else None


def progress(line: Line, financial_year: str, as_at: date | None = None) -> rules.LineProgress:
    target = _target(line, financial_year)
    entry = latest_entry(line, financial_year, as_at)
    return rules.LineProgress(
        target=target.in_year if target else rules.ZERO,
        full_year_effect=target.full_year_effect if target else rules.ZERO,
        achieved_to_date=entry.achieved_to_date if entry else None,
        forecast_for_year=entry.forecast_for_year if entry else None,
        saving_type=line.saving_type,
        status=line.status,
        delivery_confidence=line.delivery_confidence,
    )


def year_progress(line: Line, financial_year: str, as_at: date | None = None) -> YearProgress:
    p = progress(line, financial_year, as_at)
    entry = latest_entry(line, financial_year, as_at)
    return YearProgress(
        financial_year=financial_year,
        **_figures(p),
        latest_month=entry.month if entry else None,
        latest_note=entry.note if entry else "",
        brag=p.brag,
        brag_label=p.brag.label,
    )


def measure_read(measure: ActivityMeasure | Row[Any]) -> ActivityMeasureRead:
    percent = rules.percent_done(measure.planned, measure.done)
    return read_shape(
        ActivityMeasureRead, measure, percent_done=str(percent) if percent is not None else None
    )


def line_read(session: Session, line: SavingsLine) -> SavingsLineRead:
    """The line with its targets, activity, progress in every year it has and its mitigations."""
    return SavingsLineRead(**_read_fields(line, mitigations(session, [line.id])[line.id]))


def mitigations(session: Session, line_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The lines that mitigate each of `line_ids`, by reference, in one query for them all."""
    found: dict[uuid.UUID, list[uuid.UUID]] = {line_id: [] for line_id in line_ids}
    if line_ids:
        rows = session.execute(
            select(SavingsLine.mitigates_line_id, SavingsLine.id)
            .where(SavingsLine.mitigates_line_id.in_(line_ids))
            .order_by(SavingsLine.reference)
        )
        for mitigated, by in rows:
            if mitigated is not None:  # always, by the IN above; the column is nullable
                found[mitigated].append(by)
    return found


def _read_fields(line: Line, mitigated_by: list[uuid.UUID]) -> dict[str, Any]:
    """A line's fields in its read shape, from what is loaded already (no query)."""
    years = sorted(
        {t.financial_year for t in line.targets} | {e.financial_year for e in line.entries}
    )
    theme = chosen_or_suggested(line.theme, line.title, line.description)
    return {
        "id": line.id,
        "reference": line.reference,
        "title": line.title,
        "description": line.description,
        "project_ids": list(line.project_ids or []),
        "owner_team": line.owner_team,
        "category": Category(line.category),
        "saving_type": SavingType(line.saving_type),
        "recurrence": Recurrence(line.recurrence),
        "delivery_confidence": Confidence(line.delivery_confidence),
        "status": Status(line.status),
        "written_off_reason": line.written_off_reason,
        "mitigates_line_id": line.mitigates_line_id,
        "kpi_measure_id": line.kpi_measure_id,
        "mitigated_by": mitigated_by,
        "theme": theme,
        "theme_label": theme.label,
        "theme_confirmed": line.theme is not None,
        "targets": [TargetRead.model_validate(t) for t in line.targets],
        "activity_measures": [measure_read(m) for m in line.activity_measures],
        "progress": [year_progress(line, year) for year in years],
        "version": line.version,
        "retired_at": line.retired_at,
    }


# --- the tracker and totals ---------------------------------------------------------------------


def _matching_lines(session: Session, filters: TrackerFilters) -> list[SavingsLine]:
    return list(session.scalars(_matching(filters)))


def _tracker_lines(session: Session, filters: TrackerFilters) -> list[LineRows]:
    """The matching lines with their targets, returns and activity, as plain rows, in four
    queries however many lines match."""
    lines = session.execute(_matching(filters).with_only_columns(*_columns(SavingsLine))).all()
    ids = literal([line.id for line in lines], ARRAY(Uuid))
    children: list[dict[uuid.UUID, list[Row[Any]]]] = []
    for model, order in (
        (SavingsTarget, SavingsTarget.financial_year),
        (SavingsEntry, SavingsEntry.month),
        (ActivityMeasure, ActivityMeasure.created_at),
    ):
        found: dict[uuid.UUID, list[Row[Any]]] = defaultdict(list)
        if lines:
            statement = select(*_columns(model)).where(model.savings_line_id == any_(ids))
            if model is SavingsEntry:
                rows = sorted(
                    session.execute(_latest_entries(statement, filters.as_at)),
                    key=lambda row: row.month,
                )
            else:
                rows = list(session.execute(statement.order_by(order)))
            for row in rows:
                found[row.savings_line_id].append(row)
        children.append(found)
    targets, entries, measures = children
    return [LineRows(line, targets[line.id], entries[line.id], measures[line.id]) for line in lines]


def _latest_entries(statement: Select[Any], as_at: date | None) -> Select[Any]:
    """Only the returns the tracker reads: each line's latest in each year (every year shows its
    progress) and, as at a day, its latest on or before that day too. A line keeps a return a
    month, so reading them all grew with every month of every year."""
    keys: list[Any] = [SavingsEntry.savings_line_id, SavingsEntry.financial_year]
    if as_at is not None:
        keys.append(SavingsEntry.month <= as_at)
    return statement.ext(distinct_on(*keys)).order_by(*keys, SavingsEntry.month.desc())


def _columns(model: type[Base]) -> list[Any]:
    # Mapped attributes rather than table columns, so the session's organisation scope applies.
    return [getattr(model, column.key) for column in model.__mapper__.column_attrs]


def _matching(filters: TrackerFilters) -> Select[SavingsLine]:
    # A line belongs to a year when it has a target or a return in it.
    statement = select(SavingsLine).where(
        or_(
            SavingsLine.targets.any(SavingsTarget.financial_year == filters.financial_year),
            SavingsLine.entries.any(SavingsEntry.financial_year == filters.financial_year),
        )
    )
    if filters.category:
        statement = statement.where(SavingsLine.category == filters.category)
    if filters.saving_type:
        statement = statement.where(SavingsLine.saving_type == filters.saving_type)
    if filters.owner_team:
        statement = statement.where(SavingsLine.owner_team == filters.owner_team)
    if filters.status:
        statement = statement.where(SavingsLine.status == filters.status)
    if not filters.include_retired:
        statement = statement.where(SavingsLine.retired_at.is_(None))
    if filters.project_id:
        statement = statement.where(SavingsLine.project_ids.any_() == filters.project_id)
    return statement.order_by(SavingsLine.reference)


def _sort_key(
    name: str, progresses: dict[uuid.UUID, rules.LineProgress]
) -> Callable[[Line], tuple[bool, object]]:
    def key(line: Line) -> tuple[bool, object]:
        p = progresses[line.id]
        value: object = {
            "reference": line.reference.lower(),
            "title": line.title.lower(),
            "owner": line.owner_team.lower(),
            "category": line.category,
            "target": p.target,
            "achieved": p.achieved_to_date,
            "forecast": p.forecast_for_year,
            "slippage": p.shortfall,
            "confidence": _CONFIDENCE_ORDER.get(line.delivery_confidence, 3),
            "status": list(Status).index(Status(line.status)),
        }[name]
        return (value is None, value if value is not None else 0)

    return key


def tracker(
    session: Session, *, filters: TrackerFilters, page: PageParams, sort: str = "reference"
) -> tuple[list[TrackerRow], int, TotalsRead]:
    """One page of the tracker, sorted (a leading "-" for descending; lines without a figure go
    last either way), and totals over every matching line. A fixed number of queries however
    many lines match: the lines with their targets, returns and activity as plain rows, then
    the page's mitigations."""
    descending = sort.startswith("-")
    name = sort.removeprefix("-")
    if name not in SORT_KEYS:
        message = f"sort by one of: {', '.join(SORT_KEYS)} (a leading - for descending)"
        raise ValidationFailed(message, errors=[FieldError("sort", message)])
    lines = _tracker_lines(session, filters)
    year, as_at = filters.financial_year, filters.as_at
    progresses = {line.id: progress(line, year, as_at) for line in lines}
    key = _sort_key(name, progresses)
    keyed = [(key(line), line) for line in lines]
    known = [(k, line) for k, line in keyed if not k[0]]
    unknown = [line for k, line in keyed if k[0]]
    known.sort(key=lambda pair: pair[0], reverse=descending)
    ordered = [line for _k, line in known] + unknown
    shown = ordered[page.offset : page.offset + page.limit]
    mitigated_by = mitigations(session, [line.id for line in shown])
    rows = []
    for line in shown:
        fields = _read_fields(line, mitigated_by[line.id])
        # The year's figures as the line reads them, unless they are wanted as at an earlier day.
        selected = (
            None
            if as_at
            else next((p for p in fields["progress"] if p.financial_year == year), None)
        )
        rows.append(TrackerRow(**fields, selected=selected or year_progress(line, year, as_at)))
    return rows, len(lines), _totals(progresses.values())


def _figures(p: rules.LineProgress | rules.ProgressTotals) -> dict[str, Any]:
    """The money every savings read shows, the shortfall under the council's word, slippage."""
    return {
        "target": p.target,
        "full_year_effect": p.full_year_effect,
        "achieved_to_date": p.achieved_to_date,
        "forecast_for_year": p.forecast_for_year,
        "slippage": p.shortfall,
    }


def _total_figures(t: rules.ProgressTotals) -> dict[str, Any]:
    """A total's figures, with how many lines it adds up and how many have sent no return."""
    return {"lines": t.lines, **_figures(t), "lines_without_return": t.lines_without_return}


def _totals(progresses: Iterable[rules.LineProgress]) -> TotalsRead:
    lines = list(progresses)
    t = rules.progress_totals(lines)
    by_type = rules.totals_by_type(lines)
    cashable = by_type["cashable"]
    delivered = rules.percent_of(cashable.achieved_to_date, cashable.target)
    forecast = rules.percent_of(cashable.forecast_for_year, cashable.target)
    return TotalsRead(
        **_total_figures(t),
        by_type=[
            TypeTotals(
                saving_type=SavingType(kind), label=SavingType(kind).label, **_total_figures(k)
            )
            for kind, k in by_type.items()
        ],
        cashable_percent_delivered=str(delivered) if delivered is not None else None,
        cashable_percent_forecast=str(forecast) if forecast is not None else None,
        brag=rules.brag_counts(lines),
    )


TOTALS_BY = ("year", "category", "type", "project", "owner")


def totals(
    session: Session, *, by: str, filters: TrackerFilters | None, as_at: date | None = None
) -> SavingsTotals:
    """Totals grouped by financial year (over every year), or within one year by category, type,
    project or owner; with `as_at`, from no return for a later month. A line linked to two
    projects counts in both project groups, so project groups can add up to more than the
    overall total."""
    if by not in TOTALS_BY:
        message = f"group totals by one of: {', '.join(TOTALS_BY)}"
        raise ValidationFailed(message, errors=[FieldError("by", message)])
    groups: dict[str, list[rules.LineProgress]] = {}
    labels: dict[str, str] = {}
    if by == "year" or filters is None:
        all_lines = list(
            session.scalars(select(SavingsLine).where(SavingsLine.retired_at.is_(None)))
        )
        overall: list[rules.LineProgress] = []
        for line in all_lines:
            years = {t.financial_year for t in line.targets} | {
                e.financial_year for e in line.entries
            }
            for year in years:
                p = progress(line, year, as_at)
                groups.setdefault(year, []).append(p)
                labels[year] = year
                overall.append(p)
        ordered = sorted(groups)
        return SavingsTotals(
            financial_year=None,
            by="year",
            groups=[_group(k, labels[k], groups[k]) for k in ordered],
            overall=_totals(overall),
        )
    lines = _matching_lines(session, filters)
    for line in lines:
        p = progress(line, filters.financial_year, filters.as_at)
        keys: list[tuple[str, str]]
        if by == "category":
            keys = [(line.category, Category(line.category).label)]
        elif by == "type":
            keys = [(line.saving_type, SavingType(line.saving_type).label)]
        elif by == "owner":
            keys = [(line.owner_team, line.owner_team or "No owner")]
        else:
            ids = line.project_ids or []
            keys = [(str(i), str(i)) for i in ids] or [("none", "No project")]
        for k, label in keys:
            groups.setdefault(k, []).append(p)
            labels[k] = label
    return SavingsTotals(
        financial_year=filters.financial_year,
        by=by,
        groups=[_group(k, labels[k], groups[k]) for k in sorted(groups, key=lambda k: labels[k])],
        overall=_totals(progress(line, filters.financial_year, filters.as_at) for line in lines),
    )


def _group(key: str, label: str, progresses: list[rules.LineProgress]) -> TotalsGroup:
    return TotalsGroup(key=key, label=label, **_totals(progresses).model_dump())


def owners(session: Session) -> list[str]:
    """The teams that own savings lines, for filters."""
    return [
        o
        for o in session.scalars(
            select(SavingsLine.owner_team).distinct().order_by(SavingsLine.owner_team)
        )
        if o
    ]


# --- monthly entries ----------------------------------------------------------------------------


def check_entry(achieved: Decimal, forecast: Decimal) -> None:
    """Achieved to date may not be more than the forecast for the year (a 422 on the field)."""
    if achieved > forecast:
        message = (
            f"Achieved to date ({format_money(achieved)}) cannot be more than the forecast for "
            f"the year ({format_money(forecast)})"
        )
        raise ValidationFailed(message, errors=[FieldError("achieved_to_date", message)])


def check_far_above_target(
    forecast: Decimal, target: SavingsTarget | Row[Any] | None, *, confirm: bool, note: str
) -> None:
    """A forecast more than double the line's target counts only when confirmed with a note
    saying why (a 422 on the field that needs it)."""
    if target is None or not rules.far_above_target(forecast, target.in_year):
        return
    if not confirm:
        message = (
            f"The forecast for the year ({format_money(forecast)}) is more than double the "
            f"target ({format_money(target.in_year)}). Check it; if it is right, confirm it "
            "and add a note saying why"
        )
        raise ValidationFailed(
            message,
            errors=[
                FieldError("forecast_for_year", message),
                FieldError("confirm", "Confirm the forecast is right, and say why in the note"),
            ],
        )
    if not note.strip():
        message = "Add a note saying why the forecast is more than double the target"
        raise ValidationFailed(message, errors=[FieldError("note", message)])


def add_entry(session: Session, *, line: SavingsLine, data: EntryCreate) -> SavingsEntry:
    """Record a month's return for a line; one per line per month."""
    financial_year = check_month_in_year(data.month, data.financial_year)
    check_entry(data.achieved_to_date, data.forecast_for_year)
    check_far_above_target(
        data.forecast_for_year,
        _target(line, financial_year),
        confirm=data.confirm,
        note=data.note,
    )
    values = data.model_dump(exclude={"financial_year", "confirm"})
    entry = SavingsEntry(**values, financial_year=financial_year)
    return per_period.add_for_month(session, line.entries, entry, "a return")


def get_entry(line: SavingsLine, *, month: date) -> SavingsEntry:
    return per_period.get_for_month(line.entries, month, "This savings line has no return")


def update_entry(session: Session, *, entry: SavingsEntry, data: EntryUpdate) -> SavingsEntry:
    """Apply the fields that were sent; achieved may still not pass the forecast, and a new
    forecast more than double the target must be confirmed with a note."""
    changes = {
        k: v
        for k, v in data.model_dump(exclude_unset=True, exclude={"confirm"}).items()
        if v is not None
    }
    check_entry(
        changes.get("achieved_to_date", entry.achieved_to_date),
        changes.get("forecast_for_year", entry.forecast_for_year),
    )
    if "forecast_for_year" in changes:
        check_far_above_target(
            changes["forecast_for_year"],
            _target(entry.line, entry.financial_year),
            confirm=data.confirm,
            note=changes.get("note", entry.note),
        )
    return crud.save(session, entry, changes)


def entry_read(line: SavingsLine, entry: SavingsEntry) -> EntryRead:
    target = _target(line, entry.financial_year)
    return read_shape(
        EntryRead,
        entry,
        target=target.in_year if target else None,
        slippage=rules.savings_shortfall(target.in_year, entry.forecast_for_year)
        if target
        else None,
    )


def entry_reads(line: SavingsLine, *, financial_year: str | None) -> list[EntryRead]:
    return [
        entry_read(line, e)
        for e in line.entries
        if financial_year is None or e.financial_year == financial_year
    ]


# --- activity measures --------------------------------------------------------------------------


def add_measure(
    session: Session, *, line: SavingsLine, data: ActivityMeasureCreate
) -> ActivityMeasure:
    """Add the volume that drives a saving (planned vs done)."""
    measure = ActivityMeasure(**data.model_dump())
    line.activity_measures.append(measure)
    session.flush()
    return measure


def update_measure(
    session: Session, *, measure: ActivityMeasure, data: ActivityMeasureUpdate
) -> ActivityMeasure:
    """Apply the fields that were sent."""
    changes = {k: v for k, v in data.model_dump(exclude_unset=True).items() if v is not None}
    return crud.save(session, measure, changes)


def delete_measure(session: Session, *, measure: ActivityMeasure) -> None:
    crud.delete(session, measure)


def trend(session: Session, *, financial_year: str, saving_type: str) -> SavingsTrend:
    """One type of saving month by month: each month, the totals of every line's latest return
    of the year by then. Months after the latest return of any line have no figures (a return
    is never carried into months not yet reported)."""
    lines = [
        line
        for line in session.scalars(
            select(SavingsLine).where(SavingsLine.saving_type == saving_type)
        )
        if any(t.financial_year == financial_year for t in line.targets)
        or any(e.financial_year == financial_year for e in line.entries)
    ]
    reported = [
        e.month for line in lines for e in line.entries if e.financial_year == financial_year
    ]
    last = max(reported, default=None)
    months: list[SavingsMonth] = []
    for month in FinancialYear.parse(financial_year).months():
        t = rules.progress_totals(progress(line, financial_year, month) for line in lines)
        with_return = t.lines - t.lines_without_return
        known = last is not None and month <= last and with_return > 0
        months.append(
            SavingsMonth(
                month=month,
                achieved_to_date=t.achieved_to_date if known else None,
                forecast_for_year=t.forecast_for_year if known else None,
                lines_with_return=with_return if known else 0,
            )
        )
    return SavingsTrend(
        financial_year=financial_year,
        saving_type=SavingType(saving_type),
        lines=len(lines),
        target=rules.progress_totals(progress(line, financial_year) for line in lines).target,
        months=months,
    )
