"""Charts people can read: round axis values, money as £300k (never 1.2e+06), a legend in
text for every chart of more than one series, and margins that fit every label."""

import re
from datetime import date
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from common.charts import money_tick, nice_ticks, number_tick
from web.charts import Series, line_chart
from web.clients.models import Timeline
from web.views.projects import gantt

SVG = "{http://www.w3.org/2000/svg}"


def _svg(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(markup)


def _ticks(svg: ElementTree.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text") if t.get("class") == "app-chart__tick"]


def _money_chart(*values: str) -> ElementTree.Element:
    return _svg(
        line_chart(
            title="Savings",
            description="Monthly returns",
            labels=[f"M{i}" for i in range(len(values))],
            series=[Series("Forecast for the year", [Decimal(v) for v in values])],
            tick_label=money_tick,
        )
    )


def test_a_money_axis_reads_in_pounds_thousands_and_millions() -> None:
    svg = _money_chart("0", "450000", "1150000")
    assert _ticks(svg) == ["£0", "£300k", "£600k", "£900k", "£1.2m"]


def test_a_number_axis_never_reads_in_exponents() -> None:
    svg = _svg(
        line_chart(
            title="Contacts",
            description="Monthly",
            labels=["Apr", "May"],
            series=[Series("Actual", [Decimal(0), Decimal(1_200_000)])],
        )
    )
    ticks = _ticks(svg)
    assert ticks == ["0", "300,000", "600,000", "900,000", "1,200,000"]
    assert not any(re.search(r"\de[+-]?\d", t) for t in ticks)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        ("0", "1150000", ["0", "300000", "600000", "900000", "1200000"]),
        ("60", "82", ["60", "70", "80", "90"]),
        ("-186364", "2845455", ["-1000000", "0", "1000000", "2000000", "3000000"]),
        ("5", "5", ["5", "5.25", "5.5", "5.75", "6"]),
    ],
)
def test_ticks_are_round_and_cover_the_figures(low: str, high: str, expected: list[str]) -> None:
    ticks = nice_ticks(Decimal(low), Decimal(high))
    assert [f"{t:f}" for t in ticks] == expected


def test_tick_labels_honour_decimal_places() -> None:
    assert number_tick(Decimal("11.854183"), 1) == "11.9"
    assert number_tick(Decimal("1200000"), 0) == "1,200,000"


def test_every_chart_of_several_series_has_a_legend_in_text_and_one_series_needs_none() -> None:
    two = _svg(
        line_chart(
            title="Measure: actual against target",
            description="Actual and target",
            labels=["Apr", "May", "Jun"],
            series=[
                Series("Actual", [Decimal(70), Decimal(72), None]),
                Series("Target", [Decimal(78)] * 3, dashed=True),
            ],
        )
    )
    keys = [g for g in two.iter(f"{SVG}g") if g.get("class") == "app-chart__legend-key"]
    assert [k.find(f"{SVG}text").text for k in keys] == ["Actual", "Target"]  # type: ignore[union-attr]
    dashed = [k.find(f"{SVG}line").get("stroke-dasharray") for k in keys]  # type: ignore[union-attr]
    assert dashed == [None, "6 4"]  # the target's key is dashed like its line
    assert not list(_money_chart("1", "2").iter(f"{SVG}g"))


def test_the_value_axis_margin_fits_its_longest_label() -> None:
    svg = _money_chart("0", "1150000")
    wide = _svg(
        line_chart(
            title="Contacts",
            description="Monthly",
            labels=["Apr", "May"],
            series=[Series("Actual", [Decimal(0), Decimal(123_456_789)])],
        )
    )
    grid = list(wide.iter(f"{SVG}line"))
    left = float(grid[0].get("x1") or 0)
    longest = max(len(t) for t in _ticks(wide))
    assert left >= longest * 7  # about 7 px a character at 12 px: the label fits inside
    assert float(next(svg.iter(f"{SVG}line")).get("x1") or 0) >= 40


def test_the_gantts_last_month_label_fits_inside_its_right_edge() -> None:
    timeline = Timeline.model_validate(
        {
            "project_id": "p1",
            "project_name": "Front Door",
            "start_month": "2025-04",
            "end_month": "2025-09",
            "milestones": [
                {
                    "id": "m1",
                    "project_id": "p1",
                    "title": "Go live",
                    "baseline_date": "2025-08-31",
                    "forecast_date": "2025-09-30",
                    "due_date": "2025-09-30",  # a month label lands on the right edge
                    "actual_date": None,
                    "status": "in_progress",
                    "overdue": False,
                    "slippage_days": 30,
                    "version": 1,
                }
            ],
        }
    )
    svg = _svg(gantt(timeline, date(2025, 6, 1)))
    width = float((svg.get("viewBox") or "").split()[2])
    for text in svg.iter(f"{SVG}text"):
        x = float(text.get("x") or 0)
        shown = text.text or ""
        if text.get("text-anchor") == "end":
            assert x - len(shown) * 7 >= 0, shown
        else:
            assert x + len(shown) * 7 <= width, shown
