"""Reading a service plan's KPI cells as councils write them: "65%", "1,102", "£376k reduction",
"Current baseline 19% / Target level of 30%", "Rate per 100k population of 65+".

Used by the demo data and by the KPI imports (the KPI table and a file of actuals).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from common.headers import Column
from common.money import parse_money
from common.quantities import PLAIN, read_amount
from common.quantities import Unit as QuantityUnit
from common.shapes import age_band
from services.kpi.measures.rules import Polarity, Unit
from services.kpi.targets.rules import TargetKind

MEASURE_CODE = Column(
    "code", "Code", ("Measure code", "KPI code", "Reference", "Ref", "KPI reference")
)
"""The column that names a measure by its code, in the KPI table and in a file of actuals."""
MEASURE_TITLES = (
    "Measure title",
    "KPI",
    "Title",
    "Indicator",
    "Performance indicator",
    "KPI measure",
)
"""How councils head the column that names a measure by its title ("Measure" itself aside)."""


@dataclass(frozen=True)
class CouncilTarget:
    value: Decimal
    kind: TargetKind
    note: str


def parse_unit(text: str) -> tuple[Unit, str | None]:
    """The unit, and the population age band a rate is per.

    >>> parse_unit("Rate per 100k population of 65+")
    (<Unit.RATE_PER_100K: 'rate_per_100k'>, '65+')
    """
    cleaned = text.strip().lower()
    if cleaned.startswith("rate per 100k"):
        band = re.search(r"of\s+(\d+\+)", cleaned)
        return Unit.RATE_PER_100K, band.group(1) if band else "all ages"
    return {"%": Unit.PERCENT, "£": Unit.GBP, "number": Unit.COUNT}[cleaned], None


def parse_target(text: str, unit: QuantityUnit = PLAIN) -> CouncilTarget:
    """A target cell as the council wrote it.

    >>> parse_target("1,102").value, parse_target("65%").value
    (Decimal('1102'), Decimal('65'))
    >>> parse_target("Current baseline 19% / Target level of 30%")
    CouncilTarget(value=Decimal('30'), kind=<TargetKind.LEVEL: 'level'>, note='Current baseline 19% / Target level of 30%')
    >>> parse_target("£376k reduction").value
    Decimal('376000.00')
    >>> parse_target("1.5", QuantityUnit("money", 1_000)).value
    Decimal('1500.0')
    """  # noqa: E501
    cell = text.strip()
    if match := re.fullmatch(r"(£\S+)\s+reduction", cell, re.IGNORECASE):
        return CouncilTarget(parse_money(match[1]), TargetKind.REDUCTION, cell)
    if match := re.search(r"target level of\s*([\d.,]+)\s*%?", cell, re.IGNORECASE):
        return CouncilTarget(Decimal(match[1].replace(",", "")), TargetKind.LEVEL, cell)
    return CouncilTarget(read_amount(cell, unit), TargetKind.LEVEL, "")


def parse_baseline(*texts: str) -> Decimal | None:
    """A baseline the council mentioned ("Current baseline 19%", "current baseline 131")."""
    for text in texts:
        if match := re.search(r"baseline\s+([\d.,]+)", text, re.IGNORECASE):
            return Decimal(match[1].replace(",", ""))
    return None


_SMALLER = re.compile(
    r"\b(fewer|reduc\w*|admissions?|delay\w*|waiting|wait|complaints?|overdue|backlog|"
    r"re-?admi\w*|falls|safeguarding concerns|out of area|vacanc\w*|sickness)\b",
    re.IGNORECASE,
)


def infer_unit(title: str, definition: str = "") -> tuple[Unit, str | None]:
    """The unit a KPI without a unit column is in, from its title and definition, and the age
    band of a rate ("aged 65+", "18-64").

    >>> infer_unit("% of people aged 65+ at home 91 days after reablement")
    (<Unit.PERCENT: 'percent'>, None)
    >>> infer_unit("Admissions to care homes per 100,000 aged 18-64")
    (<Unit.RATE_PER_100K: 'rate_per_100k'>, '18-64')
    >>> infer_unit("Number of carers' assessments"), infer_unit("Spend on agency staff (£)")
    ((<Unit.COUNT: 'count'>, None), (<Unit.GBP: 'gbp'>, None))
    """
    text = f"{title} {definition}"
    if re.search(r"per\s*100(,?000|k)\b", text, re.IGNORECASE):
        return Unit.RATE_PER_100K, age_band(text) or "all ages"
    if re.search(r"%|\bper ?cent(age)?\b|\bproportion\b", text, re.IGNORECASE):
        return Unit.PERCENT, None
    if "£" in text or re.search(r"\b(cost|spend|budget)\b", text, re.IGNORECASE):
        return Unit.GBP, None
    if re.search(r"\b(days|weeks)\b", title, re.IGNORECASE):
        return Unit.DAYS, None
    return Unit.COUNT, None


def guess_polarity(title: str, definition: str = "") -> Polarity:
    """Whether more is better, guessed from the words of a KPI's title (admissions, delays and
    waits are better smaller); the import marks the guess "please check".

    >>> guess_polarity("Permanent admissions to care homes"), guess_polarity("Carers supported")
    (<Polarity.SMALLER_IS_BETTER: 'smaller_is_better'>, <Polarity.BIGGER_IS_BETTER: 'bigger_is_better'>)
    """  # noqa: E501
    if _SMALLER.search(title) or _SMALLER.search(definition):
        return Polarity.SMALLER_IS_BETTER
    return Polarity.BIGGER_IS_BETTER
