"""Demo data: the 12 KPIs of a real council's ASC service plan (2025-28) with their 36 annual
targets as the council wrote them, and generated actuals labelled "Demo data".

The measures and targets come from `demo_data/kpis.csv`, the council's own table. The actuals are
invented (seeded, so every load is the same) so that every RAG state shows on the tracker.
"""

import csv
import random
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from common.periods import FinancialYear, Frequency, Period
from services.kpi.actuals.models import Actual, ActualRevision
from services.kpi.benchmarks.models import Benchmark
from services.kpi.imports.cells import parse_baseline, parse_target, parse_unit
from services.kpi.measures.models import Measure
from services.kpi.measures.rules import Polarity, ToleranceKind, Unit
from services.kpi.populations.models import Population
from services.kpi.scorecard.rules import reporting_period
from services.kpi.targets.models import Target
from services.kpi.targets.rules import TargetKind, TargetType, effective_target, target_for_period

CSV_PATH = Path(__file__).parent / "demo_data" / "kpis.csv"
YEARS = ("2025/26", "2026/27", "2027/28")
TARGET_COLUMNS = (
    "Normal level/ Target 25/26",
    "Normal level/ Target 26/27",
    "Normal level/ Target 27/28",
)
DEMO = "Demo data"
APPROVER = "ASC Leadership Team (demo)"
DEMO_AREA = "Demo Council"
SUPPORTED_LIVING_BASELINE = Decimal(5_200_000)
"""An invented 2024/25 spend that the council's "£376k reduction" is taken from (demo only)."""

# How each measure's generated figures sit against target, in multiples of its amber tolerance:
# below 0 is better than target (Green), 0-1 within tolerance (Amber), above 1 beyond it (Red).
SCENARIOS = (-0.6, 0.5, -0.8, 0.5, 2.0, -0.6, 2.2, 0.6, -0.7, 1.8, 0.5, -0.5)
AWAITING_APPROVAL = 9
"""The measure (1-based) whose latest figure is still waiting for approval: "No data"."""
BASELINE_YEAR_ACTUALS = 12
"""The measure with figures for 2024/25, the year before targets ("No target")."""


def council_rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def build_measures() -> list[tuple[Measure, list[Target]]]:
    """The council's measures and targets, not yet added to a session."""
    built: list[tuple[Measure, list[Target]]] = []
    for number, row in enumerate(council_rows(), start=1):
        unit, age_band = parse_unit(row["Unit"])
        targets = [parse_target(row[column]) for column in TARGET_COLUMNS]
        baseline = parse_baseline(row[TARGET_COLUMNS[0]], row["Definition"])
        reduction = any(t.kind is TargetKind.REDUCTION for t in targets)
        if reduction and baseline is None:
            baseline = SUPPORTED_LIVING_BASELINE
        measure = Measure(
            code=f"ASC{number:02d}",
            title=row["Measure"].strip(),
            definition=row["Definition"].strip(),
            unit=unit.value,
            decimal_places={Unit.PERCENT: 1, Unit.RATE_PER_100K: 1}.get(unit, 0),
            polarity=(
                Polarity.BIGGER_IS_BETTER
                if row["Better (bigger or smaller)"].strip().lower() == "bigger"
                else Polarity.SMALLER_IS_BETTER
            ).value,
            frequency=Frequency(row["Frequency (monthly, quarterly)"].strip().lower()).value,
            target_type=TargetType(row["Target type (flat or cumulative)"].strip().lower()).value,
            council_plan=row["Council Plan KPI (Y/N)"].strip().upper() == "Y",
            data_provider=row["Data Provider"].strip(),
            service_area="Adult Social Care",
            baseline_value=baseline,
            baseline_period="2024/25" if baseline is not None else None,
            tolerance_kind=(ToleranceKind.ABSOLUTE if reduction else ToleranceKind.PERCENT).value,
            tolerance=Decimal(50_000) if reduction else Decimal(5),
            population_area=DEMO_AREA if age_band else None,
            population_age_band=age_band,
        )
        built.append(
            (
                measure,
                [
                    Target(financial_year=year, value=t.value, kind=t.kind.value, note=t.note)
                    for year, t in zip(YEARS, targets, strict=True)
                ],
            )
        )
    return built


def _periods(frequency: Frequency, first: FinancialYear, last: Period) -> Iterator[Period]:
    current = Period(first, frequency, 1)
    while current <= last:
        yield current
        current = current.next()


def generated_value(
    measure: Measure,
    target: Target | None,
    period: Period,
    shortfall: float,
    rng: random.Random,
) -> Decimal:
    """A figure `shortfall` tolerances worse than the period's target (better when negative)."""
    unit, polarity = Unit(measure.unit), Polarity(measure.polarity)
    target_type = TargetType(measure.target_type)
    if target is None:  # the year before targets: near the baseline
        level = measure.baseline_value or Decimal(100)
        return _round(level * Decimal(str(1 + rng.uniform(-0.04, 0.04))), measure)
    annual = effective_target(
        Decimal(target.value), TargetKind(target.kind), measure.baseline_value
    )
    assert annual is not None
    per_period = target_for_period(annual, TargetType.FLAT, period, unit=unit)
    assert per_period is not None
    if target_type is TargetType.CUMULATIVE and unit.additive:
        per_period = annual / period.frequency.periods_per_year
    allowed = (
        Decimal(measure.tolerance)
        if ToleranceKind(measure.tolerance_kind) is ToleranceKind.ABSOLUTE
        else abs(per_period) * Decimal(measure.tolerance) / 100
    )
    wobble = rng.uniform(-0.15, 0.15)
    miss = allowed * Decimal(str(shortfall + wobble))
    value = per_period - miss if polarity is Polarity.BIGGER_IS_BETTER else per_period + miss
    if unit is Unit.PERCENT:
        value = min(max(value, Decimal(0)), Decimal(100))
    return _round(value, measure)


def _round(value: Decimal, measure: Measure) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-measure.decimal_places), rounding=ROUND_HALF_UP)


def _approved_actual(
    measure: Measure, period: Period, value: Decimal, *, commentary: str
) -> tuple[Actual, list[ActualRevision]]:
    actual = Actual(
        measure_id=measure.id,
        period=period.code,
        period_start=period.start,
        status="approved",
        value=value,
        commentary=commentary,
        approved_value=value,
        approved_revision=3,
    )
    revisions = [
        ActualRevision(
            actual_id=actual.id,
            number=n,
            action=action,
            status=status,
            value=value,
            commentary=commentary,
            changed_by=who,
        )
        for n, action, status, who in (
            (1, "created", "draft", measure.data_provider),
            (2, "submitted", "submitted", measure.data_provider),
            (3, "approved", "approved", APPROVER),
        )
    ]
    return actual, revisions


def load(session: Session, *, today: date | None = None) -> None:
    """Add the demo council's KPIs, targets and generated actuals to `session`."""
    latest_month = Period.month_of(today or date.today()).previous()
    rng = random.Random(20250401)
    session.add(
        Population(
            area=DEMO_AREA,
            age_band="65+",
            financial_year="2025/26",
            population=28_500,
            source="Demo data: an invented population",
        )
    )
    for number, (measure, targets) in enumerate(build_measures(), start=1):
        session.add(measure)
        session.flush()
        for target in targets:
            target.measure_id = measure.id
            session.add(target)
        by_year = {t.financial_year: t for t in targets}
        frequency = Frequency(measure.frequency)
        last = min(
            reporting_period(frequency, latest_month),
            Period(FinancialYear.parse(YEARS[-1]), frequency, frequency.periods_per_year),
        )
        first = FinancialYear(2024 if number == BASELINE_YEAR_ACTUALS else 2025)
        for period in _periods(frequency, first, last):
            value = generated_value(
                measure, by_year.get(period.year.label), period, SCENARIOS[number - 1], rng
            )
            actual, revisions = _approved_actual(
                measure, period, value, commentary=f"{DEMO}: a generated figure, not real."
            )
            if number == AWAITING_APPROVAL and period == last:
                actual.status, actual.approved_value, actual.approved_revision = (
                    "submitted",
                    None,
                    None,
                )
                revisions = revisions[:2]
            session.add(actual)
            session.flush()
            for revision in revisions:
                revision.actual_id = actual.id
            session.add_all(revisions)
        if measure.unit == Unit.RATE_PER_100K.value:
            session.add(
                Benchmark(
                    measure_id=measure.id,
                    financial_year="2024/25",
                    comparator="national",
                    value=Decimal(by_year[YEARS[0]].value) * Decimal("0.95"),
                    source="Demo data: an invented comparator",
                )
            )
    _add_a_correction(session)
    session.flush()


def _add_a_correction(session: Session) -> None:
    """One figure corrected after approval, so the revision history has a story to show."""
    session.flush()
    first = session.query(Actual).join(Measure, Measure.id == Actual.measure_id)
    actual = first.filter(Measure.code == "ASC01", Actual.period == "2025-04").one_or_none()
    if actual is None:
        return
    old = actual.value
    actual.value = old + 8
    actual.approved_value = actual.value
    actual.approved_revision = 6
    actual.commentary = f"{DEMO}: corrected after late returns were added."
    for number, action, status, who in (
        (4, "corrected", "draft", "Performance and Data Team"),
        (5, "submitted", "submitted", "Performance and Data Team"),
        (6, "approved", "approved", APPROVER),
    ):
        session.add(
            ActualRevision(
                actual_id=actual.id,
                number=number,
                action=action,
                status=status,
                value=actual.value,
                commentary=actual.commentary,
                changed_by=who,
            )
        )
