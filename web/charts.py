"""Accessible SVG charts: a title and description, the Analysis Function palette, and always a
table of the same numbers beside them (the templates render it)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal | float | int | None]
    dashed: bool = False


def line_chart(
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    width: int = 640,
    height: int = 280,
) -> str:
    """An SVG line chart; gaps (None) break the line. Returns markup safe to insert."""
    points = [float(v) for s in series for v in s.values if v is not None]
    low, high = (min(points), max(points)) if points else (0.0, 1.0)
    if low == high:
        low, high = low - 1, high + 1
    low = min(low, 0.0) if low >= 0 and low < high * 0.5 else low
    left, right, top, bottom = 56, 16, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return left + i * step

    def y(v: float) -> float:
        return top + plot_h - (v - low) / (high - low) * plot_h

    parts = [
        f'<svg class="app-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
    ]
    for tick in range(5):
        value = low + (high - low) * tick / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#0b0c0c">{value:,.4g}</text>'
        )
    every = max(1, len(labels) // 8)
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - 12}" text-anchor="middle" font-size="12" '
                f'fill="#0b0c0c">{escape(label)}</text>'
            )
    for n, s in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, v in enumerate(s.values):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
            else:
                segment.append(f"{x(i):.1f},{y(float(v)):.1f}")
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
