"""Accessible SVG charts: a title and description, the Analysis Function palette, and always a
table of the same numbers beside them (the templates render it)."""

import base64
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from common.charts import (
    Chart,
    ChartKind,
    count_label,
    money,
    nice_ticks,
    number_tick,
    target_label,
    variance_label,
)

PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25")
_INK = "#0b0c0c"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal | float | int | None]
    dashed: bool = False
    dash_pattern: str = "6 4"
    """How a dashed line is drawn: two dashed lines of one chart differ by more than colour."""


_CHAR_W = 7.2
"""About how wide a character of 12px Arial is: enough to keep every label inside the SVG."""


def _text_width(text: str, size: int = 12) -> float:
    return len(text) * _CHAR_W * size / 12


def line_chart(
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    width: int = 640,
    height: int = 280,
    chart_id: str | None = None,
    tick_label: Callable[[Decimal], str] = number_tick,
) -> str:
    """An SVG line chart; gaps (None) break the line. Returns markup safe to insert.

    The value axis has round ticks labelled by `tick_label` (`money_tick` for money: £0, £300k,
    £1.2m); a chart of more than one series has a legend naming each, in text. Margins are
    sized to the labels, so nothing is cut off at either edge.

    Its title and description ids start with `chart_id`; by default one derived from what the
    chart shows, so that several charts on one page each keep their own names."""
    if chart_id is None:
        shown = repr((title, description, list(labels), [(s.name, list(s.values)) for s in series]))
        chart_id = "chart-" + hashlib.blake2s(shown.encode(), digest_size=5).hexdigest()
    cid = escape(chart_id)
    points = [Decimal(str(v)) for s in series for v in s.values if v is not None]
    low, high = (min(points), max(points)) if points else (Decimal(0), Decimal(1))
    if low >= 0 and low < high / 2:
        low = Decimal(0)
    ticks = nice_ticks(low, high)
    tick_texts = [tick_label(t) for t in ticks]
    low, high = ticks[0], ticks[-1]
    legend_rows = _legend_rows(series, width) if len(series) > 1 else []
    left = max(40, round(max(_text_width(t) for t in tick_texts) + 12))
    shown_labels = [
        (i, label) for i, label in enumerate(labels) if i % max(1, len(labels) // 8) == 0
    ]
    last_half = _text_width(shown_labels[-1][1]) / 2 if shown_labels else 0
    right = (
        max(16, round(last_half + 4))
        if shown_labels and shown_labels[-1][0] == len(labels) - 1
        else 16
    )
    top, bottom = 16 + 22 * len(legend_rows), 40
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return left + i * step

    def y(v: Decimal | float) -> float:
        return top + plot_h - float((Decimal(str(v)) - low) / (high - low)) * plot_h

    parts = [
        f'<svg class="app-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="arial, sans-serif" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
    ]
    for row, keys in enumerate(legend_rows):
        for key_x, n, s in keys:
            colour = PALETTE[n % len(PALETTE)]
            dash = f' stroke-dasharray="{s.dash_pattern}"' if s.dashed else ""
            key_y = 10 + row * 22
            parts.append(
                f'<g class="app-chart__legend-key"><line x1="{key_x:.1f}" x2="{key_x + 24:.1f}" '
                f'y1="{key_y}" y2="{key_y}" stroke="{colour}" stroke-width="3"{dash}/>'
                f'<text x="{key_x + 30:.1f}" y="{key_y + 4}" font-size="12" fill="{_INK}">'
                f"{escape(s.name)}</text></g>"
            )
    for tick, text in zip(ticks, tick_texts, strict=True):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="#b1b4b6" stroke-width="1"/>'
            f'<text class="app-chart__tick" x="{left - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end" font-size="12" fill="{_INK}">{escape(text)}</text>'
        )
    for i, label in shown_labels:
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - 12}" text-anchor="middle" font-size="12" '
            f'fill="{_INK}">{escape(label)}</text>'
        )
    for n, s in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        dash = f' stroke-dasharray="{s.dash_pattern}"' if s.dashed else ""
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, v in enumerate(s.values):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
            else:
                segment.append(f"{x(i):.1f},{y(v):.1f}")
        if segment:
            segments.append(segment)
        for seg in segments:
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="3"{dash} '
                f'points="{" ".join(seg)}"/>'
            )
            for point in seg:
                cx, cy = point.split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="3.5" fill="{colour}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _legend_rows(series: Sequence[Series], width: int) -> list[list[tuple[float, int, Series]]]:
    """Where each legend key goes: rows of (x, series number, series), wrapped to the width."""
    rows: list[list[tuple[float, int, Series]]] = [[]]
    key_x = 0.0
    for n, s in enumerate(series):
        key_w = 30 + _text_width(s.name) + 20
        if rows[-1] and key_x + key_w > width:
            rows.append([])
            key_x = 0.0
        rows[-1].append((key_x, n, s))
        key_x += key_w
    return rows


def sparkline(values: Sequence[Decimal | float | int | None], *, label: str) -> str:
    """A small trend line for table cells; `label` says in words what it shows."""
    known = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return ""
    width, height = 80, 20
    low = min(v for _, v in known)
    high = max(v for _, v in known)
    span = (high - low) or 1.0
    step = width / max(len(values) - 1, 1)
    points = " ".join(
        f"{i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}" for i, v in known
    )
    return (
        f'<svg class="app-sparkline" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f'<polyline fill="none" stroke="{PALETTE[0]}" stroke-width="2" points="{points}"/></svg>'
    )


# --- horizontal bar charts for reports (variance, achieved against target, counts by RAG) ---

_OVERSPEND, _UNDERSPEND = PALETTE[2], PALETTE[0]
_TARGET, _ACHIEVED = PALETTE[0], PALETTE[1]
# Every fill or outline here has at least 3:1 contrast with white (WCAG 1.4.11): #12436D
# 10.3:1, #801650 9.8:1, #28A197 3.2:1; RAG bars carry a dark outline whatever their fill.
_WIDTH, _LABEL_W, _ROW_H, _TOP = 760, 240, 34, 34
_VALUE_ROOM, _NEGATIVE_ROOM = 190, 150


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _row_label(y: float, text: str) -> str:
    return f'<text x="0" y="{y + 5:.1f}" font-size="14" fill="{_INK}">{escape(_short(text))}</text>'


def _value_text(x: float, y: float, text: str, *, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y + 5:.1f}" font-size="14" text-anchor="{anchor}" '
        f'fill="{_INK}">{escape(text)}</text>'
    )


def _legend_key(x: float, *, fill: str, stroke: str, text: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="6" width="18" height="12" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="2"/><text x="{x + 24:.1f}" y="17" font-size="14" fill="{_INK}">'
        f"{escape(text)}</text>"
    )


def _variance_rows(chart: Chart, top: int) -> list[str]:
    values = chart.series[0].values
    low, high = min(min(values), Decimal(0)), max(max(values), Decimal(0))
    x0 = _LABEL_W + (_NEGATIVE_ROOM if low < 0 else 0)
    x1 = _WIDTH - (_VALUE_ROOM if high > 0 else 10)
    span = (high - low) or Decimal(1)

    def x(v: Decimal) -> float:
        return x0 + float((v - low) / span) * (x1 - x0)

    zero = x(Decimal(0))
    bottom = top + len(values) * _ROW_H
    parts = [
        _value_text(zero + 8, 12, "Overspend →"),
        f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="{top - 6}" y2="{bottom}" stroke="{_INK}" '
        'stroke-width="2"/>',
    ]
    if low < 0:
        parts.append(_value_text(zero - 8, 12, "← Underspend", anchor="end"))
    for i, (name, value) in enumerate(zip(chart.categories, values, strict=True)):
        y = top + i * _ROW_H + _ROW_H / 2
        end = x(value)
        label = variance_label(value)
        colour = _OVERSPEND if value > 0 else _UNDERSPEND
        parts.append(_row_label(y, name))
        parts.append(
            f'<rect x="{min(zero, end):.1f}" y="{y - 10:.1f}" width="{abs(end - zero):.1f}" '
            f'height="20" fill="{colour}" data-value="{value}">'
            f"<title>{escape(name)}: {escape(label)}</title></rect>"
        )
        if value < 0:
            parts.append(_value_text(end - 6, y, label, anchor="end"))
        else:
            parts.append(_value_text(max(end, zero) + 6, y, label))
    return parts


def _target_rows(chart: Chart, top: int) -> list[str]:
    targets, achieved = chart.series[0].values, chart.series[1].values
    high = max([*targets, *achieved, Decimal(0)]) or Decimal(1)
    x0, x1 = _LABEL_W, _WIDTH - _VALUE_ROOM

    def w(v: Decimal) -> float:
        return max(float(v / high), 0.0) * (x1 - x0)

    parts = [
        _legend_key(x0, fill="#ffffff", stroke=_TARGET, text=chart.series[0].name),
        _legend_key(x0 + 110, fill=_ACHIEVED, stroke=_ACHIEVED, text=chart.series[1].name),
    ]
    rows = zip(chart.categories, targets, achieved, strict=True)
    for i, (name, target, done) in enumerate(rows):
        y = top + i * _ROW_H + _ROW_H / 2
        label = target_label(target, done)
        parts.append(_row_label(y, name))
        parts.append(
            f'<rect x="{x0}" y="{y - 11:.1f}" width="{w(target):.1f}" height="22" fill="#ffffff" '
            f'stroke="{_TARGET}" stroke-width="2" data-value="{target}">'
            f"<title>{escape(name)}: target {escape(money(target))}</title></rect>"
            f'<rect x="{x0}" y="{y - 5:.1f}" width="{w(done):.1f}" height="10" '
            f'fill="{_ACHIEVED}" data-value="{done}">'
            f"<title>{escape(name)}: {escape(label)}</title></rect>"
        )
        parts.append(_value_text(x0 + max(w(target), w(done)) + 8, y, label))
    return parts


def _count_rows(chart: Chart, top: int) -> list[str]:
    counts = chart.series[0].values
    total = sum(counts, Decimal(0))
    high = max([*counts, Decimal(1)])
    x0, x1 = _LABEL_W, _WIDTH - _VALUE_ROOM
    parts = []
    for i, (name, count) in enumerate(zip(chart.categories, counts, strict=True)):
        y = top + i * _ROW_H + _ROW_H / 2
        width = float(count / high) * (x1 - x0)
        colour = chart.colours[i] if i < len(chart.colours) else PALETTE[0]
        label = count_label(count, total, chart.unit)
        parts.append(_row_label(y, name))
        parts.append(
            f'<rect x="{x0}" y="{y - 11:.1f}" width="{width:.1f}" height="22" fill="{colour}" '
            f'stroke="{_INK}" stroke-width="1" data-value="{count}">'
            f"<title>{escape(name)}: {escape(label)}</title></rect>"
        )
        parts.append(_value_text(x0 + width + 8, y, label))
    return parts


_HOW_TO_READ = {
    ChartKind.VARIANCE: "Bars to the right of the line are overspends and to the left "
    "underspends; each bar is labelled with its amount and direction.",
    ChartKind.TARGET: "Each outlined bar is the target and the filled bar inside it what has "
    "been achieved; each row is labelled with both and the share achieved.",
    ChartKind.COUNTS: "One bar for each status, labelled with its count and share.",
}


def bar_chart_svg(chart: Chart) -> str:
    """The SVG of a horizontal bar chart: named by its title, described by how to read it."""
    top = 4 if chart.kind is ChartKind.COUNTS else _TOP  # room for a key only where there is one
    rows = {
        ChartKind.VARIANCE: _variance_rows,
        ChartKind.TARGET: _target_rows,
        ChartKind.COUNTS: _count_rows,
    }[chart.kind](chart, top)
    height = top + len(chart.categories) * _ROW_H + 8
    cid = escape(chart.id)
    return (
        f'<svg class="app-chart app-bar-chart" viewBox="0 0 {_WIDTH} {height}" role="img" '
        f'aria-labelledby="{cid}-title" aria-describedby="{cid}-caption {cid}-desc" '
        f'font-family="arial, sans-serif" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{cid}-title">{escape(chart.title)}</title>'
        f'<desc id="{cid}-desc">{escape(_HOW_TO_READ[chart.kind])}</desc>'
        f"{''.join(rows)}</svg>"
    )


def bar_chart(chart: Chart) -> str:
    """A horizontal bar chart as a figure: the SVG (named by its title, described by the
    caption) and a caption saying what it shows. The caller keeps the table of the numbers
    beside it. Returns markup safe to insert."""
    cid = escape(chart.id)
    return (
        f'<figure class="app-figure" id="{cid}">'
        # On a narrow screen the chart keeps a readable size and scrolls sideways by itself,
        # by keyboard too, like a wide table (the page as a whole never does).
        f'<div class="app-table-scroll" role="region" aria-labelledby="{cid}-title" tabindex="0">'
        f"{bar_chart_svg(chart)}</div>"
        f'<figcaption class="govuk-body app-figure__caption" id="{cid}-caption">'
        f"{escape(chart.summary)}</figcaption></figure>"
    )


def bar_chart_image(chart: Chart) -> str:
    """The chart as a figure for a PDF: the SVG as an image whose alternative text is the
    chart's title and message (a tagged PDF carries it as the figure's /Alt), then the caption."""
    data = base64.b64encode(bar_chart_svg(chart).encode()).decode()
    alt = f"{chart.title}. {chart.summary}"
    return (
        f'<figure class="app-figure" id="{escape(chart.id)}">'
        f'<img class="app-bar-chart" src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}">'
        f'<figcaption class="app-figure__caption">{escape(chart.summary)}</figcaption></figure>'
    )
