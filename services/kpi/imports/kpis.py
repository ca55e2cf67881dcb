"""The service plan KPI table, read row by row: what each row would create or change, and what
could not be read. Nothing is written unless every row can be read (all or nothing).

Measures are matched to existing ones by code, else by title, so importing the same file twice
changes nothing the second time. Target columns are found by the financial year in their header
("Normal level/ Target 25/26"), so a plan may carry any number of years.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from common.headers import Column, normalise_header
from common.importing import ImportReport, ProblemKind, RowReport, Writes, read_header, write_rows
from common.mapping import period_columns
from common.periods import FinancialYear, Frequency
from common.quantities import Unit as QuantityUnit
from common.spreadsheets import Table
from services.kpi.imports.cells import (
    MEASURE_CODE,
    MEASURE_TITLES,
    CouncilTarget,
    guess_polarity,
    infer_unit,
    parse_baseline,
    parse_target,
    parse_unit,
)
from services.kpi.measures.models import Measure
from services.kpi.measures.rules import Polarity, Unit
from services.kpi.targets.models import Target
from services.kpi.targets.rules import TargetKind, TargetType

COLUMNS = (
    MEASURE_CODE,
    Column("title", "Measure", (*MEASURE_TITLES, "Activity", "Measure of success"), required=True),
    Column("definition", "Definition", ("Description", "How it is measured")),
    Column("unit", "Unit", ("Units", "Unit of measure")),
    Column(
        "polarity",
        "Better",
        ("Better bigger or smaller", "Polarity", "Good is", "Direction of travel", "Good"),
    ),
    Column("frequency", "Frequency", ("How often", "Reporting frequency")),
    Column("target_type", "Target type", ("Flat or cumulative",)),
    Column("council_plan", "Council Plan KPI", ("Council plan", "Council plan measure")),
    Column("data_provider", "Data provider", ("Data owner", "Provided by", "Lead team")),
    Column("service_area", "Service area", ("Service",)),
)
TargetColumns = dict[int, tuple[FinancialYear, QuantityUnit]]
"""Position → the financial year whose target the column holds, and its heading's unit."""
_NO_TARGET = frozenset(["", "tbc", "tbd", "n a", "na", "none", "to be confirmed", "not set"])
_POLARITY = {
    "bigger": Polarity.BIGGER_IS_BETTER,
    "higher": Polarity.BIGGER_IS_BETTER,
    "more": Polarity.BIGGER_IS_BETTER,
    "increase": Polarity.BIGGER_IS_BETTER,
    "up": Polarity.BIGGER_IS_BETTER,
    "smaller": Polarity.SMALLER_IS_BETTER,
    "lower": Polarity.SMALLER_IS_BETTER,
    "less": Polarity.SMALLER_IS_BETTER,
    "fewer": Polarity.SMALLER_IS_BETTER,
    "decrease": Polarity.SMALLER_IS_BETTER,
    "reduce": Polarity.SMALLER_IS_BETTER,
    "down": Polarity.SMALLER_IS_BETTER,
}
_FREQUENCY = {
    "monthly": Frequency.MONTHLY,
    "month": Frequency.MONTHLY,
    "quarterly": Frequency.QUARTERLY,
    "quarter": Frequency.QUARTERLY,
    "annual": Frequency.ANNUAL,
    "annually": Frequency.ANNUAL,
    "yearly": Frequency.ANNUAL,
    "year": Frequency.ANNUAL,
}
_UNITS = {
    "count": Unit.COUNT,
    "number": Unit.COUNT,
    "no": Unit.COUNT,
    "percent": Unit.PERCENT,
    "percentage": Unit.PERCENT,
    "gbp": Unit.GBP,
    "£": Unit.GBP,
    "£k": Unit.GBP,
    "pounds": Unit.GBP,
    "days": Unit.DAYS,
    "ratio": Unit.RATIO,
    "rate per 100k": Unit.RATE_PER_100K,
}
_TARGET_TYPES: dict[str, object] = {t.value: t for t in TargetType}
_YES = frozenset(["y", "yes", "true", "1"])
_NO = frozenset(["n", "no", "false", "0", ""])
_LIMITS = {"code": 40, "data_provider": 200, "service_area": 200}
_DEFAULTED = ("unit", "population_age_band", "polarity", "frequency")
_DECIMALS = {Unit.PERCENT: 1, Unit.RATE_PER_100K: 1, Unit.RATIO: 2}
_MEASURE_FIELDS = (
    "code",
    "title",
    "definition",
    "unit",
    "population_age_band",
    "polarity",
    "frequency",
    "target_type",
    "council_plan",
    "data_provider",
    "service_area",
    "baseline_value",
    "baseline_period",
)


# Councils' cells repeat ("Number", "Bigger", "Monthly", "65%"): each is read once per import.
_normal = lru_cache(maxsize=8192)(normalise_header)
_target = lru_cache(maxsize=8192)(parse_target)
_unit = lru_cache(maxsize=1024)(parse_unit)


@dataclass
class _Parsed:
    report: RowReport
    measure: dict[str, object]
    targets: dict[str, CouncilTarget]
    existing: Row[Any] | None = None
    """The measure's stored fields, if it exists (read as plain rows: quicker than entities)."""
    stored_targets: dict[str, Any] = field(default_factory=dict)
    """The existing measure's targets by financial year, as plain rows."""
    defaulted: tuple[str, ...] = ()
    """Fields the table has no column for, given a default: a measure kept already keeps its own."""


_TARGET_WORDS = frozenset(["target", "targets", "normal", "level", "aim", "ambition", "goal"])


def target_columns(headers: list[str], mapping: Mapping[str, str] | None = None) -> TargetColumns:
    """Headers that hold a year's target: a financial year with "target" ("Target 25/26",
    "Normal level/ Target 2025/26") or alone ("2027/28"), or mapped to a value for each year;
    each with the unit its heading gives ("Target 2025/26 £k").

    >>> {p: str(y) for p, (y, _) in target_columns(["KPI", "Target 2025/26", "2026/27 %"]).items()}
    {1: '2025/26', 2: '2026/27'}
    """
    found = period_columns(
        headers,
        mapping or {},
        fits=lambda words: words <= _TARGET_WORDS,
        frequencies=(Frequency.ANNUAL,),
    )
    return {c.position: (c.period.year, c.unit) for c in found}


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def _choice(text: str, options: Mapping[str, object]) -> object | None:
    cleaned = _normal(text)
    if cleaned in options:
        return options[cleaned]
    first = cleaned.split(" ", 1)[0] if cleaned else ""
    return options.get(first)


def parse_row(
    report: RowReport,
    cells: dict[str, str],
    targets: dict[str, tuple[FinancialYear, str, QuantityUnit]],
    columns: dict[str, str],
    frequency: Frequency | None = None,
) -> _Parsed:
    """Read one row's cells (by field) into measure fields and targets, noting each problem. A
    table without a unit column gives each KPI the unit its title says, one without a "better"
    column a guessed polarity (marked "please check"), and one without a frequency column the
    one `frequency` chosen for the file."""
    measure: dict[str, object] = {}
    for key in ("code", "title", "definition", "data_provider", "service_area"):
        if key in cells:
            measure[key] = cells[key]
            limit = _LIMITS.get(key)
            if limit and len(cells[key]) > limit:
                report.problem(
                    columns[key], f"is longer than {limit} characters", ProblemKind.TOO_LONG
                )
    if not cells.get("title"):
        report.problem(columns["title"], "the measure has no title", ProblemKind.MISSING_CELL)
    if "unit" in cells:
        text = cells["unit"]
        unit: Unit | None
        band: str | None
        try:
            unit, band = _unit(text)
        except KeyError:
            unit, band = _UNITS.get(_normal(text)), None
        if unit is None:
            report.problem(
                columns["unit"],
                f"could not read '{text}' as a unit (%, £, Number, Days, Ratio or "
                "Rate per 100k population)",
                ProblemKind.NOT_A_CHOICE,
            )
        else:
            measure["unit"], measure["population_age_band"] = unit.value, band
    title, definition = cells.get("title", ""), cells.get("definition", "")
    where = columns.get("title", "")
    if "unit" not in cells and title:
        unit, band = infer_unit(title, definition)
        measure["unit"], measure["population_age_band"] = unit.value, band
        report.problem(
            where, f"unit read from the title: {unit.value}", ProblemKind.DEFAULTED, blocking=False
        )
    if "polarity" not in cells and title:
        measure["polarity"] = guess_polarity(title, definition).value
        better = "bigger" if measure["polarity"] == Polarity.BIGGER_IS_BETTER else "smaller"
        report.problem(
            where,
            f"{better} is better, guessed: please check",
            ProblemKind.DEFAULTED,
            blocking=False,
        )
    if "frequency" not in cells:
        measure["frequency"] = str(frequency or Frequency.QUARTERLY)
    for key, options, expected in (
        ("polarity", _POLARITY, "Bigger or Smaller"),
        ("frequency", _FREQUENCY, "Monthly, Quarterly or Annual"),
        ("target_type", _TARGET_TYPES, "Flat, Cumulative or Profiled"),
    ):
        if key not in cells:
            continue
        value = _choice(cells[key], options)
        if value is None:
            report.problem(
                columns[key],
                f"could not read '{cells[key]}' as {expected}",
                ProblemKind.NOT_A_CHOICE,
            )
        else:
            measure[key] = str(value)
    if "council_plan" in cells:
        answer = cells["council_plan"].strip().lower()
        if answer in _YES or answer in _NO:
            measure["council_plan"] = answer in _YES
        else:
            report.problem(
                columns["council_plan"],
                f"could not read '{answer}' as Y or N",
                ProblemKind.NOT_A_CHOICE,
            )

    parsed: dict[str, CouncilTarget] = {}
    for header, (year, text, scale) in targets.items():
        if _normal(text) in _NO_TARGET:
            if text:
                report.problem(
                    header,
                    f"no target set for {year} ('{text}' kept)",
                    ProblemKind.DEFAULTED,
                    blocking=False,
                )
            continue
        try:
            target = _target(text, scale)
        except (InvalidOperation, ValueError):
            report.problem(header, f"could not read '{text}' as a number", ProblemKind.NOT_A_NUMBER)
            continue
        note = target.note or (text if text != str(target.value) else "")
        parsed[str(year)] = CouncilTarget(target.value, target.kind, note)
    if parsed:
        baseline = parse_baseline(*[t.note for t in parsed.values()], cells.get("definition", ""))
        if baseline is not None:
            first = FinancialYear.parse(min(parsed))
            measure["baseline_value"] = baseline
            measure["baseline_period"] = str(FinancialYear(first.start_year - 1))
        reductions = [
            h
            for h, (y, _, _) in targets.items()
            if str(y) in parsed and parsed[str(y)].kind is TargetKind.REDUCTION
        ]
        if reductions and baseline is None:
            year, text, _ = targets[reductions[0]]
            report.problem(
                reductions[0],
                f"'{text}' is a reduction: set the measure's baseline so the {year} level to "
                "reach can be worked out",
                ProblemKind.DEFAULTED,
                blocking=False,
            )
    defaulted = tuple(k for k in _DEFAULTED if k in measure and k not in cells)
    if "unit" in cells:
        defaulted = tuple(k for k in defaulted if k != "population_age_band")
    return _Parsed(report, measure, parsed, defaulted=defaulted)


def read_rows(
    table: Table, filename: str, frequency: Frequency | None = None
) -> tuple[ImportReport, list[_Parsed]]:
    """Every row read; a file without the columns a KPI needs is refused outright."""
    years = target_columns(table.headers, table.mapping)
    match = read_header(table, COLUMNS, "a KPI", taken=years)
    more = {f"target {year}": table.headers[p] for p, (year, _) in years.items()}
    report = ImportReport.of("kpis", filename, match, more)
    parsed = []
    for row, by_field, cells in report.each_row(table, match):
        by_year = {table.headers[p]: (year, cells[p], unit) for p, (year, unit) in years.items()}
        parsed.append(parse_row(row, by_field, by_year, report.columns, frequency))
    return report, parsed


def _same(current: object, wanted: object) -> bool:
    if isinstance(wanted, Decimal) and current is not None:
        return Decimal(str(current)) == wanted
    return current == wanted


def plan(
    session: Session, table: Table, filename: str, frequency: Frequency | None = None
) -> tuple[ImportReport, list[_Parsed]]:
    """What importing `table` would do: each row's action against the measures there already;
    `frequency` is every KPI's when the table has no frequency column."""
    report, parsed = read_rows(table, filename, frequency)
    measures = session.execute(
        select(
            Measure.id,
            Measure.org_id,
            Measure.version,
            *(getattr(Measure, k) for k in _MEASURE_FIELDS),
        )
    )
    by_code: dict[str, Row[Any]] = {}
    by_title: dict[str, Row[Any]] = {}
    for stored in measures:
        by_code[stored.code.lower()] = stored
        by_title[_words(stored.title)] = stored
    targets: dict[uuid.UUID, dict[str, Any]] = {}
    for target in session.execute(
        select(
            Target.id,
            Target.org_id,
            Target.version,
            Target.measure_id,
            Target.financial_year,
            Target.value,
            Target.kind,
            Target.note,
        )
    ):
        targets.setdefault(target.measure_id, {})[target.financial_year] = target
    seen: dict[str, int] = {}
    for item in parsed:
        row, measure = item.report, item.measure
        code = str(measure.get("code") or "").lower()
        title = _words(str(measure.get("title") or ""))
        key = f"code {code}" if code else f"title {title}"
        row.key = str(measure.get("code") or measure.get("title") or "")
        if key in seen and title:
            row.problem(
                report.columns.get("code" if code else "title", "title"),
                f"repeats the measure of row {seen[key]}",
                ProblemKind.DUPLICATE,
            )
        seen.setdefault(key, row.row)
        item.existing = by_code.get(code) if code else by_title.get(title)
        if item.existing is None and not code:
            item.existing = by_title.get(title)
        where_guessed = report.columns.get("title", "") if item.defaulted else None
        if item.existing is not None:
            for name in item.defaulted:
                if name != "frequency" or frequency is None:
                    measure.pop(name, None)
            # A measure kept already keeps its unit, polarity and frequency: no guesses shown.
            row.problems = [p for p in row.problems if p.blocking or p.column != where_guessed]
        row.fields = dict(measure) | {
            f"target {year}": {"value": t.value, "kind": t.kind.value, "note": t.note}
            for year, t in item.targets.items()
        }
        if item.existing is None:
            row.action = "create"
            continue
        changed = [
            k
            for k in _MEASURE_FIELDS
            if k in measure and k != "code" and not _same(getattr(item.existing, k), measure[k])
        ]
        have = item.stored_targets = targets.get(item.existing.id, {})
        for year, wanted in item.targets.items():
            current = have.get(year)
            if (
                current is None
                or not _same(current.value, wanted.value)
                or current.kind != wanted.kind.value
                or current.note != wanted.note
            ):
                changed.append(f"target {year}")
        row.action = row.changes(changed)
        row.key = item.existing.code
    return report, parsed


def _new_codes(session: Session, count: int, in_file: set[str]) -> list[str]:
    """Codes for measures the file gives none, taken by neither a measure nor another row."""
    taken = {c.lower() for c in session.scalars(select(Measure.code))} | in_file
    codes: list[str] = []
    number = 0
    while len(codes) < count:
        number += 1
        code = f"KPI{number:02d}"
        if code.lower() not in taken:
            codes.append(code)
    return codes


def commit(session: Session, parsed: list[_Parsed]) -> None:
    """Write every row (the caller has checked none is blocked); the session's commit makes it
    all or nothing. Measures and targets are created and changed in bulk (`common.bulk`), each
    change with its audit row."""
    org_id = session.info["org_id"]
    uncoded = [p for p in parsed if p.existing is None and not p.measure.get("code")]
    in_file = {str(p.measure["code"]).lower() for p in parsed if p.measure.get("code")}
    fresh_codes = iter(_new_codes(session, len(uncoded), in_file))
    updating = [p for p in parsed if p.existing is not None and p.report.action == "update"]
    # One shape for every changed measure (update_rows sets the same columns on each row): the
    # fields any row brings, each row's own value or else what it holds already.
    keys = sorted({k for p in updating for k in p.measure if k in _MEASURE_FIELDS} - {"code"})
    new_measures: list[dict[str, Any]] = []
    new_targets: list[dict[str, Any]] = []
    measure_changes: list[tuple[dict[str, Any], dict[str, Any]]] = []
    target_changes: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for item in parsed:
        if item.report.action == "unchanged":
            continue
        fields = {k: v for k, v in item.measure.items() if k in _MEASURE_FIELDS}
        if item.existing is None:
            if not fields.get("code"):
                fields["code"] = next(fresh_codes)
            unit = Unit(str(fields.get("unit", Unit.COUNT.value)))
            measure_id = uuid.uuid4()
            new_measures.append(
                {"id": measure_id, "org_id": org_id, "decimal_places": _DECIMALS.get(unit, 0)}
                | fields
            )
            item.report.key = str(fields["code"])
        else:
            stored = item.existing
            measure_id = stored.id
            before = {"id": stored.id, "org_id": stored.org_id} | {
                k: getattr(stored, k) for k in keys
            }
            after = {"id": stored.id, "version": stored.version} | {
                k: fields[k] if k in fields and not _same(before[k], fields[k]) else before[k]
                for k in keys
            }
            measure_changes.append((before, after))
        for year, wanted in item.targets.items():
            current = item.stored_targets.get(year) if item.existing is not None else None
            target = {"value": wanted.value, "kind": wanted.kind.value, "note": wanted.note}
            if current is None:
                new_targets.append(
                    {"org_id": org_id, "measure_id": measure_id, "financial_year": year} | target
                )
                continue
            was = {"value": current.value, "kind": current.kind, "note": current.note}
            if _same(was["value"], target["value"]):
                target["value"] = was["value"]  # the same figure, however it was written
            if target != was:
                target_changes.append(
                    (
                        {"id": current.id, "org_id": current.org_id} | was,
                        {"id": current.id, "version": current.version} | target,
                    )
                )
    write_rows(
        session,
        "measures",
        Writes(Measure, new_measures, measure_changes),
        Writes(Target, new_targets, target_changes),
    )
