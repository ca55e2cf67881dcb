"""The report's charts: the numbers they are drawn from, what they say, and how they are drawn."""

import re
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

from common.charts import Chart, ChartKind, ChartSeries
from web.charts import Series, bar_chart, line_chart
from web.clients.models import PositionLine, Totals, TotalsGroup
from web.views.reports import MEASURE_RAGS, PROJECT_RAGS, budget_chart, rag_chart, savings_chart

SVG = "{http://www.w3.org/2000/svg}"


def _line(name: str, variance: str | None, area: str = "Adult Social Care") -> PositionLine:
    return PositionLine(
        budget_line_id=name,
        name=name,
        cost_centre="",
        service_area=area,
        original_budget=Decimal(0),
        budget=Decimal(0),
        forecast_outturn=None,
        previous_forecast=None,
        previous_month=None,
        variance=None if variance is None else Decimal(variance),
        variance_words="",
        movement=None,
        original_forecast=None,
        original_month=None,
        movement_since_original=None,
        commentary="",
        trend=[],
    )


def _variance(lines: list[PositionLine]) -> Decimal:
    """The position's total variance as the finance service sends it: Σ line variances."""
    return sum((line.variance for line in lines if line.variance is not None), Decimal(0))


NO_SPLIT: dict[str, Any] = {
    "by_type": [],
    "cashable_percent_delivered": None,
    "cashable_percent_forecast": None,
    "brag": {},
}
"""The totals' split by type and BRAG, which the charts do not read."""


def _overall(groups: list[TotalsGroup]) -> Totals:
    """The overall savings totals the finance service sends with the groups."""
    return Totals(
        target=sum((g.target for g in groups), Decimal(0)),
        achieved_to_date=sum((g.achieved_to_date for g in groups), Decimal(0)),
        full_year_effect=Decimal(0),
        forecast_for_year=Decimal(0),
        slippage=Decimal(0),
        lines=len(groups),
        lines_without_return=0,
        **NO_SPLIT,
    )


def _group(label: str, target: str, achieved_to_date: str) -> TotalsGroup:
    return TotalsGroup(
        key=label,
        label=label,
        target=Decimal(target),
        achieved_to_date=Decimal(achieved_to_date),
        full_year_effect=Decimal(0),
        forecast_for_year=Decimal(0),
        slippage=Decimal(0),
        lines=1,
        lines_without_return=0,
        **NO_SPLIT,
    )


def _figure(chart: Chart) -> ElementTree.Element:
    """The figure as XML: it must be well formed to be parsed at all."""
    return ElementTree.fromstring(bar_chart(chart))


def test_the_budget_chart_holds_each_lines_variance_exactly_and_names_the_largest_overspend() -> (
    None
):
    lines = [
        _line("Residential care", "1200000.01"),
        _line("Home care", "-186364.00"),
        _line("Day services", "350000.00"),
    ]
    chart = budget_chart(lines, _variance(lines), "December 2025")
    assert chart is not None
    assert chart.series[0].values == (
        Decimal("1200000.01"),
        Decimal("-186364.00"),
        Decimal("350000.00"),
    )
    assert chart.summary == (
        "Forecast £1.364m overspend at the end of December 2025: 2 budget lines overspend and "
        "1 underspend; the largest overspend is Residential care (£1.2m)."
    )
    assert chart.table == ()  # the section's own table holds these numbers


def test_lines_without_a_forecast_are_left_out_and_none_at_all_gives_no_chart() -> None:
    lines = [_line("Home care", None), _line("Day services", "-5.00")]
    chart = budget_chart(lines, _variance(lines), "May 2025")
    assert chart is not None
    assert chart.categories == ("Day services",)
    assert chart.summary.startswith("Forecast £5.00 underspend at the end of May 2025")
    assert budget_chart([_line("Home care", None)], Decimal(0), "May 2025") is None
    assert budget_chart([], Decimal(0), "May 2025") is None


def test_many_budget_lines_are_charted_by_service_area_with_a_table_of_their_own() -> None:
    lines = [
        _line(f"Line {i}", "1000.00", "Older people" if i % 2 else "Mental health")
        for i in range(20)
    ]
    chart = budget_chart(lines, _variance(lines), "June 2025")
    assert chart is not None
    assert chart.title == "Forecast variance by service area, June 2025"
    assert chart.categories == ("Mental health", "Older people")
    assert chart.series[0].values == (Decimal("10000.00"), Decimal("10000.00"))
    assert chart.table == (
        ("Service area", "Variance"),
        ("Mental health", "£10k overspend"),
        ("Older people", "£10k overspend"),
    )


def test_the_savings_chart_pairs_target_and_achieved_and_names_the_furthest_behind() -> None:
    groups = [
        _group("p1", "1100000.00", "755000.00"),
        _group("Reablement", "300000.00", "75000.00"),
    ]
    chart = savings_chart(groups, _overall(groups), {"p1": "Spending Wisely"}, "project", "2025/26")
    assert chart is not None
    assert chart.categories == ("Spending Wisely", "Reablement")
    assert [s.name for s in chart.series] == ["Target", "Achieved to date"]
    assert chart.series[0].values == (Decimal("1100000.00"), Decimal("300000.00"))
    assert chart.series[1].values == (Decimal("755000.00"), Decimal("75000.00"))
    assert chart.summary == (
        "£830k of the 2025/26 savings target of £1.4m achieved to date (59%); furthest behind "
        "is Reablement, £75k of £300k (25%)."
    )
    assert savings_chart([], _overall([]), {}, "category", "2025/26") is None


def test_savings_with_no_target_are_charted_but_never_called_furthest_behind() -> None:
    groups = [
        _group("Extra income", "0.00", "5000.00"),
        _group("Reviews", "10000.00", "9000.00"),
    ]
    chart = savings_chart(groups, _overall(groups), {}, "category", "2025/26")
    assert chart is not None
    assert chart.categories == ("Extra income", "Reviews")
    assert chart.summary.endswith("furthest behind is Reviews, £9k of £10k (90%).")
    assert "£5k (no target)" in bar_chart(chart)


def test_rag_charts_count_each_status_in_words_and_none_when_there_is_nothing_to_count() -> None:
    chart = rag_chart(
        "c",
        {"green": 8, "amber": 5, "red": 3, "not_set": 0},
        PROJECT_RAGS,
        unit="projects",
        title="Projects by status (RAG)",
        when="in Q3 2025/26",
    )
    assert chart is not None
    assert chart.categories == ("Off track (Red)", "At risk (Amber)", "On track (Green)", "Not set")
    assert chart.series[0].values == (Decimal(3), Decimal(5), Decimal(8), Decimal(0))
    assert chart.summary == (
        "Of 16 projects in Q3 2025/26: 3 off track (Red), 5 at risk (Amber) and 8 on track (Green)."
    )
    assert chart.table[1] == ("Off track (Red)", "3")
    measures = rag_chart(
        "k",
        {"red": 0, "amber": 0, "green": 0, "no_data": 0, "no_target": 0},
        MEASURE_RAGS,
        unit="measures",
        title="t",
        when="w",
    )
    assert measures is None


def test_the_svg_is_named_by_its_title_and_described_by_its_caption() -> None:
    chart = Chart(
        "budget-chart",
        ChartKind.VARIANCE,
        "Forecast variance by budget line, December 2025",
        "Forecast £1.2m overspend, mostly in Residential care.",
        ("Residential care", "Home care & reablement"),
        (ChartSeries("Variance", (Decimal("1200000.00"), Decimal("-50000.00"))),),
    )
    figure = _figure(chart)
    svg = figure.find(f".//{SVG}svg")
    assert svg is not None
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    assert title is not None
    assert svg.get("aria-labelledby") == title.get("id") == "budget-chart-title"
    assert title.text == "Forecast variance by budget line, December 2025"
    caption = figure.find("figcaption")
    assert caption is not None
    assert caption.text == "Forecast £1.2m overspend, mostly in Residential care."
    assert caption.get("id") in (svg.get("aria-describedby") or "").split()
    assert svg.find(f"{SVG}desc") is not None


def test_overspend_and_underspend_differ_by_direction_and_label_not_colour_alone() -> None:
    chart = Chart(
        "v",
        ChartKind.VARIANCE,
        "Variance",
        "Summary",
        ("Over", "Under"),
        (ChartSeries("Variance", (Decimal("1000.00"), Decimal("-500.00"))),),
    )
    svg = _figure(chart).find(f".//{SVG}svg")
    assert svg is not None
    zero = next(
        float(line.get("x1") or 0)
        for line in svg.iter(f"{SVG}line")
        if line.get("y1") != line.get("y2")
    )
    bars = {r.get("data-value"): r for r in svg.iter(f"{SVG}rect")}
    over, under = bars["1000.00"], bars["-500.00"]
    assert float(over.get("x") or 0) == zero  # starts at zero, runs right
    assert float(under.get("x") or 0) + float(under.get("width") or 0) == zero  # ends at zero
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "£1k overspend" in texts
    assert "£500.00 underspend" in texts


def test_rag_bars_carry_their_words_and_an_outline_that_stands_out_from_white() -> None:
    chart = Chart(
        "r",
        ChartKind.COUNTS,
        "Measures by status",
        "Of 3 measures: 1 off track (Red) and 2 on track (Green).",
        ("Off track (Red)", "On track (Green)"),
        (ChartSeries("Measures", (Decimal(1), Decimal(2))),),
        colours=("#f47738", "#00703c"),  # the amber alone is under 3:1 against white
        unit="measures",
    )
    markup = bar_chart(chart)
    svg = _figure(chart).find(f".//{SVG}svg")
    assert svg is not None
    for rect in svg.iter(f"{SVG}rect"):
        assert rect.get("stroke") == "#0b0c0c"
    assert "Off track (Red)" in markup
    assert "1 of 3 measures (33%)" in markup


def test_long_names_are_shortened_in_the_chart_but_whole_in_its_tooltip() -> None:
    name = "A very long budget line name that would run into the bars"
    chart = Chart(
        "l",
        ChartKind.VARIANCE,
        "t",
        "s",
        (name,),
        (ChartSeries("Variance", (Decimal("1.00"),)),),
    )
    markup = bar_chart(chart)
    assert re.search(r">A very long budget line name …<", markup)
    assert f"<title>{name}: £1.00 overspend</title>" in markup


def test_two_line_charts_on_one_page_each_name_their_own_title_and_description() -> None:
    def drawn(title: str, chart_id: str | None = None) -> ElementTree.Element:
        markup = line_chart(
            title=title,
            description="Monthly figures.",
            labels=["Apr", "May"],
            series=[Series("Actual", [1, 2])],
            chart_id=chart_id,
        )
        return ElementTree.fromstring(markup)

    svgs = [drawn("Admissions"), drawn("Reviews")]
    ids = [{e.get("id") for e in svg.iter() if e.get("id")} for svg in svgs]
    assert not ids[0] & ids[1]
    for svg in svgs:
        named = {e.tag.split("}")[-1]: e.get("id") for e in svg if e.get("id")}
        assert svg.get("aria-labelledby") == f"{named['title']} {named['desc']}"
    assert drawn("Admissions").get("aria-labelledby") == svgs[0].get("aria-labelledby")
    assert drawn("Reviews", "reviews").get("aria-labelledby") == "reviews-title reviews-desc"


def test_the_savings_sentence_takes_the_whole_from_the_service_not_the_sum_of_projects() -> None:
    """A line linked to two projects is in both project groups: adding the groups would count
    its target twice, so the sentence says the service's overall figures."""
    groups = [_group("p1", "100000.00", "50000.00"), _group("p2", "100000.00", "50000.00")]
    whole = _overall(groups[:1])  # one line, in both projects
    chart = savings_chart(groups, whole, {}, "project", "2025/26")
    assert chart is not None
    assert chart.summary.startswith(
        "£50k of the 2025/26 savings target of £100k achieved to date (50%)"
    )
