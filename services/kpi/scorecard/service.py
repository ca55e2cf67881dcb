"""Reading measures against their targets: a measure's series and the scorecard for a period."""

import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, String, Uuid, and_, any_, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from common.pagination import PageParams
from common.periods import FinancialYear, Frequency, Period
from services.kpi.actuals.models import Actual
from services.kpi.benchmarks.models import Benchmark
from services.kpi.measures.models import Measure
from services.kpi.measures.rules import Polarity, ToleranceKind, Unit, display
from services.kpi.measures.service import measure_query
from services.kpi.scorecard.rules import (
    Rag,
    area_travel,
    direction,
    latest_reported,
    period_ended_by,
    rag,
    reporting_period,
    year_end_forecast,
    year_to_date,
)
from services.kpi.targets.models import Target
from services.kpi.targets.rules import TargetKind, TargetType, effective_target, target_for_period

TREND_LENGTH = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 8, Frequency.ANNUAL: 3}
RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.NO_DATA: 3, Rag.NO_TARGET: 4}
SCORECARD_SORTS = ("code", "title", "rag", "frequency", "data_provider", "service_area")


# Period codes are asked for thousands of times per scorecard, for a few dozen distinct periods.
@lru_cache(maxsize=4096)
def _code(period: Period) -> str:
    return period.code


@lru_cache(maxsize=1024)
def _year_to_date_codes(period: Period) -> tuple[str, ...]:
    return tuple(p.code for p in period.year_to_date())


@lru_cache(maxsize=1024)
def _trend_codes(period: Period) -> tuple[str, ...]:
    """The codes of the periods a trend line shows, ending with `period`."""
    periods = [period]
    for _ in range(TREND_LENGTH[period.frequency] - 1):
        periods.insert(0, periods[0].previous())
    return tuple(p.code for p in periods)


def latest_complete_month(today: date | None = None) -> Period:
    """The month reports default to: the last one that has ended."""
    return Period.month_of(today or date.today()).previous()


@dataclass(frozen=True)
class StatusFigures:
    period: Period
    target: Decimal | None
    actual: Decimal | None
    period_actual: Decimal | None
    rag: Rag
    direction_previous: str
    direction_last_year: str
    decimal_places: int = 0

    def as_dict(self) -> dict[str, Any]:
        places = self.decimal_places
        return {
            "actual_display": display(self.actual, places),
            "target_display": display(self.target, places),
            "period_actual_display": display(self.period_actual, places),
            "period": _code(self.period),
            "label": self.period.label,
            "target": self.target,
            "actual": self.actual,
            "period_actual": self.period_actual,
            "rag": self.rag,
            "direction_previous": self.direction_previous,
            "direction_last_year": self.direction_last_year,
        }


def status_for(
    measure: Measure,
    period: Period,
    targets: Mapping[str, Any],
    reported: Mapping[str, Decimal],
) -> StatusFigures:
    """How a measure stands in a period, from its targets by year and reported figures by period."""
    unit, polarity = Unit(measure.unit), Polarity(measure.polarity)
    target_type = TargetType(measure.target_type)
    target = _target_in(measure, period, targets)
    period_actual = reported.get(_code(period))
    if target_type is TargetType.CUMULATIVE:
        actual = year_to_date([reported.get(code) for code in _year_to_date_codes(period)], unit)
    else:
        actual = period_actual
    status = rag(
        actual,
        target,
        polarity,
        tolerance=Decimal(measure.tolerance),
        tolerance_kind=ToleranceKind(measure.tolerance_kind),
    )
    return StatusFigures(
        period=period,
        target=target,
        actual=actual,
        period_actual=period_actual,
        rag=status,
        direction_previous=direction(
            period_actual, reported.get(_code(period.previous())), polarity
        ),
        direction_last_year=direction(
            period_actual, reported.get(_code(period.same_period_last_year())), polarity
        ),
        decimal_places=measure.decimal_places,
    )


def _target_in(measure: Measure, period: Period, targets: Mapping[str, Any]) -> Decimal | None:
    """The measure's target for one period, from its targets by year."""
    target_row = targets.get(period.year.label)
    if target_row is None:
        return None
    annual = effective_target(
        Decimal(target_row.value), TargetKind(target_row.kind), measure.baseline_value
    )
    profile = [Decimal(v) for v in target_row.profile] if target_row.profile else None
    return target_for_period(
        annual, TargetType(measure.target_type), period, unit=Unit(measure.unit), profile=profile
    )


def year_end_for(
    measure: Measure, period: Period, targets: Mapping[str, Any], reported: Mapping[str, Decimal]
) -> dict[str, Any]:
    """Where the measure's year is heading from its trajectory to `period`: the forecast
    year-end figure and the RAG it would give against the year-end target."""
    unit = Unit(measure.unit)
    cumulative = TargetType(measure.target_type) is TargetType.CUMULATIVE
    forecast = year_end_forecast(
        [reported.get(code) for code in _year_to_date_codes(period)],
        period.frequency.periods_per_year,
        cumulative=cumulative,
        unit=unit,
    )
    year_end = Period(period.year, period.frequency, period.frequency.periods_per_year)
    status = rag(
        forecast,
        _target_in(measure, year_end, targets),
        Polarity(measure.polarity),
        tolerance=Decimal(measure.tolerance),
        tolerance_kind=ToleranceKind(measure.tolerance_kind),
    )
    return {
        "year_end_forecast": forecast,
        "year_end_forecast_display": display(forecast, measure.decimal_places),
        "year_end_rag": status,
    }


def _targets_by_measure(
    session: Session, measure_ids: list[uuid.UUID], years: set[str]
) -> dict[uuid.UUID, dict[str, Any]]:
    """Each measure's targets in `years`, as plain rows: a scorecard reads hundreds of them."""
    found: dict[uuid.UUID, dict[str, Any]] = defaultdict(dict)
    if not measure_ids:
        return found
    columns = (Target.measure_id, Target.financial_year, Target.value, Target.kind, Target.profile)
    statement = select(*columns).where(
        Target.measure_id == any_(literal(measure_ids, ARRAY(Uuid))),
        Target.financial_year == any_(literal(sorted(years), ARRAY(String))),
    )
    for target in session.execute(statement):
        found[target.measure_id][target.financial_year] = target
    return found


@lru_cache(maxsize=1024)
def _codes_read(period: Period) -> tuple[str, ...]:
    """Every period code a scorecard row for `period` reads: its trend, its year to date, the
    period before and the same period last year."""
    wanted = {
        *_trend_codes(period),
        *_year_to_date_codes(period),
        _code(period.previous()),
        _code(period.same_period_last_year()),
    }
    return tuple(sorted(wanted))


def _actuals_by_measure(
    session: Session, due: Mapping[uuid.UUID, Period], since: date
) -> tuple[dict[uuid.UUID, dict[str, Decimal]], dict[tuple[uuid.UUID, str], Any]]:
    """Only the periods the rows show, in two queries: each measure's approved figures by period
    (from `since` on), and its actual in the period due, in any state, as a plain row.

    Measures due in the same period read the same codes, so each query has one `measure_id =
    ANY(...) AND period = ANY(...)` term per distinct period due (a few), not a pair per measure
    (a tuple IN list that took longer to plan than to run)."""
    by_period: dict[Period, list[uuid.UUID]] = defaultdict(list)
    for measure_id, period in due.items():
        by_period[period].append(measure_id)
    reported: dict[uuid.UUID, dict[str, Decimal]] = defaultdict(dict)
    entries: dict[tuple[uuid.UUID, str], Any] = {}
    if not by_period:
        return reported, entries

    def periods_of(codes: Callable[[Period], list[str]]) -> ColumnElement[bool]:
        return or_(
            *(
                and_(
                    Actual.measure_id == any_(literal(ids, ARRAY(Uuid))),
                    Actual.period == any_(literal(codes(period), ARRAY(String))),
                )
                for period, ids in by_period.items()
            )
        )

    figures = select(Actual.measure_id, Actual.period, Actual.approved_value).where(
        periods_of(lambda period: list(_codes_read(period))),
        Actual.approved_value.is_not(None),
        Actual.period_start >= since,
    )
    for measure_id, code, value in session.execute(figures):
        if value is not None:  # always, by the query; the column is nullable
            reported[measure_id][code] = value
    due_rows = select(*Actual.__table__.columns).where(periods_of(lambda period: [_code(period)]))
    entries = {(a.measure_id, a.period): a for a in session.execute(due_rows)}
    return reported, entries


def scorecard(
    session: Session,
    *,
    period: Period,
    page: PageParams,
    rag_filter: Rag | None = None,
    sort: str = "code",
    as_at: bool = False,
    **filters: Any,
) -> tuple[list[dict[str, Any]], int, dict[str, int]]:
    """Every measure's status in the period the report is for: rows, total and counts by RAG.
    Four queries however many measures: the measures, their targets, their figures in the
    periods shown, and their actuals in the periods due (one more with `as_at`).

    `as_at`: each measure in its latest period ended by then with an approved figure."""
    measures = list(session.scalars(measure_query(**filters)))
    due = {m.id: reporting_period(Frequency(m.frequency), period) for m in measures}
    # The figures the scorecard has always judged by: none older than two years before.
    since = FinancialYear(period.year.start_year - 2).start
    if as_at:
        due = _as_at_periods(due, _reported_periods(session, due, since), since)
    years = {p.year.label for p in due.values()}
    targets = _targets_by_measure(session, [m.id for m in measures], years)
    reported, entries = _actuals_by_measure(session, due, since)

    rows: list[dict[str, Any]] = []
    for measure in measures:
        measure_period = due[measure.id]
        figures = status_for(measure, measure_period, targets[measure.id], reported[measure.id])
        trend_codes = _trend_codes(measure_period)
        rows.append(
            {
                **figures.as_dict(),
                **year_end_for(measure, measure_period, targets[measure.id], reported[measure.id]),
                "measure": measure,
                "trend": [reported[measure.id].get(code) for code in trend_codes],
                "trend_periods": list(trend_codes),
                "entry": entries.get((measure.id, _code(measure_period))),
            }
        )
    if rag_filter is not None:
        rows = [row for row in rows if row["rag"] is rag_filter]
    # Counted after the status filter, so the counts add up to the total they sit beside.
    counts = {r.value: 0 for r in Rag}
    for row in rows:
        counts[row["rag"].value] += 1
    key = sort.removeprefix("-")
    if key == "rag":
        rows.sort(key=lambda r: (RAG_ORDER[r["rag"]], r["measure"].code))
    elif key != "code":
        rows.sort(key=lambda r: (str(getattr(r["measure"], key)).lower(), r["measure"].code))
    if sort.startswith("-"):
        rows.reverse()
    total = len(rows)
    return rows[page.offset : page.offset + page.limit], total, counts


def _reported_periods(
    session: Session, due: Mapping[uuid.UUID, Period], since: date
) -> dict[uuid.UUID, set[str]]:
    """Each measure's periods with an approved figure, from `since` to the latest period due, in
    one query: where an "as at" report looks back for the latest figure."""
    found: dict[uuid.UUID, set[str]] = defaultdict(set)
    if not due:
        return found
    statement = select(Actual.measure_id, Actual.period).where(
        Actual.measure_id == any_(literal(list(due), ARRAY(Uuid))),
        Actual.approved_value.is_not(None),
        Actual.period_start >= since,
        Actual.period_start <= max(p.end for p in due.values()),
    )
    for measure_id, code in session.execute(statement):
        found[measure_id].add(code)
    return found


def _as_at_periods(
    due: dict[uuid.UUID, Period], reported: Mapping[uuid.UUID, Collection[str]], since: date
) -> dict[uuid.UUID, Period]:
    """As at a date, each measure shows its latest approved figure for a period ended by then."""
    return {
        measure_id: latest_reported(period, reported.get(measure_id, set()), earliest=since)
        for measure_id, period in due.items()
    }


def series(
    session: Session,
    *,
    measure: Measure,
    from_year: FinancialYear | None = None,
    to_year: FinancialYear | None = None,
    today: date | None = None,
    as_at: date | None = None,
) -> dict[str, Any]:
    """Every period of the measure with its target, actual, RAG and direction; with `as_at`,
    only the periods ended by then."""
    frequency = Frequency(measure.frequency)
    targets = {
        t.financial_year: t
        for t in session.scalars(select(Target).where(Target.measure_id == measure.id))
    }
    actuals = {
        a.period: a for a in session.scalars(select(Actual).where(Actual.measure_id == measure.id))
    }
    reported = {
        code: a.approved_value for code, a in actuals.items() if a.approved_value is not None
    }
    last = reporting_period(frequency, latest_complete_month(today))
    if as_at is not None:
        last = min(last, period_ended_by(frequency, as_at))
    years = [FinancialYear.parse(y) for y in targets] + [Period.parse(p).year for p in actuals]
    first_year = from_year or (min(years) if years else last.year)
    final_year = to_year or max([*years, last.year])
    points: list[dict[str, Any]] = []
    current = Period(first_year, frequency, 1)
    while current.year <= final_year and current <= last:
        figures = status_for(measure, current, targets, reported)
        actual = actuals.get(current.code)
        points.append(
            {
                **figures.as_dict(),
                "status": actual.status if actual else None,
                "commentary": actual.commentary if actual else "",
            }
        )
        current = current.next()
    benchmarks = list(
        session.scalars(
            select(Benchmark)
            .where(Benchmark.measure_id == measure.id)
            .order_by(Benchmark.financial_year, Benchmark.comparator)
        )
    )
    return {
        "measure": measure,
        "points": points,
        "targets": sorted(targets.values(), key=lambda t: t.financial_year),
        "benchmarks": benchmarks,
    }


def _rags(
    session: Session, measures: list[Measure], due: Mapping[uuid.UUID, Period]
) -> dict[uuid.UUID, Rag]:
    """Each measure's RAG in its period due."""
    if not measures:
        return {}
    since = FinancialYear(min(p.year.start_year for p in due.values()) - 2).start
    targets = _targets_by_measure(
        session, [m.id for m in measures], {p.year.label for p in due.values()}
    )
    reported, _ = _actuals_by_measure(session, due, since)
    return {m.id: status_for(m, due[m.id], targets[m.id], reported[m.id]).rag for m in measures}


def service_areas(session: Session, *, period: Period) -> list[dict[str, Any]]:
    """Active measures by RAG in each service area, in the period the report is for and each
    measure's period before, with the area's direction of travel."""
    measures = list(session.scalars(measure_query(active=True)))
    due = {m.id: reporting_period(Frequency(m.frequency), period) for m in measures}
    now = _rags(session, measures, due)
    before = _rags(session, measures, {i: p.previous() for i, p in due.items()})
    areas: dict[str, list[Measure]] = defaultdict(list)
    for measure in measures:
        areas[measure.service_area or ""].append(measure)
    found: list[dict[str, Any]] = []
    for area in sorted(areas, key=lambda a: (a == "", a.lower())):
        members = areas[area]
        counts = {r.value: 0 for r in Rag}
        previous = {r.value: 0 for r in Rag}
        for measure in members:
            counts[now[measure.id].value] += 1
            previous[before[measure.id].value] += 1
        travel, improved, worsened = area_travel((now[m.id], before[m.id]) for m in members)
        found.append(
            {
                "service_area": area,
                "measures": len(members),
                "counts": counts,
                "previous_counts": previous,
                "improved": improved,
                "worsened": worsened,
                "direction": travel,
            }
        )
    return found
