"""The budget monitor: each line's budget, forecast outturn, variance and movement for a month."""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from common.money import format_money
from common.periods import FinancialYear, Period
from web.charts import sparkline
from web.clients.gateway import ApiError
from web.clients.models import PositionLine, PositionTotals
from web.exports import Column, download_links, export, header_cells, money_column, wanted
from web.rendering import render
from web.views.dashboard import PageContext
from web.views.savings import Finance

router = APIRouter()


def _month_label(code: str) -> str:
    return Period.parse(code).label


def month_options(position_month: str | None, today: date) -> list[tuple[str, str]]:
    """Months of the shown financial year and the one before, newest first, none in the future."""
    anchor = Period.parse(position_month).start if position_month else today
    year = FinancialYear.containing(anchor)
    latest = max(anchor, today)
    months = [m for m in [*year.previous().months(), *year.months()] if m <= latest]
    return [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in reversed(months)]


def _trend(line: PositionLine) -> str:
    points = line.trend
    if len(points) < 2:
        return ""
    first, last = points[0], points[-1]
    label = (
        f"Forecast outturn trend for {line.name}: "
        f"{format_money(first.forecast_outturn, short=True)} in {_month_label(first.month)} "
        f"to {format_money(last.forecast_outturn, short=True)} in {_month_label(last.month)}"
    )
    return sparkline([p.forecast_outturn for p in points], label=label)


def movement_sentence(totals: PositionTotals) -> str:
    """How councils say the year's movement: "forecast overspend £3.1m, down £600k from the
    original forecast of £3.7m" (the original forecast's variance against today's budget)."""
    variance = totals.variance
    moved = totals.movement_since_original
    original = variance - moved
    words = "overspend" if variance > 0 else "underspend" if variance < 0 else "on budget"
    now = f"forecast {words}" + (f" {format_money(abs(variance), short=True)}" if variance else "")
    if moved == 0:
        return f"{now}, unchanged since the original forecast"
    direction = "up" if moved > 0 else "down"
    was = "overspend of " if original > 0 and variance <= 0 else ""
    was = "underspend of " if original < 0 and variance >= 0 else was
    return (
        f"{now}, {direction} {format_money(abs(moved), short=True)} from the original forecast "
        f"of {was}{format_money(abs(original), short=True)}"
    )


COLUMNS = [
    Column("name", "Budget line", lambda line: line.name),
    Column("cost_centre", "Cost centre", lambda line: line.cost_centre, page=False),
    Column("service_area", "Service area", lambda line: line.service_area, page=False),
    money_column("budget", "Budget"),
    money_column("forecast_outturn", "Forecast outturn"),
    money_column("variance", "Variance"),
    Column("variance_words", "Over or under", lambda line: line.variance_words, page=False),
    money_column("movement", "Movement"),
    money_column("original_forecast", "Original forecast", page=False),
    money_column("movement_since_original", "Movement since original forecast"),
    Column("trend", "Trend", lambda line: None, download=False),
    Column("commentary", "Commentary", lambda line: line.commentary, page=False),
]
"""The budget monitor's table, on the page and in its downloads (a positive variance is an
overspend; money in pounds and pence)."""


@router.get("/budget", response_class=HTMLResponse, response_model=None)
async def budget_monitor(
    request: Request,
    page: PageContext,
    finance: Finance,
    month: str = "",
    format: str = "",
    retired: str = "",
) -> Response:
    """The budget monitor for a month; `format=csv` or `format=xlsx` downloads its lines.
    `retired=yes` lists the retired lines below it too."""
    errors: dict[str, str] = {}
    try:
        position = await finance.budget_position(month or None)
    except ApiError as error:
        if error.status != 422:
            raise
        errors = error.field_errors() or {"month": str(error)}
        position = await finance.budget_position(None)
    fmt = wanted(format)
    if fmt and not errors:
        return export(
            COLUMNS,
            position.lines,
            name=f"budget-monitor-{position.month}",
            fmt=fmt,
            sheet="Budget",
        )
    months = [p.month for line in position.lines for p in line.trend]
    trend_months = sorted(set(months))
    context = {
        **page,
        "nav": "budget",
        "title": "Budget monitor",
        "position": position,
        "month_label": _month_label(position.month),
        "movement_sentence": movement_sentence(position.totals)
        if position.totals.lines_with_forecast
        else "",
        "errors": errors,
        "month_options": month_options(position.month, date.today()),
        "sparklines": {line.budget_line_id: _trend(line) for line in position.lines},
        "trend_months": [(m, _month_label(m)) for m in trend_months],
        "columns": header_cells(COLUMNS, {}, "", "/budget"),
        "download_links": download_links("/budget", {"month": position.month}),
        "flags": await finance.open_flags("budget"),
        "flags_back": "/budget",
        "show_retired": retired == "yes",
        "retired_lines": await finance.retired_budget_lines() if retired == "yes" else [],
    }
    return render(request, "finance/budget.html", context, block="results")
