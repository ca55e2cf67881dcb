"""Pure rules of projects: RAG and stage, the checks on a project, who may change it, and
reading the council's own wording for project dates, budgets and resources (no I/O,
unit-tested).

Service plans write "July 2024", "Started in 2024", "£200k per annum (Better Care Fund)", "TBC".
We keep that wording and also read from it what we can, so a project can be sorted, drawn on a
timeline and added up. An import of the council's spreadsheets reuses these parsers.
"""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from common.errors import FieldError
from common.money import parse_money
from common.periods import Period, read_month
from services.projects.plan.rules import may_change_plan


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Stage(StrEnum):
    PROPOSED = "proposed"
    IN_DELIVERY = "in_delivery"
    CLOSED = "closed"


def rag_reason_errors(field: str, rag: str | None, reason: str | None) -> list[FieldError]:
    """Amber or red must say why; the reason goes in `<field>_reason`.

    >>> rag_reason_errors("rag", "amber", "")[0]["field"]
    'rag_reason'
    >>> rag_reason_errors("rag", "green", None)
    []
    """
    if rag in (Rag.AMBER, Rag.RED) and not (reason or "").strip():
        words = "at risk (amber)" if rag == Rag.AMBER else "off track (red)"
        return [FieldError(f"{field}_reason", f"Say why this is {words}")]
    return []


def month_order_errors(start: date | None, end: date | None) -> list[FieldError]:
    """The end month may not come before the start month.

    >>> month_order_errors(date(2025, 4, 1), date(2025, 3, 1))[0]["field"]
    'end_month'
    """
    if start is not None and end is not None and end < start:
        return [FieldError("end_month", "The end month must be the same as or after the start")]
    return []


def project_overdue(*, stage: str, end_month: date | None, on: date) -> bool:
    """Still in delivery after the end of its end month.

    >>> project_overdue(stage="in_delivery", end_month=date(2026, 10, 1), on=date(2026, 11, 1))
    True
    >>> project_overdue(stage="in_delivery", end_month=date(2026, 10, 1), on=date(2026, 10, 31))
    False
    """
    return (
        stage == Stage.IN_DELIVERY and end_month is not None and Period.month_of(end_month).end < on
    )


def count_by(values: Sequence[str | None], keys: Iterable[str], none_key: str) -> dict[str, int]:
    """Counts of each key (all keys present, zero when absent); None counted under `none_key`.

    >>> count_by(["green", None, "green"], ["green", "amber"], "not_set")
    {'green': 2, 'amber': 0, 'not_set': 1}
    """
    counts = Counter(none_key if v is None else v for v in values)
    return {key: counts[key] for key in [*keys, none_key]}


def may_change_project(*, roles: Iterable[str], team: str | None, lead_team: str) -> bool:
    """Whether a caller may change a project and what hangs off it (its milestones, highlight
    reports and RAID items).

    The programme office and administrators may change any project; a service lead only the
    projects their own team leads (that team's service lead is the project's lead). A project
    with no lead team has no lead. (Which roles may write at all is the gateway's rule.)

    >>> may_change_project(roles=["service_lead"], team="Operations", lead_team="Operations")
    True
    >>> may_change_project(roles=["service_lead"], team="Operations", lead_team="Commissioning")
    False
    """
    granted = list(roles)
    if may_change_plan(roles=granted):
        return True
    own = (team or "").strip()
    return "service_lead" in granted and bool(own) and own == lead_team.strip()


def parse_month(text: str) -> date | None:
    """The month a date cell names (its first day), or None when it names no particular month;
    the plan's words may follow it (`common.periods.read_month`).

    >>> parse_month("July 2024"), parse_month("Sep-24"), parse_month("2025-04")
    (datetime.date(2024, 7, 1), datetime.date(2024, 9, 1), datetime.date(2025, 4, 1))
    >>> parse_month("June 2025 (Likely to be extended to June 2026)")
    datetime.date(2025, 6, 1)
    >>> parse_month("Started in 2024") is None, parse_month("TBC") is None
    (True, True)
    """
    return read_month(text, then_anything=True)


class BudgetBasis(StrEnum):
    """How a budget amount is meant: once for the whole project, each year, or ongoing."""

    TOTAL = "total"
    PER_ANNUM = "per_annum"
    RECURRENT = "recurrent"


@dataclass(frozen=True)
class Budget:
    """What a budget cell says: the amount (exact pounds) and how it is meant, if it says."""

    text: str
    amount: Decimal | None = None
    basis: BudgetBasis | None = None
    funding_source: str | None = None


_AMOUNT = re.compile(r"£\s*\d[\d,]*(?:\.\d+)?(?:\s*(?:bn|k|m)\b)?", re.IGNORECASE)
_PER_ANNUM = re.compile(r"\b(per annum|p\.?\s?a\.?|per year|a year|annually|each year)\b", re.I)
_RECURRENT = re.compile(r"\b(recurrent|recurring|ongoing)\b", re.IGNORECASE)
_FUNDING = re.compile(r"\b((?:[A-Z][A-Za-z&']*\s+){0,4}(?:Fund|Grant|Funding)|BCF|Public Health)\b")


def parse_budget(text: str) -> Budget:
    """Read a budget cell; wording with no amount ("TBC", "N/A") keeps only its text.

    >>> parse_budget("£200k per annum (Better Care Fund)")
    Budget(text='£200k per annum (Better Care Fund)', amount=Decimal('200000.00'), \
basis=<BudgetBasis.PER_ANNUM: 'per_annum'>, funding_source='Better Care Fund')
    >>> parse_budget("£1.3m over two years").basis
    <BudgetBasis.TOTAL: 'total'>
    >>> parse_budget("TBC").amount is None
    True
    """
    text = text.strip()
    funding = _FUNDING.search(text)
    funding_source = funding[1].strip() if funding else None
    if funding_source == "BCF":
        funding_source = "Better Care Fund"
    match = _AMOUNT.search(text)
    if match is None:
        return Budget(text=text, funding_source=funding_source)
    amount = parse_money(match[0])
    if _RECURRENT.search(text):
        basis = BudgetBasis.RECURRENT
    elif _PER_ANNUM.search(text):
        basis = BudgetBasis.PER_ANNUM
    else:
        basis = BudgetBasis.TOTAL
    return Budget(text=text, amount=amount, basis=basis, funding_source=funding_source)


_RESOURCE_BREAK = re.compile(r"\s*(?:[,;/]|\band\b)\s*")


def split_resources(text: str) -> list[str]:
    """The teams and functions a project depends on, one each, as written, without repeats.

    >>> split_resources("Legal, Finance, Procurement and Commissioning / finance.")
    ['Legal', 'Finance', 'Procurement', 'Commissioning']
    """
    seen: set[str] = set()
    resources = []
    for part in _RESOURCE_BREAK.split(text.strip().rstrip(".")):
        part = part.strip(" .")
        if part and part.lower() not in seen:
            seen.add(part.lower())
            resources.append(part)
    return resources
