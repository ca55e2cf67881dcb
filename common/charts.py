"""What a chart shows, apart from how it is drawn: the web app draws it as SVG (web/charts.py)
and the Word writer as a native Word chart (common/docx.py), from the same numbers.

Three kinds, each a horizontal bar chart with one row per category:

- `VARIANCE`: one money series around zero; positive is an overspend, drawn to the right and
  labelled "overspend", negative an underspend, drawn to the left and labelled "underspend".
- `TARGET`: two money series, the target and what is achieved against it (a bullet bar).
- `COUNTS`: one count series, each category with its own colour (projects or measures by RAG).

Values stay `Decimal` (money exact to the penny) until they are drawn.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from common.money import format_money


class ChartKind(StrEnum):
    VARIANCE = "variance"
    TARGET = "target"
    COUNTS = "counts"


@dataclass(frozen=True)
class ChartSeries:
    name: str
    values: tuple[Decimal, ...]


@dataclass(frozen=True)
class Chart:
    """One chart: its accessible name (`title`), its message (`summary`) and its numbers."""

    id: str
    kind: ChartKind
    title: str
    summary: str
    """The one sentence people should take away; the figure's caption and the alt text."""
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    colours: tuple[str, ...] = ()
    """For `COUNTS`, one colour per category (RAG colours); others use the palette."""
    unit: str = ""
    """For `COUNTS`, what is counted, plural ("projects")."""
    table: tuple[tuple[str, ...], ...] = field(default=())
    """A small table of the chart's numbers (header row first) when the section's own table
    does not hold them; empty when it does."""

    def __post_init__(self) -> None:
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(f"series {s.name!r} has a value for each category")


def money(value: Decimal) -> str:
    """A chart label's sum: "£2.845m", "£186.4k"."""
    return format_money(value, short=True)


def variance_label(value: Decimal) -> str:
    """How a variance bar is labelled: by amount and direction, never by colour alone.

    >>> variance_label(Decimal("-186364.00"))
    '£186.4k underspend'
    """
    if value > 0:
        return f"{money(value)} overspend"
    if value < 0:
        return f"{money(-value)} underspend"
    return "on budget"


def target_label(target: Decimal, achieved: Decimal) -> str:
    """A bullet bar's label: achieved, of the target, as a share.

    >>> target_label(Decimal("300000"), Decimal("75000"))
    '£75k of £300k (25%)'
    """
    if target <= 0:
        return f"{money(achieved)} (no target)"
    share = (achieved / target * 100).quantize(Decimal("1"))
    return f"{money(achieved)} of {money(target)} ({share}%)"


def count_label(count: Decimal, total: Decimal, unit: str) -> str:
    """A RAG bar's label: the count, what it counts, and its share of all.

    >>> count_label(Decimal(3), Decimal(16), "projects")
    '3 of 16 projects (19%)'
    """
    if total <= 0:
        return f"{count} {unit}"
    share = (count / total * 100).quantize(Decimal("1"))
    return f"{count} of {total} {unit} ({share}%)"


_NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(3), Decimal(5), Decimal(10))


def nice_ticks(low: Decimal, high: Decimal, most: int = 5) -> tuple[Decimal, ...]:
    """Round axis values from `low` to `high` (widened to include them), at most `most` of them.

    >>> [money_tick(t) for t in nice_ticks(Decimal(0), Decimal(1_150_000))]
    ['£0', '£300k', '£600k', '£900k', '£1.2m']
    """
    if high < low:
        low, high = high, low
    if high == low:
        high = low + 1
    raw = (high - low) / (most - 1)
    scale = Decimal(10) ** (raw.adjusted())
    step = next(n * scale for n in _NICE_STEPS if n * scale >= raw)
    start = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    ticks = [start]
    while ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return tuple(t.normalize() if t else Decimal(0) for t in ticks)


def money_tick(value: Decimal) -> str:
    """A money axis label: "£0", "£300k", "£1.2m", never "1.2e+06".

    >>> [money_tick(Decimal(v)) for v in ("0", "300000", "1200000", "-50", "1500")]
    ['£0', '£300k', '£1.2m', '-£50', '£1.5k']
    """
    if value == 0:
        return "£0"
    text = format_money(value, short=True)
    return text.removesuffix(".00")


def number_tick(value: Decimal, places: int = 0) -> str:
    """A number axis label with thousands separators, to `places` decimal places.

    >>> number_tick(Decimal(1200000)), number_tick(Decimal("12.5"), 1)
    ('1,200,000', '12.5')
    """
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding='ROUND_HALF_UP'):,f}"
