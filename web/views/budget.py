"""The budget monitor: each line's budget, forecast outturn, variance and movement for a month."""

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from common.money import format_money
from common.periods import FinancialYear, Period
from web.charts import sparkline
from web.clients.gateway import ApiError
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


def _trend(line: dict[str, Any]) -> str:
    points = line["trend"]
    if len(points) < 2:
        return ""
    first, last = points[0], points[-1]
    label = (
        f"Forecast outturn trend for {line['name']}: "
        f"{format_money(first['forecast_outturn'], short=True)} in {_month_label(first['month'])} "
        f"to {format_money(last['forecast_outturn'], short=True)} in {_month_label(last['month'])}"
    )
    return sparkline([p["forecast_outturn"] for p in points], label=label)


@router.get("/budget", response_class=HTMLResponse)
async def budget_monitor(
    request: Request, page: PageContext, finance: Finance, month: str = ""
) -> HTMLResponse:
    errors: dict[str, str] = {}
    try:
        position = await finance.budget_position(month or None)
    except ApiError as error:
        if error.status != 422:
            raise
        errors = error.field_errors() or {"month": str(error)}
        position = await finance.budget_position(None)
    months = [p["month"] for line in position["lines"] for p in line["trend"]]
    trend_months = sorted(set(months))
    context = {
        **page,
        "nav": "budget",
        "title": "Budget monitor",
        "position": position,
        "month_label": _month_label(position["month"]),
        "errors": errors,
        "month_options": month_options(position["month"], date.today()),
        "sparklines": {line["budget_line_id"]: _trend(line) for line in position["lines"]},
        "trend_months": [(m, _month_label(m)) for m in trend_months],
        "csv_href": f"/api/v1/finance/budget/position.csv?month={position['month']}",
    }
    return render(request, "finance/budget.html", context, block="results")
