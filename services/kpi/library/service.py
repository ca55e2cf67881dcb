"""Use cases of the national library: adopt definitions as measures, import benchmarks
(keyword-only; flush, never commit)."""

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import crud
from common.audit import declare_no_change
from common.errors import Conflict, FieldError, ValidationFailed
from common.read_shapes import read_shape
from services.kpi.benchmarks.models import Benchmark
from services.kpi.library import rules
from services.kpi.library.models import LibraryAdoption
from services.kpi.library.schemas import (
    AdoptRequest,
    BenchmarkImportResult,
    BenchmarkImportRow,
    LibraryMeasureRead,
)
from services.kpi.measures.models import Measure


def list_library(session: Session) -> list[LibraryMeasureRead]:
    """Every shipped definition, with the caller's measure adopted from it."""
    adopted = {a.library_key: a.measure_id for a in session.scalars(select(LibraryAdoption))}
    return [
        LibraryMeasureRead(**m.model_dump(), adopted_measure_id=adopted.get(m.key))
        for m in rules.library()
    ]


def adopt(session: Session, *, data: AdoptRequest) -> list[LibraryAdoption]:
    """Add each chosen definition to the plan as a measure, all or none: its code is the
    national id ("ASCOF 2C"), its national reference the id benchmarks line up on."""
    library = rules.by_key()
    errors = [
        FieldError(f"keys.{i}", f'"{key}" is not in the library')
        for i, key in enumerate(data.keys)
        if key not in library
    ]
    crud.fail(errors)
    keys = list(dict.fromkeys(data.keys))
    already = set(
        session.scalars(
            select(LibraryAdoption.library_key).where(LibraryAdoption.library_key.in_(keys))
        )
    )
    if already:
        raise Conflict(f"Already adopted: {', '.join(sorted(already))}.")
    adoptions: list[LibraryAdoption] = []
    for key in keys:
        definition = library[key]
        code = f"{definition.framework} {definition.national_id}"
        if session.scalar(select(Measure.id).where(Measure.code == code)):
            raise ValidationFailed(
                f'The plan already has a measure with code "{code}".',
                errors=[FieldError("keys", f'A measure "{code}" already exists: rename it first')],
            )
        measure = crud.save(
            session,
            Measure(),
            {
                "code": code,
                "title": definition.title,
                "definition": definition.definition,
                "numerator_definition": definition.numerator,
                "denominator_definition": definition.denominator,
                "unit": rules.UNIT_IN_PLAN[definition.unit],
                "decimal_places": 1,
                "polarity": definition.polarity,
                "frequency": "annual",
                "data_provider": data.data_provider,
                "service_area": data.service_area,
                "national_reference": code,
            },
        )
        adoptions.append(
            crud.save(
                session,
                LibraryAdoption(),
                {
                    "measure_id": measure.id,
                    "library_key": key,
                    "framework": definition.framework,
                    "framework_year": definition.year,
                    "national_id": definition.national_id,
                },
            )
        )
    return adoptions


def list_adoptions(session: Session) -> list[LibraryAdoption]:
    return list(session.scalars(select(LibraryAdoption).order_by(LibraryAdoption.library_key)))


def import_benchmarks(
    session: Session, *, measure: Measure, text: str, filename: str, apply: bool
) -> BenchmarkImportResult:
    """Read a national benchmarking export (area code, area name, period, value) into the
    measure's benchmarks, all or nothing: a row per line with what it would do, and nothing
    written while any row has an error or when only previewing."""
    parsed, problems = rules.read_benchmarks(text)
    existing = {
        (b.financial_year, b.comparator): b
        for b in session.scalars(select(Benchmark).where(Benchmark.measure_id == measure.id))
    }
    seen: set[tuple[str | None, str]] = set()
    rows: list[BenchmarkImportRow] = []
    for item in parsed:
        if item.problem:
            outcome, message = "error", item.problem
        elif item.suppressed:
            outcome, message = "skip", "No value published (suppressed or not available)"
        elif (item.financial_year, item.area_name) in seen:
            outcome, message = (
                "error",
                f"{item.area_name} {item.financial_year} is in the file twice",
            )
        else:
            old = existing.get((item.financial_year or "", item.area_name))
            if old is None:
                outcome, message = "new", ""
            elif old.value == item.value:
                outcome, message = "unchanged", ""
            else:
                outcome, message = "update", f"was {old.value}"
        seen.add((item.financial_year, item.area_name))
        rows.append(read_shape(BenchmarkImportRow, item, outcome=outcome, message=message))
    counts = Counter(r.outcome for r in rows)
    if not rows and not problems:
        problems = ["The file has no rows"]
    ok = not problems and counts["error"] == 0
    if apply and not ok:
        errors = [FieldError("file", p) for p in problems] + [
            FieldError(f"rows.{r.row}", f"Row {r.row}: {r.message}")
            for r in rows
            if r.outcome == "error"
        ]
        raise ValidationFailed("Nothing was imported: the file has errors.", errors=errors)
    if not apply or not (counts["new"] or counts["update"]):
        declare_no_change("preview" if not apply else "unchanged")
    if apply and ok:
        source = f"{filename} (area code {{code}})" if filename else "area code {code}"
        for row in rows:
            if row.outcome not in {"new", "update"}:
                continue
            assert row.financial_year is not None
            assert row.value is not None
            old = existing.get((row.financial_year, row.area_name))
            crud.save(
                session,
                old or Benchmark(),
                {
                    "measure_id": measure.id,
                    "financial_year": row.financial_year,
                    "comparator": row.area_name,
                    "value": row.value,
                    "source": source.format(code=row.area_code)[:1000],
                },
            )
    return BenchmarkImportResult(
        measure_id=measure.id,
        applied=apply and ok,
        counts=dict(counts),
        rows=rows,
        problems=problems,
    )
