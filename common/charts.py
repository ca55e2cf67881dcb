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
