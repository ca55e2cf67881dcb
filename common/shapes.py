"""The shape of a published table, from its rows of text: where the header is (one row or two),
which rows are section headings or totals, which columns are years or months, and whether each
stated total agrees with the lines above it. Pure functions: no I/O, no importer's fields."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from common.money import format_money
from common.periods import FinancialYear, Frequency, Period
from common.quantities import Unit, header_unit, read_amount

_TOTAL = re.compile(r"^\s*(?:grand|net|sub[\s-]?|overall)?\s*total\b|\btotal\s*$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?:FY\s*)?(20\d{2}|\d{2})\s*[/\-\u2013]\s*(\d{2}|20\d{2})(?!\d)", re.I)
_GRAND = re.compile(r"grand|overall|net total|^\s*total", re.IGNORECASE)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
_MONTH = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"(?:uary|ruary|ch|il|e|y|ust|t|tember|ober|ember)?\.?[\s\-']*(\d{4}|\d{2})\b"
    r"|\b(20\d{2})-(0[1-9]|1[0-2])\b",
    re.IGNORECASE,
)
_AGES = re.compile(
    r"\baged?\s+(\d{1,3})\s*(\+|and over|or over)|\b(\d{1,3})\s*[-\u2013]\s*(\d{1,3})\b"
)


def is_total_label(text: str) -> bool:
    """A row label that states a total.

    >>> [is_total_label(t) for t in ["Total", "Sub-total older people", "Net total", "Totals"]]
    [True, True, True, False]
    """
    return bool(_TOTAL.search(text.strip()))


def year_of(heading: str) -> FinancialYear | None:
    """The financial year a heading names ("2024/25", "14/15", "2025-26", "FY2025/26").

    >>> year_of("Budget 2026/27 £m"), year_of("14/15"), year_of("Measure")
    (FinancialYear(start_year=2026), FinancialYear(start_year=2014), None)
    """
    match = _YEAR.search(heading)
    if not match:
        return None
    start, end = match[1], match[2]
    first = int(start) if len(start) == 4 else 2000 + int(start)
    if (first + 1) % 100 != int(end[-2:]):
        return None  # "25/27" or "18-64" is not a year
    return FinancialYear(first)


def without_year(heading: str) -> str:
    """A heading with the financial year it names taken out.

    >>> without_year("Budget 2026/27 £m")
    'Budget  £m'
    """
    return _YEAR.sub("", heading)


def month_of(heading: str) -> tuple[int, int] | None:
    """The (year, month) a heading names ("Apr-25", "April 2025", "2025-04").

    >>> month_of("Apr-25"), month_of("April 2025"), month_of("2025-04"), month_of("Budget")
    ((2025, 4), (2025, 4), (2025, 4), None)
    """
    match = _MONTH.search(heading)
    if not match:
        return None
    if match[3]:
        return int(match[3]), int(match[4])
    year = int(match[2]) if len(match[2]) == 4 else 2000 + int(match[2])
    return year, _MONTHS[match[1].lower()]


_QUARTER = re.compile(r"\bQ([1-4])\b", re.IGNORECASE)
_SCALE_WORD = frozenset(["£", "%", "m", "k", "bn", "000", "mn", "million", "millions", "thousand"])


def period_of(heading: str) -> Period | None:
    """The one period a heading names: a month ("Apr-25", "May 2025", "2025-04"), a quarter of a
    financial year ("Q1 2025/26") or a financial year ("Target 2025/26", "26/27").

    >>> [str(period_of(h)) for h in ("Apr-25", "May 2025", "Q1 2025/26", "Target 26/27")]
    ['2025-04', '2025-05', '2025/26 Q1', '2026/27']
    >>> period_of("Measure") is None, period_of("Decision 2025") is None
    (True, True)
    """
    if month := month_of(heading):
        return Period.month_of(date(month[0], month[1], 1))
    year = year_of(heading)
    if year is None:
        return None
    if quarter := _QUARTER.search(heading):
        return Period(year, Frequency.QUARTERLY, int(quarter[1]))
    return Period(year, Frequency.ANNUAL, 1)


def period_words(heading: str) -> frozenset[str]:
    """A heading's words besides the period it names and its unit.

    >>> sorted(period_words("Savings target 2025/26 (£k)")), sorted(period_words("Q1 2025/26"))
    (['savings', 'target'], [])
    """
    rest = _QUARTER.sub(" ", _MONTH.sub(" ", _YEAR.sub(" ", heading)))
    words = re.findall(r"[a-z0-9£%]+", rest.lower())
    return frozenset(w for w in words if w not in _SCALE_WORD and w[0] not in "£%")


def year_columns(headers: Sequence[str]) -> dict[int, FinancialYear]:
    """Column index to the financial year it holds, for a wide table (one value per year)."""
    found = {i: y for i, h in enumerate(headers) if (y := year_of(h)) and not month_of(h)}
    return found


def month_columns(headers: Sequence[str]) -> dict[int, tuple[int, int]]:
    """Column index to the (year, month) it holds."""
    return {i: m for i, h in enumerate(headers) if (m := month_of(h))}


def age_band(text: str) -> str | None:
    """An age band written in a title: "aged 65+" is "65+", "18-64" is "18-64".

    >>> age_band("% of people aged 65+ at home"), age_band("admissions per 100,000 aged 18-64")
    ('65+', '18-64')
    """
    match = _AGES.search(text)
    if not match:
        return None
    if match[1]:
        return f"{match[1]}+"
    low, high = int(match[3]), int(match[4])
    return f"{low}-{high}" if low < high <= 120 else None


def _is_number(text: str) -> bool:
    try:
        read_amount(text)
    except ValueError:
        return False
    return True


def merge_header_rows(top: Sequence[str], bottom: Sequence[str]) -> list[str]:
    """Two header rows as one: a label over blank cells to its right spans them.

    >>> merge_header_rows(["Area", "Budget", "", "Savings"], ["", "2025/26", "2026/27", "£k"])
    ['Area', 'Budget 2025/26', 'Budget 2026/27', 'Savings £k']
    """
    merged, above = [], ""
    for i in range(max(len(top), len(bottom))):
        upper = top[i].strip() if i < len(top) else ""
        lower = bottom[i].strip() if i < len(bottom) else ""
        above = upper or (above if lower else "")
        merged.append(" ".join(p for p in (above, lower) if p))
    return merged


@dataclass(frozen=True)
class Header:
    """Where a table's header is: its spreadsheet row(s) and its (merged) headings."""

    rows: tuple[int, ...]
    headings: list[str]


def find_header(rows: Sequence[Sequence[str]]) -> Header:
    """The header of a sheet (rows as read, row 1 first): the first row with two or more
    labels and no numbers, after any title lines; merged with the next row when that one is a
    header too (no numbers, and it fills blanks of the first or names years)."""
    for index, row in enumerate(rows):
        filled = [c for c in row if c.strip()]
        if len(filled) < 2 or any(_is_number(c) for c in filled):
            continue
        if index + 1 < len(rows):
            below = rows[index + 1]
            below_filled = [c for c in below if c.strip()]
            if (
                below_filled
                and not any(_is_number(c) for c in below_filled)
                and (
                    any(
                        not row[i].strip() and c.strip()
                        for i, c in enumerate(below)
                        if i < len(row)
                    )
                    and not (below[0].strip() and all(not c.strip() for c in below[1:]))
                )
            ):
                return Header((index + 1, index + 2), merge_header_rows(row, below))
        return Header((index + 1,), [c.strip() for c in row])
    raise ValueError("The table has no header row: a row of column headings.")


def is_section_row(cells: Sequence[str]) -> bool:
    """A row with only a label in its first cell (a group name above the lines under it). In a
    table of one column every row is that, and none is a heading.

    >>> is_section_row(["Older people", "", ""]), is_section_row(["Bench project 1"])
    (True, False)
    """
    return len(cells) > 1 and bool(cells[0].strip()) and not any(c.strip() for c in cells[1:])


@dataclass(frozen=True)
class Reconciliation:
    """A stated total that disagrees with the lines it totals."""

    row: int
    label: str
    stated: dict[str, Decimal]
    lines: dict[str, Decimal]
    unit: dict[str, Unit] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return [c for c in self.stated if self.stated[c] != self.lines.get(c)]

    def difference(self, column: str) -> Decimal:
        return self.stated[column] - self.lines.get(column, Decimal(0))

    def message(self) -> str:
        """ "Stated total £9.1m; the lines add up to £8.4m; difference £0.7m" for each column."""
        parts = []
        for column in self.columns:
            money = self.unit.get(column, Unit()).kind == "money"

            def shown(amount: Decimal, money: bool = money) -> str:
                return format_money(amount, short=True) if money else f"{amount:,}"

            parts.append(
                f"{column}: stated total {shown(self.stated[column])}; the lines add up to "
                f"{shown(self.lines.get(column, Decimal(0)))}; difference "
                f"{shown(abs(self.difference(column)))}"
            )
        return f"Row {self.row} ({self.label}): " + ". ".join(parts) + "."


@dataclass
class Shape:
    """What `classify_rows` found: the lines to import (row number, cells, section), the total
    rows left out, and each total that does not reconcile."""

    lines: list[tuple[int, list[str], str]] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    sections: list[int] = field(default_factory=list)
    reconciliations: list[Reconciliation] = field(default_factory=list)


def classify_rows(
    headings: Sequence[str], rows: Sequence[tuple[int, Sequence[str]]], amounts: Sequence[int]
) -> Shape:
    """Sort body rows into lines, section headings and totals, reconciling each total against
    the lines since the previous total of its level (a sub-total totals the lines since the last
    sub-total; a grand total all lines, or the sub-totals when there were some). `amounts` are
    the columns holding figures. A row of figures alone (no label) that equal the sum of the lines
    since the last total is a total too; a named line never is, whatever its figures. A "Total"
    row that names a group in another column ("Total cashable | … | Cashable") and adds up to that
    group's lines is a breakdown (it leaves the running sums alone); one that adds up to every
    line is the grand total after such a breakdown."""
    shape = Shape()
    units = {headings[c]: header_unit(headings[c]) for c in amounts}
    for c in amounts:  # a column of "£2.45 million" cells is money even under a plain heading
        if units[headings[c]].kind == "number" and any("£" in r[c] for _, r in rows if c < len(r)):
            units[headings[c]] = Unit("money")
    section = ""
    since_subtotal: dict[int, Decimal] = {}
    subtotals: dict[int, Decimal] = {}
    everything: dict[int, Decimal] = {}
    lines_since = 0
    seen: list[tuple[Sequence[str], dict[int, Decimal]]] = []  # every line, with its figures
    for number, cells in rows:
        if is_section_row(cells):
            section = cells[0].strip()
            shape.sections.append(number)
            continue
        figures = {c: _figure(cells, c, units[headings[c]]) for c in amounts}
        words = [c for c in cells if c.strip() and not _is_number(c)]
        label = words[0] if words else ""
        # "Total" with figures beside it, not a line whose title starts "Total number of ..."
        # and goes on with a definition, a unit or an owner.
        labelled = is_total_label(label) and len(words) == 1
        whole = False  # a grand total found because it equals every line so far
        known = {c: v for c, v in figures.items() if v is not None}
        adds_up = bool(known) and all(
            since_subtotal.get(c, Decimal(0)) == v for c, v in known.items()
        )
        # "Total" beside other words ("Total | 2 lines") is a total when its figures add up.
        labelled = labelled or (is_total_label(label) and lines_since > 1 and adds_up)
        if not labelled and is_total_label(label) and known:
            if _group_total(label, cells, known, amounts, seen):
                shape.totals.append(number)  # the lines of one group, already counted
                continue
            whole = len(seen) > 1 and all(
                everything.get(c, Decimal(0)) == v for c, v in known.items()
            )
            labelled = whole
        implied = (  # figures alone, no label: a line with a name is never taken for a total
            not words
            and lines_since > 1
            and known
            and all(since_subtotal.get(c, Decimal(0)) == v for c, v in known.items())
        )
        if labelled or implied:
            grand = bool(re.search(r"grand|overall|net total|^total", label, re.I)) and bool(
                subtotals
            )
            basis = (
                everything
                if whole
                else subtotals
                if grand
                else (since_subtotal if lines_since else everything)
            )
            stated = {headings[c]: v for c, v in known.items()}
            summed = {headings[c]: basis.get(c, Decimal(0)) for c in known}
            shape.totals.append(number)
            if stated != summed:
                shape.reconciliations.append(Reconciliation(number, label, stated, summed, units))
            if not grand:
                for c, v in known.items():
                    subtotals[c] = subtotals.get(c, Decimal(0)) + v
            since_subtotal, lines_since = {}, 0
            continue
        for c, v in known.items():
            since_subtotal[c] = since_subtotal.get(c, Decimal(0)) + v
            everything[c] = everything.get(c, Decimal(0)) + v
        lines_since += 1
        seen.append((cells, known))
        shape.lines.append((number, list(cells), section))
    return shape


def _group_total(
    label: str,
    cells: Sequence[str],
    known: dict[int, Decimal],
    amounts: Sequence[int],
    lines: Sequence[tuple[Sequence[str], dict[int, Decimal]]],
) -> bool:
    """Whether a "Total <group>" row names one of its other cells ("Total cashable saving" beside
    "Cashable saving" in the Type column) and its figures are the sum of the lines in that group:
    a total of one group, as an export writes them by type."""
    for column, cell in enumerate(cells):
        name = cell.strip().lower()
        if column in amounts or not name or name == label.strip().lower():
            continue
        if not re.search(rf"\b{re.escape(name)}\b", label.lower()):
            continue
        group = [
            figures
            for line, figures in lines
            if column < len(line) and line[column].strip().lower() == cell.strip().lower()
        ]
        sums = {c: sum((f.get(c, Decimal(0)) for f in group), Decimal(0)) for c in known}
        if sums == known:  # a group of no lines adds up to nothing: "Total non-cashable | 0"
            return True
    return False


def _figure(cells: Sequence[str], column: int, unit: Unit) -> Decimal | None:
    if column >= len(cells) or not cells[column].strip():
        return None
    try:
        return read_amount(cells[column], unit)
    except ValueError:
        return None
