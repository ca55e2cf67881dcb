"""The shipped library and the benchmark file's rows: reading and checking, no database.

The library is data (`data/ascof_<year>.csv`), one row a measure, with the fields its sources
did not confirm named in `unconfirmed`: nothing in it is guessed without saying so.
"""

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from common.periods import FinancialYear

DATA = Path(__file__).parent / "data"
FRAMEWORKS = {"ascof-2023-24": ("ASCOF", "2023-24", "ascof_2023_24.csv")}

UNIT_IN_PLAN = {"percent": "percent", "rate_per_100k": "rate_per_100k", "score": "ratio"}
"""How a library unit is held on a council's measure: a score (out of 24) is not additive
across periods, like a ratio."""


class LibraryMeasure(BaseModel):
    """One definition as the library ships it; the API answers it as it is (`schemas.py`)."""

    model_config = ConfigDict(frozen=True)

    key: str = Field(examples=["ascof-2023-24:2C"])
    framework: str
    year: str
    national_id: str
    title: str
    definition: str
    numerator: str
    denominator: str
    unit: str
    polarity: str
    predecessor_id: str
    source: str
    unconfirmed: tuple[str, ...] = Field(description="Fields no source read could confirm.")
    note: str


@cache
def library() -> tuple[LibraryMeasure, ...]:
    """Every measure shipped, in framework order."""
    measures: list[LibraryMeasure] = []
    for framework, year, filename in FRAMEWORKS.values():
        with (DATA / filename).open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                measures.append(
                    LibraryMeasure(
                        key=f"{framework.lower()}-{year}:{row['national_id']}",
                        framework=framework,
                        year=year,
                        national_id=row["national_id"],
                        title=row["title"],
                        definition=row["definition"],
                        numerator=row["numerator"],
                        denominator=row["denominator"],
                        unit=row["unit"],
                        polarity=row["polarity"],
                        predecessor_id=row["predecessor_id"],
                        source=row["source"],
                        unconfirmed=tuple(f for f in row["unconfirmed"].split(";") if f),
                        note=row["note"],
                    )
                )
    return tuple(measures)


def by_key() -> dict[str, LibraryMeasure]:
    return {m.key: m for m in library()}


@dataclass(frozen=True)
class BenchmarkRow:
    row: int
    area_code: str
    area_name: str
    financial_year: str | None
    value: Decimal | None
    problem: str | None
    suppressed: bool = False


SUPPRESSED = {"", "x", ":", "..", "*", "c", "[c]", "[x]", "-"}
"""How national tables write a value withheld or not available: skipped, not an error."""
COLUMNS = {
    "area code": "area_code",
    "area_code": "area_code",
    "code": "area_code",
    "area name": "area_name",
    "area_name": "area_name",
    "area": "area_name",
    "period": "period",
    "year": "period",
    "value": "value",
}


def read_benchmarks(text: str) -> tuple[list[BenchmarkRow], list[str]]:
    """Rows of a benchmark file (area code, area name, period, value), each parsed or with its
    problem; and the file's own problems (missing columns).

    >>> text = "Area code,Area name,Period,Value\\nE92000001,England,2023-24,79.4\\n"
    >>> rows, problems = read_benchmarks(text)
    >>> rows[0].area_name, rows[0].financial_year, rows[0].value, problems
    ('England', '2023/24', Decimal('79.4'), [])
    """
    reader = csv.DictReader(text.splitlines())
    found = {COLUMNS.get((h or "").strip().lower()): h for h in reader.fieldnames or []}
    missing = [c for c in ("area_code", "area_name", "period", "value") if c not in found]
    if missing:
        return [], [f"The file has no {', '.join(m.replace('_', ' ') for m in missing)} column"]
    rows: list[BenchmarkRow] = []
    for number, record in enumerate(reader, start=2):
        cell = {name: (record.get(header) or "").strip() for name, header in found.items() if name}
        code, name, period, raw = (
            cell["area_code"],
            cell["area_name"],
            cell["period"],
            cell["value"],
        )
        if not any(cell.values()):
            continue
        problem = None
        year: str | None = None
        value: Decimal | None = None
        try:
            year = FinancialYear.parse(period.replace("-", "/")).label
        except ValueError:
            problem = f'"{period}" is not a financial year; write it like "2023-24" or "2023/24"'
        if not name:
            problem = problem or "The area name is empty"
        elif len(name) > 40:
            problem = problem or f'The area name "{name}" is longer than 40 characters'
        if raw.lower() in SUPPRESSED:
            rows.append(BenchmarkRow(number, code, name, year, None, problem, suppressed=True))
            continue
        try:
            value = Decimal(raw.replace(",", "").removesuffix("%"))
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            problem = problem or f'"{raw}" is not a number'
            value = None
        rows.append(BenchmarkRow(number, code, name, year, value, problem))
    return rows, []
