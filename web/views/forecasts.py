"""The month's budget forecasts: a finance officer enters the forecast outturn of every budget
line in one form, starting from the latest earlier figures so that a quiet month takes seconds."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from common.periods import Period
from web.clients.finance_api_client import FinanceApiClient
from web.clients.gateway import ApiError
from web.clients.models import PositionLine
from web.forms import Question, unless_allowed
from web.rendering import render
from web.roles import refusal
from web.views.budget import month_options
from web.views.dashboard import PageContext
from web.views.savings import Finance

router = APIRouter()
FORECAST = Question("forecast_outturn", "Forecast outturn", "money")
COMMENTARY = Question("commentary", "Commentary", "textarea")


@dataclass
class Row:
    """One budget line of the form: what it shows, what was typed, and what went wrong."""

    line: PositionLine
    version: int | None
    forecast: str
    commentary: str
    errors: dict[str, str] = field(default_factory=dict)
    previous: Decimal | None = None
    """The latest earlier forecast of the financial year, whatever month it was."""
    theirs: str = ""
    """Their figure, when someone else saved this line's forecast after the form was opened."""


def _month(value: str) -> str:
    try:
        return Period.parse(value).code if value else Period.month_of(date.today()).code
    except ValueError:
        return Period.month_of(date.today()).code


def _plain(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}"


async def _rows(finance: FinanceApiClient, month: str) -> tuple[Any, list[Row]]:
    position = await finance.budget_position(month)
    rows = []
    year = Period.parse(month).year.label
    for line in position.lines:
        forecasts = await finance.forecasts(line.budget_line_id)
        earlier = [f for f in forecasts if f.financial_year == year and f.month < month]
        previous = max(earlier, key=lambda f: f.month).forecast_outturn if earlier else None
        saved = next((f for f in forecasts if f.month == month), None)
        if saved is not None:
            row = Row(line, saved.version, _plain(saved.forecast_outturn), saved.commentary)
        else:  # start from the previous forecast, so only what moved needs typing
            row = Row(line, None, _plain(previous), "")
        row.previous = previous
        rows.append(row)
    return position, rows


def _page(
    request: Request,
    page: dict[str, Any],
    month: str,
    rows: list[Row],
    *,
    saved: int = 0,
    status_code: int = 200,
) -> HTMLResponse:
    errors = {
        f"{name}-{row.line.budget_line_id}": f"{row.line.name}: {message}"
        for row in rows
        for name, message in row.errors.items()
    }
    return render(
        request,
        "finance/forecasts.html",
        {
            **page,
            "nav": "budget",
            "title": ("Error: " if errors else "") + "Enter the month's budget forecasts",
            "month": month,
            "month_label": Period.parse(month).label,
            "month_options": month_options(month, date.today()),
            "rows": rows,
            "errors": errors,
            "saved": saved,
        },
        status_code=status_code,
    )


@router.get("/budget/forecasts", response_class=HTMLResponse)
async def forecasts_form(
    request: Request, page: PageContext, finance: Finance, month: str = "", saved: int = 0
) -> HTMLResponse:
    if refused := unless_allowed(request, page, "enter budget forecasts", "budget"):
        return refused
    chosen = _month(month)
    _position, rows = await _rows(finance, chosen)
    return _page(request, page, chosen, rows, saved=saved)


@router.post("/budget/forecasts", response_class=HTMLResponse, response_model=None)
async def save_forecasts(request: Request, page: PageContext, finance: Finance) -> Response:
    """Check every line, then save each that changed; a line that cannot be saved keeps what
    was typed and says why, next to it, while the others are saved."""
    if refused := unless_allowed(request, page, "enter budget forecasts", "budget"):
        return refused
    form = await request.form()
    month = _month(str(form.get("month", "")))
    _position, rows = await _rows(finance, month)
    typed: list[tuple[Row, int | None]] = []
    for row in rows:
        key = row.line.budget_line_id
        shown_version = str(form.get(f"version-{key}", ""))
        before = (row.forecast, row.commentary)
        row.forecast = str(form.get(f"forecast-{key}", "")).strip()
        row.commentary = str(form.get(f"commentary-{key}", "")).strip()
        if not row.forecast:
            row.errors["forecast"] = "Enter the forecast outturn"
        elif problem := FORECAST.problem(row.forecast):
            row.errors["forecast"] = problem
        if (row.forecast, row.commentary) != before or row.version is None:
            typed.append((row, int(shown_version) if shown_version else None))
    if any(row.errors for row in rows):
        return _page(request, page, month, rows, status_code=422)
    saved = 0
    for row, shown in typed:
        if row.version != shown:  # saved by someone else since this form was opened
            row.theirs = next(
                (
                    _plain(f.forecast_outturn)
                    for f in await finance.forecasts(row.line.budget_line_id)
                    if f.month == month
                ),
                "",
            )
            row.errors["forecast"] = (
                "Someone else changed this since you opened it: their forecast is "
                f"£{row.theirs}. Send the form again to replace it with yours"
            )
            continue
        values = {
            "forecast_outturn": str(FORECAST.sent(row.forecast)),
            "commentary": row.commentary,
        }
        try:
            result = await finance.save_forecast(
                row.line.budget_line_id, month, values, row.version
            )
        except ApiError as error:
            if error.status == 403:
                row.errors["forecast"] = refusal("enter budget forecasts", "budget")
            else:
                messages = error.field_errors()
                row.errors["forecast"] = (
                    messages.get("forecast_outturn")
                    or next(iter(messages.values()), "")
                    or str(error.problem.get("detail") or "This forecast could not be saved")
                )
            continue
        row.version = result.version
        saved += 1
    if any(row.errors for row in rows):
        return _page(request, page, month, rows, saved=saved, status_code=422)
    query = urlencode({"month": month, "saved": saved})
    return RedirectResponse(f"/budget/forecasts?{query}", status_code=303)
