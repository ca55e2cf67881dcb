"""Reading a service plan's KPI cells as councils write them: "65%", "1,102", "£376k reduction",
"Current baseline 19% / Target level of 30%", "Rate per 100k population of 65+".

Used by the demo data and by the KPI import.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from common.money import parse_money
from common.quantities import read_amount
from services.kpi.measures.rules import Unit
from services.kpi.targets.rules import TargetKind


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


def parse_target(text: str) -> CouncilTarget:
    """A target cell as the council wrote it.

    >>> parse_target("1,102").value, parse_target("65%").value
    (Decimal('1102'), Decimal('65'))
    >>> parse_target("Current baseline 19% / Target level of 30%")
    CouncilTarget(value=Decimal('30'), kind=<TargetKind.LEVEL: 'level'>, note='Current baseline 19% / Target level of 30%')
    >>> parse_target("£376k reduction").value
    Decimal('376000.00')
    """  # noqa: E501
    cell = text.strip()
    if match := re.fullmatch(r"(£\S+)\s+reduction", cell, re.IGNORECASE):
        return CouncilTarget(parse_money(match[1]), TargetKind.REDUCTION, cell)
    if match := re.search(r"target level of\s*([\d.,]+)\s*%?", cell, re.IGNORECASE):
        return CouncilTarget(Decimal(match[1].replace(",", "")), TargetKind.LEVEL, cell)
    return CouncilTarget(read_amount(cell), TargetKind.LEVEL, "")


def parse_baseline(*texts: str) -> Decimal | None:
    """A baseline the council mentioned ("Current baseline 19%", "current baseline 131")."""
    for text in texts:
        if match := re.search(r"baseline\s+([\d.,]+)", text, re.IGNORECASE):
            return Decimal(match[1].replace(",", ""))
    return None
