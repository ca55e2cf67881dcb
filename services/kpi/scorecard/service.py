"""Reading measures against their targets: a measure's series and the scorecard for a period."""

import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from common.pagination import PageParams
from common.periods import FinancialYear, Frequency, Period
from services.kpi.actuals.models import Actual
from services.kpi.benchmarks.models import Benchmark
from services.kpi.measures.models import Measure
from services.kpi.measures.rules import Polarity, ToleranceKind, Unit
from services.kpi.measures.service import measure_query
from services.kpi.scorecard.rules import Rag, direction, rag, reporting_period, year_to_date
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

    def as_dict(self) -> dict[str, Any]:
        return {
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
    target_row = targets.get(period.year.label)
    target: Decimal | None = None
    if target_row is not None:
        annual = effective_target(
            Decimal(target_row.value), TargetKind(target_row.kind), measure.baseline_value
        )
        profile = [Decimal(v) for v in target_row.profile] if target_row.profile else None
        target = target_for_period(annual, target_type, period, unit=unit, profile=profile)
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
    )


def _targets_by_measure(
    session: Session, measure_ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[str, Any]]:
    """Each measure's targets by year, as plain rows: a scorecard reads hundreds of them."""
    found: dict[uuid.UUID, dict[str, Any]] = defaultdict(dict)
    columns = (Target.measure_id, Target.financial_year, Target.value, Target.kind, Target.profile)
    for target in session.execute(select(*columns).where(Target.measure_id.in_(measure_ids))):
        found[target.measure_id][target.financial_year] = target
    return found


def _reported_by_measure(
    session: Session, measure_ids: list[uuid.UUID], since: date, until: date
) -> dict[uuid.UUID, dict[str, Decimal]]:
    found: dict[uuid.UUID, dict[str, Decimal]] = defaultdict(dict)
    rows = session.execute(
        select(Actual.measure_id, Actual.period, Actual.approved_value).where(
            Actual.measure_id.in_(measure_ids),
            Actual.approved_value.is_not(None),
            Actual.period_start >= since,
            Actual.period_start <= until,
        )
    )
    for measure_id, period, value in rows:
        if value is not None:
            found[measure_id][period] = value
    return found


def scorecard(
    session: Session,
    *,
    period: Period,
    page: PageParams,
    rag_filter: Rag | None = None,
    sort: str = "code",
    **filters: Any,
) -> tuple[list[dict[str, Any]], int, dict[str, int]]:
    """Every measure's status in the period the report is for: rows, total and counts by RAG."""
    measures = list(session.scalars(measure_query(**filters)))
    ids = [m.id for m in measures]
    targets = _targets_by_measure(session, ids)
    since = FinancialYear(period.year.start_year - 2).start
    reported = _reported_by_measure(session, ids, since, period.end)
    due = {m.id: reporting_period(Frequency(m.frequency), period) for m in measures}
    entries: dict[tuple[uuid.UUID, str], Any] = {}
    if measures:
        # Plain rows, not ORM objects: this is read-only and runs for every measure.
        keys = [(m.id, _code(due[m.id])) for m in measures]
        statement = select(*Actual.__table__.columns).where(
            tuple_(Actual.measure_id, Actual.period).in_(keys)
        )
        entries = {(a.measure_id, a.period): a for a in session.execute(statement)}

    rows: list[dict[str, Any]] = []
    for measure in measures:
        measure_period = due[measure.id]
        figures = status_for(measure, measure_period, targets[measure.id], reported[measure.id])
        trend_codes = _trend_codes(measure_period)
        rows.append(
            {
                **figures.as_dict(),
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


def series(
    session: Session,
    *,
    measure: Measure,
    from_year: FinancialYear | None = None,
    to_year: FinancialYear | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Every period of the measure with its target, actual, RAG and direction."""
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
