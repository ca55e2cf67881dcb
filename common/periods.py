"""Financial years (April to March, "2025/26") and the reporting periods inside them.

Period codes are the API's words for periods:
- month:   "2025-04"       (April 2025, month 1 of 2025/26)
- quarter: "2025/26 Q1"    (April to June 2025)
- year:    "2025/26"
"""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import WithJsonSchema

from common.errors import FieldError, ValidationFailed

_YEAR_TEXT = r"(\d{2}|\d{4})\s*/\s*(\d{2})"
_MONTH_TEXT = r"(\d{4})-(\d{2})"
_QUARTER_TEXT = _YEAR_TEXT + r"\s*[- ]?\s*[Qq]([1-4])"
_FY = re.compile(rf"^\s*{_YEAR_TEXT}\s*$")
_MONTH = re.compile(rf"^\s*{_MONTH_TEXT}\s*$")
_QUARTER = re.compile(rf"^\s*{_QUARTER_TEXT}\s*$")

FINANCIAL_YEAR_PATTERN = _FY.pattern
"""What a financial year may be written as: "2025/26" (or "25/26")."""
MONTH_PATTERN = _MONTH.pattern
"""What a month may be written as: "2025-04"."""
PERIOD_PATTERN = rf"^\s*({_MONTH_TEXT}|{_QUARTER_TEXT}|{_YEAR_TEXT})\s*$"
"""What a period may be written as: a month, a quarter "2025/26 Q1" or a year."""


def _text(pattern: str, example: str, description: str) -> WithJsonSchema:
    return WithJsonSchema(
        {"type": "string", "pattern": pattern, "examples": [example], "description": description}
    )


FinancialYearText = Annotated[
    str, _text(FINANCIAL_YEAR_PATTERN, "2025/26", 'A financial year, April to March: "2025/26".')
]
"""A financial year as sent, documented with its pattern (read by `FinancialYear.parse`)."""
MonthText = Annotated[str, _text(MONTH_PATTERN, "2025-09", 'A calendar month: "2025-09".')]
"""A month as sent, documented with its pattern (read by `Period.parse`)."""
PeriodText = Annotated[
    str,
    _text(
        PERIOD_PATTERN, "2025-09", 'A month "2025-09", a quarter "2025/26 Q2" or a year "2025/26".'
    ),
]
"""A period code as sent, documented with its pattern (read by `Period.parse`)."""


@dataclass(frozen=True, order=True)
class FinancialYear:
    """The year from 1 April `start_year` to 31 March `start_year + 1`.

    >>> FinancialYear.parse("2025/26").months()[0]
    datetime.date(2025, 4, 1)
    """

    start_year: int

    @classmethod
    def parse(cls, text: str) -> "FinancialYear":
        """Read "2025/26" (or the shorthand "25/26"); the second year must follow the first."""
        match = _FY.match(text)
        if not match:
            raise ValueError(f'"{text}" is not a financial year; write it like "2025/26"')
        first, second = match.groups()
        start = int(first) if len(first) == 4 else 2000 + int(first)
        if (start + 1) % 100 != int(second):
            raise ValueError(f'"{text}" is not a financial year: {second} does not follow {first}')
        return cls(start)

    @classmethod
    def containing(cls, day: date) -> "FinancialYear":
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def __str__(self) -> str:
        return self.label

    @property
    def start(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, 3, 31)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def months(self) -> list[date]:
        """First day of each month, April first."""
        return [_add_months(self.start, i) for i in range(12)]

    def month_number(self, day: date) -> int:
        """1 for April ... 12 for March."""
        if not self.contains(day):
            raise ValueError(f"{day:%B %Y} is not in financial year {self.label}")
        return (day.month - 4) % 12 + 1

    def previous(self) -> "FinancialYear":
        return FinancialYear(self.start_year - 1)

    def next(self) -> "FinancialYear":
        return FinancialYear(self.start_year + 1)


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"

    @property
    def periods_per_year(self) -> int:
        return {"monthly": 12, "quarterly": 4, "annual": 1}[self.value]


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: the `index`-th month/quarter (or the whole) of a financial year.

    >>> Period.parse("2025/26 Q2").start
    datetime.date(2025, 7, 1)
    >>> Period.parse("2026-01").code
    '2026-01'
    """

    year: FinancialYear
    frequency: Frequency
    index: int

    def __post_init__(self) -> None:
        if not 1 <= self.index <= self.frequency.periods_per_year:
            raise ValueError(f"{self.frequency} period {self.index} does not exist")

    @classmethod
    def parse(cls, code: str) -> "Period":
        if match := _MONTH.match(code):
            year, month = int(match[1]), int(match[2])
            if not 1 <= month <= 12:
                raise ValueError(f'"{code}" is not a month; write it like "2025-04"')
            return cls.month_of(date(year, month, 1))
        if match := _QUARTER.match(code):
            fy = FinancialYear.parse(f"{match[1]}/{match[2]}")
            return cls(fy, Frequency.QUARTERLY, int(match[3]))
        try:
            return cls(FinancialYear.parse(code), Frequency.ANNUAL, 1)
        except ValueError:
            raise ValueError(
                f'"{code}" is not a period; write a month "2025-04", a quarter "2025/26 Q1" '
                'or a year "2025/26"'
            ) from None

    @classmethod
    def month_of(cls, day: date) -> "Period":
        fy = FinancialYear.containing(day)
        return cls(fy, Frequency.MONTHLY, fy.month_number(day))

    @classmethod
    def containing(cls, day: date, frequency: Frequency) -> "Period":
        month = cls.month_of(day)
        months_per_period = 12 // frequency.periods_per_year
        return cls(month.year, frequency, (month.index - 1) // months_per_period + 1)

    @property
    def months_per_period(self) -> int:
        return 12 // self.frequency.periods_per_year

    @property
    def start(self) -> date:
        return _add_months(self.year.start, (self.index - 1) * self.months_per_period)

    @property
    def end(self) -> date:
        following = _add_months(self.start, self.months_per_period)
        return date.fromordinal(following.toordinal() - 1)

    @property
    def code(self) -> str:
        """How the API writes it: "2025-04", "2025/26 Q1", "2025/26"."""
        return self._written(month="%Y-%m", quarter="{year} Q{index}")

    @property
    def label(self) -> str:
        """How people write it: "April 2025", "Q1 2025/26", "2025/26"."""
        return self._written(month="%B %Y", quarter="Q{index} {year}")

    def _written(self, *, month: str, quarter: str) -> str:
        """A month as its first day in the `strftime` format `month`; a quarter in the format
        `quarter` (its `index` and financial `year`); a year as its label."""
        if self.frequency is Frequency.MONTHLY:
            return self.start.strftime(month)
        if self.frequency is Frequency.QUARTERLY:
            return quarter.format(index=self.index, year=self.year.label)
        return self.year.label

    def __str__(self) -> str:
        return self.code

    def previous(self) -> "Period":
        if self.index > 1:
            return Period(self.year, self.frequency, self.index - 1)
        return Period(self.year.previous(), self.frequency, self.frequency.periods_per_year)

    def next(self) -> "Period":
        if self.index < self.frequency.periods_per_year:
            return Period(self.year, self.frequency, self.index + 1)
        return Period(self.year.next(), self.frequency, 1)

    def same_period_last_year(self) -> "Period":
        return Period(self.year.previous(), self.frequency, self.index)

    def year_to_date(self) -> list["Period"]:
        """Every period of this financial year up to and including this one."""
        return [Period(self.year, self.frequency, i) for i in range(1, self.index + 1)]

    def is_future(self, today: date) -> bool:
        """True while the period has not yet started."""
        return self.start > today


_ISO_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")


def as_at_end(text: str) -> date:
    """The last day an "as at" names: a whole date as itself, else the end of the period it
    names (a quarter "2026/27 Q2" or "Q2 2026/27", a month "2026-09", a year "2026/27").
    Raises ValueError saying how to write it.

    >>> as_at_end("2026/27 Q2"), as_at_end("2026-11-15")
    (datetime.date(2026, 9, 30), datetime.date(2026, 11, 15))
    """
    how = (
        'write "as at" as a quarter ("2026/27 Q2"), a month ("2026-09"), '
        'a financial year ("2026/27") or a date ("2026-09-30")'
    )
    if _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            raise ValueError(f'"{text}" is not a day of the calendar; {how}') from None
    try:
        return read_period(text).end
    except ValueError:
        raise ValueError(f'could not read "{text}" as at a day; {how}') from None


def as_at_query(value: str | None) -> date | None:
    """An `as_at` query parameter as the day it ends; None when left out; else a 422 on it."""
    if not value:
        return None
    try:
        return as_at_end(value)
    except ValueError as error:
        raise ValidationFailed(str(error), errors=[FieldError("as_at", str(error))]) from None


AS_AT_DESCRIPTION = (
    'As at the end of a quarter ("2026/27 Q2"), month ("2026-09") or year ("2026/27"), or a '
    'day ("2026-09-30"): the latest figures made for a period on or before it, never after.'
)


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + (day.month - 1) + months
    return date(total // 12, total % 12 + 1, 1)


MONTH_NAMES = {
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
# A month, read from the start of the text; `read_month` says whether anything may follow.
_MONTH_FORMS = (
    # 2025-04, 2025-4, 2025-04-30 (as Excel dates read)
    (re.compile(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?(?!\d)"), 1, 2),
    # 30/04/2025, 30.04.2025
    (re.compile(r"\d{1,2}[/.](\d{1,2})[/.](\d{4})(?!\d)"), 2, 1),
    # 04/2025, 04-2025, 04.2025
    (re.compile(r"(\d{1,2})[/.\-](\d{4})(?!\d)"), 2, 1),
)
_WORDS_MONTH = re.compile(r"([a-z]+)\.?[\s\-/']*(\d{4}|\d{2})(?!\d)")
_QUARTER_FIRST = re.compile(r"^q([1-4])[\s,\-]*(?:fy\s*)?(\d{2}|\d{4})\s*/\s*(\d{2})$")
_YEAR_WORDS = re.compile(r"^(?:fy\s*)?(\d{2}|\d{4})\s*[/-]\s*(\d{2}|\d{4})$")


def read_month(text: str, *, then_anything: bool = False) -> date | None:
    """The month a cell names, as councils write it (its first day), or None when it names no
    particular month: "July 2024", "Sept 2024", "Sep-24", "2025-04", "04/2025", or a whole date
    such as "2025-04-30" or "30/06/2025". With `then_anything`, words may follow the month
    ("June 2025 (likely to be extended)").

    >>> read_month("July 2024"), read_month("Sep-24"), read_month("30/06/2025")
    (datetime.date(2024, 7, 1), datetime.date(2024, 9, 1), datetime.date(2025, 6, 1))
    >>> read_month("June 2025 (extended)", then_anything=True), read_month("June 2025 (extended)")
    (datetime.date(2025, 6, 1), None)
    >>> read_month("Q2") is None, read_month("2025-13") is None, read_month("Spring 2025") is None
    (True, True, True)
    """
    cleaned = " ".join(text.strip().lower().replace("\u2013", "-").split())
    year, month = 0, 0
    for pattern, year_group, month_group in _MONTH_FORMS:
        if match := pattern.match(cleaned):
            year, month = int(match[year_group]), int(match[month_group])
            break
    else:
        if (match := _WORDS_MONTH.match(cleaned)) and match[1] in MONTH_NAMES:
            year, month = int(match[2]), MONTH_NAMES[match[1]]
            year += 2000 if year < 100 else 0
    if match is None or not 1 <= month <= 12 or (match.end() < len(cleaned) and not then_anything):
        return None
    return date(year, month, 1)


def read_period(text: str) -> Period:
    """A period as councils write it in spreadsheets, as well as the API's own codes: a month
    ("2025-04", "Apr 2025", "April 2025", "Apr-25", "04/2025", a whole date such as
    "2025-04-30" or "30/04/2025"), a quarter ("2025/26 Q1", "Q1 2025/26", "Q1 25/26") or a
    financial year ("2025/26", "2025-26", "FY 2025/26"). Raises ValueError, saying what it read.

    >>> read_period("April 2025").code, read_period("Q1 2025/26").code, read_period("2025-26").code
    ('2025-04', '2025/26 Q1', '2025/26')
    """
    cleaned = " ".join(text.strip().lower().replace("\u2013", "-").split())
    try:
        return Period.parse(cleaned)
    except ValueError:
        pass
    if (month := read_month(cleaned)) is not None:
        return Period.month_of(month)
    if match := _QUARTER_FIRST.match(cleaned):
        return Period(
            FinancialYear.parse(f"{match[2]}/{match[3]}"), Frequency.QUARTERLY, int(match[1])
        )
    if match := _YEAR_WORDS.match(cleaned):
        second = match[2][-2:]
        return Period(FinancialYear.parse(f"{match[1]}/{second}"), Frequency.ANNUAL, 1)
    raise ValueError(
        f"could not read '{text}' as a period: write a month (April 2025), a quarter "
        "(2025/26 Q1) or a financial year (2025/26)"
    )
