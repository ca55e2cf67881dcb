"""Savings pages: the tracker, one line's history, and the monthly entry form."""

import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from common.charts import money_tick
from common.periods import FinancialYear, Period
from web.charts import Series, line_chart
from web.clients.audit_api_client import record_history
from web.clients.finance_api_client import FinanceApiClient
from web.clients.gateway import ApiError, Gateway
from web.clients.models import Caller, Entry, SavingsLine, TrackerRow
from web.clients.projects_api_client import ProjectsApiClient
from web.exports import Column, export, money_column, rag_word, tracker_table, wanted
from web.forms import unless_allowed
from web.rendering import render
from web.views.dashboard import PageContext

router = APIRouter()


def finance_client(gateway: Gateway) -> FinanceApiClient:
    return FinanceApiClient(gateway)


Finance = Annotated[FinanceApiClient, Depends(finance_client)]

CATEGORIES = [
    ("care_package_reviews", "Care package reviews"),
    ("reablement", "Reablement"),
    ("prevention", "Prevention"),
    ("direct_payments", "Direct payments"),
    ("commissioning_and_procurement", "Commissioning and procurement"),
    ("fees_and_market", "Fees and market"),
    ("income_and_charging", "Income and charging"),
    ("staffing_and_structures", "Staffing and structures"),
    ("technology_enabled_care", "Technology-enabled care"),
    ("demand_management", "Demand management"),
    ("other", "Other"),
]
TYPES = [
    ("cashable", "Cashable"),
    ("non_cashable", "Non-cashable"),
    ("cost_avoidance", "Cost avoidance"),
]
STATUSES = {
    "proposed": "Proposed",
    "approved": "Approved",
    "in_delivery": "In delivery",
    "delivered": "Delivered",
    "written_off": "Written off",
}
CATEGORY_LABELS, TYPE_LABELS = dict(CATEGORIES), dict(TYPES)


def _selected(field: str) -> Callable[[TrackerRow], object]:
    return lambda line: getattr(line.selected, field)


COLUMNS = [
    Column("reference", "Reference", lambda r: r.reference, sortable=True),
    Column("title", "Savings line", lambda r: r.title, sortable=True),
    Column("owner", "Owner", lambda r: r.owner_team, sortable=True),
    Column("category", "Category", lambda r: CATEGORY_LABELS.get(r.category), page=False),
    Column("type", "Type", lambda r: TYPE_LABELS.get(r.saving_type), page=False),
    Column("status", "Status", lambda r: STATUSES.get(r.status, r.status), page=False),
    money_column("target", "Target", _selected("target"), sortable=True),
    money_column("achieved", "Achieved to date", _selected("achieved_to_date"), sortable=True),
    money_column("forecast", "Forecast for year", _selected("forecast_for_year"), sortable=True),
    money_column("slippage", "Slippage", _selected("slippage"), sortable=True),
    Column("confidence", "Confidence", lambda r: rag_word(r.delivery_confidence), sortable=True),
]
"""The savings tracker's table, on the page and in its downloads (money in pounds and pence;
a blank money cell is a line without a return)."""
FILTERS = ("financial_year", "category", "saving_type", "owner_team", "project_id")


def year_options(today: date) -> list[str]:
    current = FinancialYear.containing(today)
    return [FinancialYear(current.start_year + offset).label for offset in range(-2, 3)]


@router.get("/savings", response_class=HTMLResponse, response_model=None)
async def savings_tracker(
    request: Request,
    page: PageContext,
    finance: Finance,
    financial_year: str = "",
    category: str = "",
    saving_type: str = "",
    owner_team: str = "",
    project_id: str = "",
    sort: str = "reference",
    format: str | None = None,
    retired: str = "",
) -> Response:
    """The savings tracker; `format=csv` or `format=xlsx` downloads the same lines. Retired
    lines are left out unless `retired=yes` ("Show retired")."""
    today = date.today()
    filters = {
        "financial_year": financial_year or FinancialYear.containing(today).label,
        "category": category,
        "saving_type": saving_type,
        "owner_team": owner_team,
        "project_id": project_id,
    }
    errors: dict[str, str] = {}
    try:
        tracker = await finance.tracker(
            **filters, sort=sort, limit=500, include_retired="true" if retired == "yes" else ""
        )
    except ApiError as error:
        if error.status != 422:
            raise
        tracker = None
        errors = error.field_errors() or {"financial_year": str(error)}
    fmt = wanted(format)
    if fmt and tracker is not None:
        return export(COLUMNS, tracker.items, name="savings", fmt=fmt, sheet="Savings")
    projects = await finance.project_names()
    context = {
        "flags": await finance.open_flags("savings"),
        "flags_back": "/savings",
        **page,
        "nav": "savings",
        "title": "Savings tracker",
        "tracker": tracker,
        "errors": errors,
        **tracker_table(COLUMNS, "/savings", filters, sort, retired),
        "year_options": [(y, y) for y in year_options(today)],
        "categories": CATEGORIES,
        "types": TYPES,
        "owner_options": [("", "All owners")] + [(o, o) for o in await finance.owners()],
        "project_options": [
            ("", "All projects"),
            *sorted(projects.items(), key=lambda item: item[1].lower()),
        ],
        "projects": projects,
    }
    return render(request, "finance/savings.html", context, block="results")


# --- the monthly entry form ---------------------------------------------------------------------


def _month(value: str, today: date) -> date:
    try:
        period = Period.parse(value) if value else Period.month_of(today)
    except ValueError:
        period = Period.month_of(today)
    return period.start


async def _entry_forms(
    finance: FinanceApiClient, month: date, owner_team: str
) -> list[dict[str, Any]]:
    year = FinancialYear.containing(month).label
    # As at the month's end, so each line's latest return is never a later month's.
    tracker = await finance.tracker(
        financial_year=year, owner_team=owner_team, as_at=f"{month:%Y-%m}", limit=500
    )
    forms = []
    for line in tracker.items:
        version = ""
        # A month's form shows that month's own return, or nothing: never another month's.
        values: dict[str, Any] = {"achieved_to_date": None, "forecast_for_year": None, "note": ""}
        if line.selected.latest_month == f"{month:%Y-%m}":
            entry = await finance.entry(line.id, month)
            version = str(entry.version)
            values = {
                "achieved_to_date": entry.achieved_to_date,
                "forecast_for_year": entry.forecast_for_year,
                "note": entry.note,
            }
        forms.append(
            {
                "line": line,
                "values": {k: _plain(v) for k, v in values.items()},
                "version": version,
                "errors": {},
                "saved": False,
                "confirm": False,
            }
        )
    return forms


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


_FIELD_IDS = {
    "achieved_to_date": "achieved",
    "forecast_for_year": "forecast",
    "note": "note",
    "confirm": "confirm",
}


def _lead_only(page: dict[str, Any]) -> tuple[bool, str]:
    """Whether the viewer is a service lead and nothing more, and their team."""
    me = page.get("me")
    if not isinstance(me, Caller):
        return False, ""
    roles = set(me.roles)
    central = {"admin", "finance", "programme_office"}
    return "service_lead" in roles and not roles & central, str(me.team or "")


async def _entry_page(
    request: Request,
    page: dict[str, Any],
    finance: FinanceApiClient,
    month: date,
    owner_team: str,
    forms: list[dict[str, Any]],
    *,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    """The month's entry forms; with `errors` (a form sent without htmx that came back), the
    page's own error summary names each one, and the page answers 422."""
    context = {
        **page,
        "nav": "savings",
        "title": "Enter savings",
        "month": month,
        "lead_only": _lead_only(page)[0],
        "owner_team": owner_team,
        "owners": await finance.owners(),
        "forms": forms,
        "errors": errors or {},
    }
    if errors is None:
        return render(request, "finance/entry.html", context, block="entries")
    context["page_summary"] = True
    return render(request, "finance/entry.html", context, status_code=422)


@router.get("/savings/entry", response_class=HTMLResponse)
async def savings_entry(
    request: Request,
    page: PageContext,
    finance: Finance,
    month: str = "",
    owner_team: str = "",
    saved: str = "",
) -> HTMLResponse:
    if refused := unless_allowed(request, page, "enter savings returns", "finance"):
        return refused
    lead_only, own_team = _lead_only(page)
    if lead_only:
        team = own_team  # a service lead sees their own team's lines only
    else:
        team = owner_team if "owner_team" in request.query_params else own_team
    chosen = _month(month, date.today())
    forms = await _entry_forms(finance, chosen, team)
    for form in forms:
        form["saved"] = form["line"].id == saved
    return await _entry_page(request, page, finance, chosen, team, forms)


@router.post("/savings/entry", response_class=HTMLResponse)
async def save_savings_entry(
    request: Request,
    page: PageContext,
    finance: Finance,
    line_id: Annotated[uuid.UUID, Form()],
    month: Annotated[str, Form()],
    achieved_to_date: Annotated[str, Form()] = "",
    forecast_for_year: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
    owner_team: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    chosen = _month(month, date.today())
    values = {
        "achieved_to_date": achieved_to_date,
        "forecast_for_year": forecast_for_year,
        "note": note,
    }
    errors: dict[str, str] = {}
    for field, label in (
        ("achieved_to_date", "achieved to date"),
        ("forecast_for_year", "forecast for the year"),
    ):
        if not values[field].strip():
            errors[field] = f"Enter the {label}"
    if not errors:
        try:
            # `confirm` answers the question the form asks of a forecast far above target.
            sent = values | ({"confirm": "true"} if confirm else {})
            await finance.save_entry(str(line_id), chosen, sent, version or None)
        except ApiError as error:
            errors = {
                (k if k in _FIELD_IDS else "form"): v for k, v in error.field_errors().items()
            } or {"form": str(error)}
    htmx = request.headers.get("hx-request") == "true"
    if not errors and not htmx:
        query = urlencode({"month": f"{chosen:%Y-%m}", "owner_team": owner_team, "saved": line_id})
        return RedirectResponse(f"/savings/entry?{query}#entry-{line_id}", status_code=303)
    forms = await _entry_forms(finance, chosen, owner_team)
    form = next((f for f in forms if f["line"].id == str(line_id)), None)
    if form is None:
        return RedirectResponse("/savings/entry", status_code=303)
    if errors:
        form["values"], form["errors"], form["version"] = values, errors, version
        form["confirm"] = bool(confirm)
    else:
        form["saved"] = True
    if htmx:
        # htmx swaps only 2xx answers, so the form with its errors comes back as 200.
        return render(
            request,
            "finance/_entry_form.html",
            {"form": form, "month": chosen, "owner_team": owner_team},
        )
    errors = {
        f"{_FIELD_IDS.get(k, 'achieved')}-{line_id}": f"{form['line'].reference}: {v}"
        for k, v in errors.items()
    }
    return await _entry_page(request, page, finance, chosen, owner_team, forms, errors=errors)


# --- one savings line ---------------------------------------------------------------------------


def _chart(line: SavingsLine, entries: list[Entry], year: str) -> str:
    months = FinancialYear.parse(year).months()
    by_month = {e.month: e for e in entries if e.financial_year == year}
    target = next((t.in_year for t in line.targets if t.financial_year == year), None)

    def values(field: str) -> list[Decimal | None]:
        return [
            getattr(by_month[f"{m:%Y-%m}"], field) if f"{m:%Y-%m}" in by_month else None
            for m in months
        ]

    series = [
        Series("Achieved to date", values("achieved_to_date")),
        Series("Forecast for the year", values("forecast_for_year")),
    ]
    if target is not None:
        series.append(Series("Target", [target] * len(months), dashed=True))
    return line_chart(
        title=f"{line.title}: monthly returns for {year}",
        description=(
            f"Achieved to date and forecast for the year each month of {year}, "
            f"against the in-year target. The table below gives the same numbers."
        ),
        labels=[f"{m:%b}" for m in months],
        series=series,
        tick_label=money_tick,
    )


@router.get("/savings/{line_id}", response_class=HTMLResponse)
async def savings_line(
    request: Request,
    page: PageContext,
    finance: Finance,
    gateway: Gateway,
    line_id: uuid.UUID,
    financial_year: str = "",
) -> HTMLResponse:
    try:
        line = await finance.savings_line(str(line_id))
    except ApiError as error:
        if error.status == 404:
            return render(request, "errors/404.html", {**page}, status_code=404)
        raise
    entries = await finance.entries(str(line_id))
    years = [p.financial_year for p in line.progress]
    with_returns = [e.financial_year for e in entries]
    year = (
        financial_year
        if financial_year in years
        else (with_returns[-1] if with_returns else (years[0] if years else ""))
    )
    projects = await finance.project_names()
    kpi = None
    if line.kpi_measure_id:
        statuses = await ProjectsApiClient(gateway).kpi_statuses({line.kpi_measure_id})
        kpi = statuses.get(line.kpi_measure_id)
    me = page.get("me")
    roles = set(me.roles) if isinstance(me, Caller) else set()
    benefit = await finance.benefit(str(line_id))
    peers = await finance.peers(str(line_id))
    return render(
        request,
        "finance/savings_line.html",
        {
            **page,
            "nav": "savings",
            "title": line.title,
            "line": line,
            "kpi": kpi,
            "benefit": benefit,
            "peers": peers,
            "can_change": bool(roles & {"finance", "admin"})
            or ("service_lead" in roles and me is not None and me.team == line.owner_team),
            "change_owner": bool(roles & {"finance", "admin"}),
            "year": year,
            "years": years,
            "entries": [e for e in entries if e.financial_year == year],
            "notes": [e for e in reversed(entries) if e.note],
            "chart": _chart(line, entries, year) if year else "",
            "projects": projects,
            "statuses": STATUSES,
            "categories": dict(CATEGORIES),
            "types": dict(TYPES),
            "record_history": await record_history(
                gateway,
                "finance",
                "savings_lines",
                str(line_id),
                parts=[
                    ("savings_entries", e.id, f"Return for {Period.parse(e.month).start:%B %Y}")
                    for e in entries
                ],
            ),
        },
    )


@router.post("/reconciliation-flags/explain", response_class=HTMLResponse)
async def explain_flag(
    finance: Finance,
    flag_id: Annotated[uuid.UUID, Form()],
    version: Annotated[str, Form()] = "",
    explanation: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "/savings",
) -> Response:
    """Mark an imported total that did not add up as explained, with why; back to its tracker."""
    target = back if back in ("/budget", "/savings") else "/savings"
    if not explanation.strip():
        return RedirectResponse(f"{target}?flag_error={flag_id}#flag-{flag_id}", status_code=303)
    await finance.explain_flag(str(flag_id), version, explanation.strip())
    return RedirectResponse(f"{target}#flags", status_code=303)
