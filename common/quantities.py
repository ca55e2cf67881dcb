"""Quantities as councils write them: amounts with a pound sign, a scale ("£2.45 million",
"£1.2bn", "110k"), thousands separators, bracket negatives ("(4.2)") and percentages, read
exactly as Decimal; and the unit a column heading gives its cells ("Budget 2025/26 £m",
"£'000", "Savings (£k)", "%").

How a cell's scale and its column's scale combine: a cell that writes its own scale ("-200k",
"£1.2m", "£2.45 million") is read at that scale whatever its heading says, because the person
wrote it out; a bare number ("52.3", "(4.2)", "£450,000" with no suffix) takes its heading's
scale. A percentage cell ("12.5%") is a percentage under any heading; a bare number under a "%"
heading is one too. So 52.3 under "£m" is 52,300,000 and "-200k" under "£m" is -200,000.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

_SCALE_WORDS = {
    "": 1,
    "k": 1_000,
    "thousand": 1_000,
    "000": 1_000,
    "'000": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
    "billion": 1_000_000_000,
}
_CELL = re.compile(
    r"""^\s*
    (?P<open>\()?\s*
    (?P<sign>[-\u2212\u2013])?\s*
    (?P<pound>£)?\s*
    (?P<sign2>[-\u2212\u2013])?\s*
    (?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
    \s*(?P<scale>k|thousand|mn|m|million|millions|bn|b|billion)?
    \s*(?P<percent>%)?
    \s*(?P<close>\))?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class Unit:
    """What a column heading says of its cells: money scaled by `scale`, a percentage, or a plain
    number (`kind` "money", "percent" or "number")."""

    kind: str = "number"
    scale: int = 1


PLAIN = Unit()
# "£m", "£ million", "£000", "£'000", "£k", "(£)", "£bn", and "%": the pound sign may stand alone.
_HEADER_MONEY = re.compile(
    r"£\s*(?P<scale>'?000|k|m|mn|million|millions|bn|billion|thousand)?(?![a-z0-9])",
    re.IGNORECASE,
)
_HEADER_WORDS = re.compile(r"\b(?:in\s+)?(?P<scale>millions|thousands)\b\s*(?:of\s+pounds)?", re.I)


def header_unit(heading: str) -> Unit:
    """The unit a column heading gives its cells.

    >>> header_unit("Budget 2025/26 £m"), header_unit("Savings (£k)"), header_unit("£'000")
    (Unit(kind='money', scale=1000000), Unit(kind='money', scale=1000), Unit(kind='money', scale=1000))
    >>> header_unit("Variance (£)"), header_unit("% of target"), header_unit("Measure")
    (Unit(kind='money', scale=1), Unit(kind='percent', scale=1), Unit(kind='number', scale=1))
    """  # noqa: E501
    money = _HEADER_MONEY.search(heading)
    if money:
        return Unit("money", _SCALE_WORDS[(money["scale"] or "").lower()])
    if "%" in heading or re.search(r"\bper ?cent(age)?\b", heading, re.I):
        return Unit("percent")
    words = _HEADER_WORDS.search(heading)
    if words:
        return Unit("money", 1_000_000 if words["scale"].lower() == "millions" else 1_000)
    return PLAIN


@dataclass(frozen=True)
class Quantity:
    """A cell read: its exact value in pounds (or the number, or the percentage points), and
    whether the cell itself said it was money, a percentage, or scaled."""

    value: Decimal
    pounds: bool = False
    percent: bool = False
    scaled: bool = False


def read_quantity(text: str, unit: Unit = PLAIN) -> Quantity:
    """A cell as an exact Decimal, at its own scale if it writes one, else at its heading's.

    >>> read_quantity("£2.45 million").value, read_quantity("(4.2)").value
    (Decimal('2450000.00'), Decimal('-4.2'))
    >>> read_quantity("52.3", Unit("money", 1_000_000)).value
    Decimal('52300000.0')
    """
    match = _CELL.match(text.replace("\u00a0", " "))
    shown = text.strip()
    if not match:
        raise ValueError(f'"{shown}" is not a number; write it like "1,234.50", "£376k" or "(4.2)"')
    if bool(match["open"]) != bool(match["close"]):
        raise ValueError(f'"{shown}" has an unmatched bracket')
    signs = [s for s in (match["open"], match["sign"], match["sign2"]) if s]
    if len(signs) > 1:
        raise ValueError(f'"{shown}" is negative twice over (a minus sign and brackets)')
    number = Decimal(match["number"].replace(",", ""))
    own = (match["scale"] or "").lower()
    percent = bool(match["percent"]) or (unit.kind == "percent" and not own)
    if own and match["percent"]:
        raise ValueError(f'"{shown}" is both scaled and a percentage')
    scale = _SCALE_WORDS[own] if own else (1 if percent else unit.scale)
    value = number * scale
    return Quantity(
        -value if signs else value,
        pounds=not percent and (bool(match["pound"]) or unit.kind == "money"),
        percent=percent,
        scaled=bool(own),
    )


def read_amount(text: str, unit: Unit = PLAIN) -> Decimal:
    """A cell as an exact Decimal (`read_quantity` without the detail).

    >>> read_amount("110k"), read_amount("-200k"), read_amount("£   450,000"), read_amount("12.5%")
    (Decimal('110000'), Decimal('-200000'), Decimal('450000'), Decimal('12.5'))
    """
    return read_quantity(text, unit).value
