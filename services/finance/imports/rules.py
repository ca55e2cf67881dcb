"""Reading the cells of finance tables as finance teams write them: financial years in headers
("Target 2025/26", "Budget 25/26") and the ways a cell says "nothing"; amounts are read by
`common.money.parse_money` under their heading's unit, months by `common.periods.read_month`.
Pure functions, no I/O."""

import re

from common.headers import normalise_header
from common.periods import FinancialYear

_YEAR = re.compile(r"(?<!\d)(?:20)?(\d{2})\s*[/-]\s*(?:20)?(\d{2})(?!\d)")
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


def is_empty(text: str) -> bool:
    return normalise_header(text) in EMPTY


def words(text: str) -> str:
    return " ".join(text.lower().split())
