"""Learning from other councils: what councils saved on a theme (the savings library), and the
national measure library, adopted into the plan with checkboxes."""

from collections.abc import Callable
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.clients.gateway import ApiError
from web.clients.kpi_api_client import KpiApi
from web.clients.models import CouncilByTheme, ThemeTable
from web.exports import Column, download_links, export, wanted
from web.rendering import render
from web.views.dashboard import PageContext
from web.views.savings import Finance

router = APIRouter()


def _theme_columns(table: ThemeTable) -> list[Column]:
    """Council, then each theme's amount, then the council's total."""

    def on(theme: str) -> Callable[[CouncilByTheme], Decimal | None]:
        return lambda row: row.by_theme.get(theme)

    return [
        Column("council", "Council", lambda row: row.council),
        *(Column(t.theme, t.label, on(t.theme), "£", True) for t in table.themes),
        Column("total", f"Total {table.amount}", lambda row: row.total, "£", True),
    ]


@router.get("/savings-library", response_class=HTMLResponse, response_model=None)
async def savings_library(
    request: Request,
    page: PageContext,
    finance: Finance,
    theme: str = "",
    financial_year: str = "",
    format: str | None = None,
) -> Response:
    """What other councils saved on a theme: their lines, totals by council and year, per head;
    `format=csv` or `format=xlsx` downloads councils down and themes across."""
    errors: dict[str, str] = {}
    themes = await finance.themes()
    try:
        library = await finance.library(theme=theme, financial_year=financial_year, limit=200)
    except ApiError as error:
        if error.status != 422:
            raise
        library = None
        errors = {
            ("financial_year" if "financial_year" in field else "theme"): message
            for field, message in error.field_errors().items()
        } or {"theme": str(error)}
    fmt = wanted(format)
    if fmt and not errors:
        table = await finance.by_theme(financial_year)
        return export(
            _theme_columns(table), table.councils, name="savings-by-theme", fmt=fmt, sheet="Savings"
        )
    context = {
        **page,
        "nav": "savings",
        "title": "What other councils saved",
        "themes": [("", "Every theme")] + [(t.theme, t.label) for t in themes],
        "filters": {"theme": theme, "financial_year": financial_year},
        "library": library,
        "errors": errors,
        "download_links": download_links("/savings-library", {"financial_year": financial_year}),
    }
    return render(request, "finance/library.html", context, block="results")


@router.get("/measure-library", response_class=HTMLResponse)
async def measure_library(
    request: Request, page: PageContext, kpi: KpiApi, adopted: int = 0
) -> HTMLResponse:
    return await _measure_library(request, page, kpi, adopted=adopted)


async def _measure_library(
    request: Request,
    page: PageContext,
    kpi: KpiApi,
    *,
    adopted: int = 0,
    chosen: list[str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    measures = await kpi.library()
    context = {
        **page,
        "nav": "kpis",
        "title": "National measure library",
        "measures": measures,
        "chosen": set(chosen or []),
        "adopted": adopted,
        "errors": errors or {},
    }
    return render(request, "kpis/library.html", context, status_code=status_code)


@router.post("/measure-library", response_class=HTMLResponse)
async def adopt_measures(
    request: Request,
    page: PageContext,
    kpi: KpiApi,
    keys: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Adopt the measures ticked, in one step: all of them, or none and the reason why."""
    chosen = keys or []
    if not chosen:
        errors = {"keys": "Select at least one measure to adopt"}
        return await _measure_library(request, page, kpi, errors=errors, status_code=422)
    try:
        adopted = await kpi.adopt(chosen)
    except ApiError as error:
        if error.status not in (403, 409, 422):
            raise
        errors = {"keys": str(error) or "These measures could not be adopted"}
        return await _measure_library(
            request, page, kpi, chosen=chosen, errors=errors, status_code=error.status
        )
    return RedirectResponse(f"/measure-library?adopted={len(adopted)}", status_code=303)
