"""Reading the cells of finance tables as finance teams write them: amounts ("£376k", "1,102",
"(5,000)") and financial years in headers ("Target 2025/26", "Budget 25/26"); months are read by
`common.periods.read_month`. Pure functions, no I/O."""

import re
from decimal import Decimal

from common.headers import normalise_header
from common.periods import FinancialYear
from services.finance.schemas import to_amount

_YEAR = re.compile(r"(?<!\d)(?:20)?(\d{2})\s*[/-]\s*(?:20)?(\d{2})(?!\d)")
_NEGATIVE = re.compile(r"^\s*\((.*)\)\s*$")
EMPTY = frozenset(["", "-", "tbc", "tbd", "n a", "na", "nil", "none"])


def year_in(text: str) -> FinancialYear | None:
    """The financial year a header names ("Target 2025/26", "Budget 25/26"), if any.

    >>> str(year_in("Target 2025/26")), year_in("Full-year effect")
    ('2025/26', None)
    """
    if match := _YEAR.search(text):
        first, second = int(match[1]), int(match[2])
        if (first + 1) % 100 == second:
            return FinancialYear(2000 + first)
    return None


def read_amount(text: str) -> Decimal:
    """An amount of money as finance teams write it, brackets for negatives included.

    >>> read_amount("£376k"), read_amount("(1,102.50)"), read_amount("-5000")
    (Decimal('376000.00'), Decimal('-1102.50'), Decimal('-5000.00'))
    """
    if match := _NEGATIVE.match(text):
        return -to_amount(match[1])
    return to_amount(text)


def is_empty(text: str) -> bool:
    return normalise_header(text) in EMPTY


def words(text: str) -> str:
    return " ".join(text.lower().split())
