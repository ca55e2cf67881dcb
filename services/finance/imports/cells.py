"""Reading the cells of finance tables as finance teams write them: amounts ("£376k", "1,102",
"(5,000)"), months ("Sep-25", "September 2025", "2025-09", "30/09/2025") and financial years in
headers ("Target 2025/26", "Budget 25/26"). Pure functions, no I/O."""

import re
from datetime import date
from decimal import Decimal

from common.errors import FieldError, ValidationFailed
from common.periods import FinancialYear
from common.tables import Column, normalise_header
from services.finance.types import to_amount

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WORD_MONTH = re.compile(r"([A-Za-z]+)\.?[\s\-/']*(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?")
_UK = re.compile(r"(?:\d{1,2}[/.])?(\d{1,2})[/.](\d{4})")
_YEAR = re.compile(r"(?<!\d)(?:20)?(\d{2})\s*[/-]\s*(?:20)?(\d{2})(?!\d)")
_NEGATIVE = re.compile(r"^\s*\((.*)\)\s*$")
EMPTY = frozenset(["", "-", "tbc", "tbd", "n a", "na", "nil", "none"])


def read_month(text: str) -> date | None:
    """The month a cell names (its first day), or None.

    >>> read_month("Sep-25"), read_month("September 2025"), read_month("30/09/2025")
    (datetime.date(2025, 9, 1), datetime.date(2025, 9, 1), datetime.date(2025, 9, 1))
    >>> read_month("2025-09"), read_month("Q2") is None
    (datetime.date(2025, 9, 1), True)
    """
    text = text.strip()
    year, month = 0, 0
    if match := _ISO.fullmatch(text):
        year, month = int(match[1]), int(match[2])
    elif match := _UK.fullmatch(text):
        year, month = int(match[2]), int(match[1])
    elif (match := _WORD_MONTH.fullmatch(text)) and match[1].lower() in MONTHS:
        year, month = int(match[2]), MONTHS[match[1].lower()]
        year += 2000 if year < 100 else 0
    if not 1 <= month <= 12:
        return None
    return date(year, month, 1)


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


def missing_columns(columns: list[Column], what: str) -> ValidationFailed:
    """The 422 for a file without the columns `what` needs, one error per column."""
    return ValidationFailed(
        f"The file is missing columns {what} needs: "
        + ", ".join(f"'{c.label}'" for c in columns)
        + ".",
        errors=[
            FieldError(f"columns.{c.key}", f"The file has no '{c.label}' column.") for c in columns
        ],
    )


def words(text: str) -> str:
    return " ".join(text.lower().split())
