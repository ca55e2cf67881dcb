"""Reading the council's own wording for project dates and budgets (pure functions, no I/O).

Service plans write "July 2024", "Started in 2024", "£200k per annum (Better Care Fund)", "TBC".
We keep that wording and also read from it what we can, so a project can be sorted, drawn on a
timeline and added up. An import of the council's spreadsheets reuses these parsers.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from common.money import parse_money
from common.periods import read_month


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


_SENTENCE_BREAK = re.compile(r"(?<=[a-z)])[.;]\s+(?=[A-Z])")
# Plans paste priorities one after another, sometimes without a full stop between them.
_RUN_ON = re.compile(
    r"(?<=[a-z])\s+(?=(?:Deliver|Invest|Work with|Support those|Secure|Prevent|Improve|"
    r"Safeguard|Use procurement|To ensure)\b)"
)


def split_priorities(text: str) -> list[str]:
    """Split a "relevant council plan priority" cell into the priorities it names.

    >>> split_priorities("Deliver good services for our customers Invest in technology.")
    ['Deliver good services for our customers', 'Invest in technology']
    """
    parts: list[str] = []
    for sentence in _SENTENCE_BREAK.split(text.strip()):
        parts.extend(_RUN_ON.split(sentence))
    return [p.strip().rstrip(".").strip() for p in parts if p.strip().rstrip(".").strip()]


_WORD = re.compile(r"[a-z]+")
_SPELLINGS = {"well being": "wellbeing", "well-being": "wellbeing"}


def priority_key(text: str) -> str:
    """A priority's wording reduced for comparison: case, punctuation and spelling set aside.

    >>> priority_key("Safeguard the health and well-being") == priority_key("safeguard the health and wellbeing.")
    True
    """  # noqa: E501
    lowered = text.lower()
    for variant, spelling in _SPELLINGS.items():
        lowered = lowered.replace(variant, spelling)
    return " ".join(_WORD.findall(lowered))


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
