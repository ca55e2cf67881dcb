"""KPI pages: the tracker, a measure's page, data entry and approvals."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any, Protocol
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from common.charts import money_tick, number_tick
from common.deadlines import Deadlines, is_closed
from common.periods import Period
from web.charts import Series, line_chart, sparkline
from web.clients.audit_api_client import record_history
from web.clients.finance_api_client import FinanceApiClient
from web.clients.gateway import (
    ApiError,
    Gateway,
    GatewayClient,
    UpstreamDown,
)
from web.clients.kpi_api_client import KpiApi, KpiApiClient
from web.clients.models import Actual, KpiTarget, Measure, Revision, ScorecardRow, SeriesPoint
from web.clients.projects_api_client import ProjectsApiClient
from web.exports import Column, download_links, export, header_cells, number, wanted
from web.forms import unless_allowed
from web.rendering import as_words, render
from web.roles import may_change
from web.views.auth import page_caller
from web.views.dashboard import PageContext

router = APIRouter()

PAGE_SIZE = 50
FILTERS = ("period", "service_area", "council_plan", "rag", "frequency", "data_provider", "sort")
RAG_STATES = ("green", "amber", "red", "no_data", "no_target")
UNIT_WORDS = {
    "count": "Number",
    "percent": "Percentage",
    "gbp": "Pounds",
    "rate_per_100k": "Rate per 100,000 population",
    "days": "Days",
    "ratio": "Ratio",
}
FIGURE_FIELDS = ("value", "numerator", "denominator")


class Shown(Protocol):
    """What a figure's formatting needs of its measure."""

    @property
    def unit(self) -> str: ...
    @property
    def decimal_places(self) -> int: ...


@dataclass(frozen=True)
class RetiredMeasure:
    """Stands in for a measure the scorecard no longer lists."""

    title: str = "Retired measure"
    code: str = ""
    unit: str = ""
    decimal_places: int = 0


def figure(value: str | None, measure: Shown, *, places: int | None = None) -> str:
    """A figure as people read it in the measure's unit, to the measure's decimal places (the
    KPI service's `*_display` rule): 11.9%, £4,656,450, 614.2 per 100,000. `places` overrides
    them, for numbers that are not the measure's figures (its tolerance)."""
    if value is None or value == "":
        return "\N{EN DASH}"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if places is None:
        places = measure.decimal_places
    text = f"{number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,f}"
    unit = measure.unit
    if unit == "percent":
        return f"{text}%"
    if unit == "gbp":
        return f"£{text}" if number >= 0 else f"-£{text[1:]}"
    if unit == "rate_per_100k":
        return f"{text} per 100,000"
    if unit == "days":
        return f"{text} days"
    return text


def _tick_label(measure: Shown) -> Callable[[Decimal], str]:
    """How the value axis of a measure's chart is labelled: money as £300k, others to the
    measure's decimal places, a percentage with its sign."""
    if measure.unit == "gbp":
        return money_tick
    places = measure.decimal_places
    suffix = "%" if measure.unit == "percent" else ""
    return lambda value: number_tick(value, places) + suffix


def _own_places(value: str) -> int:
    """How many decimal places a number is written with: "2.5" has 1."""
    return max(0, -int(Decimal(value).normalize().as_tuple().exponent))


def _number(value: str | None) -> float | None:
    return None if value is None else float(value)


def default_period() -> str:
    return Period.month_of(date.today()).previous().code


def _url(path: str, params: dict[str, Any]) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


class ShownPoint(SeriesPoint):
    """A period of the measure's chart table, its figures written in the measure's unit."""

    actual_text: str
    target_text: str


class ShownRevision(Revision):
    value_text: str


class ShownTarget(KpiTarget):
    value_text: str | None


# Tracker ----------------------------------------------------------------------------------------


def _unit(item: ScorecardRow) -> str:
    return UNIT_WORDS.get(item.measure.unit, str(item.measure.unit))


TRACKER_COLUMNS = [
    Column("code", "Ref", lambda i: i.measure.code, sortable=True),
    Column("title", "Measure", lambda i: i.measure.title, sortable=True),
    Column("period", "Period", lambda i: i.label),
    Column("actual", "Latest actual", lambda i: number(i.actual), numeric=True),
    Column("target", "Target", lambda i: number(i.target), numeric=True),
    Column("unit", "Unit", _unit, page=False),
    Column("rag", "Status", lambda i: as_words(i.rag), sortable=True),
    Column("direction", "Direction", lambda i: as_words(i.direction_previous)),
    Column("trend", "Trend", lambda i: None, download=False),
    Column("frequency", "Frequency", lambda i: str(i.measure.frequency).capitalize(), page=False),
    Column(
        "council_plan",
        "Council Plan KPI",
        lambda i: "Y" if i.measure.council_plan else "N",
        page=False,
    ),
    Column("data_provider", "Data provider", lambda i: i.measure.data_provider, page=False),
    Column("service_area", "Service area", lambda i: i.measure.service_area, page=False),
]
"""The KPI tracker's table, on the page and in its downloads. Figures are numbers in the
measure's own unit, said in the Unit column (a percentage is 78.5, pounds are 4656450.00)."""


async def _every_row(kpi: KpiApiClient, filters: dict[str, Any]) -> list[ScorecardRow]:
    """Every measure matching the filters, in the tracker's order (the page shows 50 at a time)."""
    items: list[ScorecardRow] = []
    while True:
        card = await kpi.scorecard(**filters, limit=500, offset=len(items))
        items.extend(card.items)
        if not card.items or len(items) >= card.total:
            return items


@router.get("/kpis", response_class=HTMLResponse, response_model=None)
async def tracker(
    request: Request,
    page: PageContext,
    kpi: KpiApi,
    period: str | None = None,
    service_area: str | None = None,
    council_plan: str | None = None,
    rag: str | None = None,
    frequency: str | None = None,
    data_provider: str | None = None,
    sort: str = "code",
    offset: Annotated[int, Query(ge=0)] = 0,
    format: str | None = None,
    retired: str = "",
) -> Response:
    """The service plan's KPI table with latest actual, target, RAG, direction and trend;
    `format=csv` or `format=xlsx` downloads every matching measure instead. Retired KPIs are
    left out unless `retired=yes` ("Show retired")."""
    filters = {
        "period": period or default_period(),
        "service_area": service_area,
        "council_plan": council_plan,
        "rag": rag,
        "frequency": frequency,
        "data_provider": data_provider,
        "sort": sort,
        "include_retired": "true" if retired == "yes" else None,
    }
    fmt = wanted(format)
    if fmt:
        try:
            items = await _every_row(kpi, filters)
        except ApiError:
            pass  # the page says what is wrong with the filters
        else:
            return export(TRACKER_COLUMNS, items, name="kpis", fmt=fmt, sheet="KPIs")
    errors: dict[str, str] = {}
    try:
        card = await kpi.scorecard(**filters, limit=PAGE_SIZE, offset=offset)
    except ApiError as error:
        errors = error.field_errors() or {"period": str(error)}
        filters["period"] = default_period()
        card = await kpi.scorecard(**(filters | {"sort": "code"}), limit=PAGE_SIZE, offset=0)
    providers, areas = await kpi.facets()
    links = {k: v for k, v in filters.items() if k != "include_retired"} | {"retired": retired}
    rows = []
    for item in card.items:
        measure = item.measure
        rows.append(
            {
                "item": item,
                "measure": measure,
                "actual": figure(item.actual, measure),
                "target": figure(item.target, measure),
                "spark": Markup(
                    sparkline(
                        [_number(v) for v in item.trend],
                        label=f"Trend of {measure.title} over the last {len(item.trend)} periods",
                    )
                ),
            }
        )
    context = {
        **page,
        "nav": "kpis",
        "title": "KPI tracker",
        "filters": links,
        "errors": errors,
        "rows": rows,
        "card": card,
        "provider_options": [(p, p) for p in providers],
        "area_options": [(a, a) for a in areas],
        "rag_states": RAG_STATES,
        "rag_options": [(state, as_words(state)) for state in RAG_STATES],
        "columns": header_cells(TRACKER_COLUMNS, links, filters["sort"] or "code", "/kpis"),
        "download_links": download_links("/kpis", links),
        "previous_page": (
            _url("/kpis", links | {"offset": max(offset - PAGE_SIZE, 0)}) if offset else None
        ),
        "next_page": (
            _url("/kpis", links | {"offset": offset + PAGE_SIZE})
            if offset + PAGE_SIZE < card.total
            else None
        ),
        "entry_link": _url("/kpis/entry", {"period": filters["period"]}),
    }
    return render(request, "kpis/tracker.html", context, block="results")


# Data entry -------------------------------------------------------------------------------------


async def _entry_context(
    request: Request,
    kpi: KpiApi,
    period: str,
    provider: str,
    errors: dict[str, str],
    form: dict[str, str],
) -> dict[str, Any]:
    providers, _areas = await kpi.facets()
    caller = page_caller(request)
    deadlines = caller.deadlines if caller else Deadlines()
    late_changes = caller is not None and may_change(caller.roles, "closed")
    today = date.today()
    items: list[ScorecardRow] = []
    if provider:
        card = await kpi.scorecard(period=period, data_provider=provider, limit=500)
        items = card.items
    rows = []
    for item in items:
        measure, entry = item.measure, item.entry
        prefix = f"m-{measure.id}"

        def kept(field: str, prefix: str = prefix, entry: Actual | None = entry) -> str:
            key = f"{prefix}-{field}"
            if key in form:
                return form[key]
            if entry is None:
                return ""
            if field == "value" and entry.numerator is not None:
                return ""
            value = getattr(entry, field)
            return "" if value is None else str(value)

        closed = is_closed(Period.parse(item.period), deadlines, today)
        rows.append(
            {
                "measure": measure,
                "item": item,
                "entry": entry,
                "prefix": prefix,
                "unit_words": UNIT_WORDS.get(measure.unit, measure.unit),
                "values": {f: kept(f) for f in (*FIGURE_FIELDS, "commentary")},
                # A closed period's figure changes only with an approver's reason; the field is
                # shown where that applies, or where the API asked for it.
                "closed": closed,
                "ask_reason": (closed and late_changes) or f"{prefix}-reason" in errors,
                "reason": form.get(f"{prefix}-reason", ""),
            }
        )
    return {
        "provider_pairs": [(p, p) for p in providers],
        "period": period,
        "provider": provider,
        "rows": rows,
        "errors": errors,
    }


@router.get("/kpis/entry", response_class=HTMLResponse)
async def entry(
    request: Request,
    page: PageContext,
    kpi: KpiApi,
    period: str | None = None,
    provider: str = "",
    saved: int | None = None,
    submitted: bool = False,
) -> HTMLResponse:
    """Every measure due from a data provider for a period, in one form."""
    if refused := unless_allowed(request, page, "enter KPI actuals", "kpi"):
        return refused
    period = period or default_period()
    me = page.get("me")
    provider = provider or str(
        (me.team if me else None) or ""
    )  # a data provider starts with their team
    errors: dict[str, str] = {}
    try:
        Period.parse(period)
    except ValueError as error:
        errors["period"] = str(error)
        period = default_period()
    context = await _entry_context(request, kpi, period, provider, errors, {})
    return render(
        request,
        "kpis/entry.html",
        {
            **page,
            **context,
            "nav": "kpis",
            "title": "Enter KPI actuals",
            "saved": saved,
            "submitted": submitted,
        },
    )


@router.post("/kpis/entry", response_model=None)
async def save_entry(
    request: Request, page: PageContext, kpi: KpiApi
) -> HTMLResponse | RedirectResponse:
    """Save the form's figures as drafts, or submit them for approval: all of them or none."""
    form = {k: str(v).strip() for k, v in (await request.form()).items()}
    period, provider = form.get("period", default_period()), form.get("provider", "")
    submit = form.get("action") == "submit"
    measure_ids = [str(v) for v in (await request.form()).getlist("measure")]
    rows: list[dict[str, Any]] = []
    row_prefix: list[str] = []
    for measure_id in measure_ids:
        prefix = f"m-{measure_id}"
        figures = {f: form.get(f"{prefix}-{f}", "") for f in FIGURE_FIELDS}
        commentary = form.get(f"{prefix}-commentary", "")
        if not any(figures.values()) and not commentary:
            continue
        row: dict[str, Any] = {
            "measure_id": measure_id,
            "period": form.get(f"{prefix}-period", ""),
            "commentary": commentary,
            **{f: v for f, v in figures.items() if v},
        }
        if reason := form.get(f"{prefix}-reason", ""):
            row["reason"] = reason
        version = form.get(f"{prefix}-version", "")
        if version.isdigit():
            row["version"] = int(version)
        rows.append(row)
        row_prefix.append(prefix)
    errors: dict[str, str] = {}
    if not rows:
        errors["form"] = "Enter at least one figure, or go back"
    else:
        try:
            await kpi.bulk(rows, submit=submit)
        except ApiError as error:
            errors = _entry_errors(error, row_prefix)
    if not errors:
        query = {"period": period, "provider": provider, "saved": len(rows)}
        if submit:
            query["submitted"] = "true"
        return RedirectResponse(_url("/kpis/entry", query), status_code=303)
    context = await _entry_context(request, kpi, period, provider, errors, form)
    return render(
        request,
        "kpis/entry.html",
        {**page, **context, "nav": "kpis", "title": "Enter KPI actuals"},
        status_code=422,
    )


def _entry_errors(error: ApiError, row_prefix: list[str]) -> dict[str, str]:
    """The API's `rows.<n>.<field>` messages, keyed by the form field they belong to."""
    errors: dict[str, str] = {}
    for field, message in error.field_errors().items():
        parts = field.split(".")
        if len(parts) >= 3 and parts[0] == "rows" and parts[1].isdigit():
            index = int(parts[1])
            name = parts[2] if parts[2] in (*FIGURE_FIELDS, "commentary", "reason") else "value"
            if index < len(row_prefix):
                errors.setdefault(f"{row_prefix[index]}-{name}", message)
                continue
        errors.setdefault("form", message)
    if not errors:
        errors["form"] = str(error.problem.get("detail") or "The figures could not be saved")
    return errors


# Approvals --------------------------------------------------------------------------------------


async def _approvals_context(kpi: KpiApi) -> dict[str, Any]:
    pending = await kpi.actuals(status="submitted", limit=500)
    measures: dict[str, Measure] = {}
    if pending:
        card = await kpi.scorecard(limit=500)
        measures = {row.measure.id: row.measure for row in card.items}
    items = []
    for actual in pending:
        measure: Measure | RetiredMeasure = measures.get(actual.measure_id, RetiredMeasure())
        items.append(
            {
                "actual": actual,
                "measure": measure,
                "value": figure(actual.value, measure),
                "period_label": Period.parse(actual.period).label,
            }
        )
    return {"items": items}


APPROVAL_COLUMNS = [
    Column("code", "Ref", lambda i: i["measure"].code),
    Column("title", "Measure", lambda i: i["measure"].title),
    Column("period", "Period", lambda i: i["period_label"]),
    Column("value", "Figure", lambda i: number(i["actual"].value)),
    Column("unit", "Unit", lambda i: UNIT_WORDS.get(i["measure"].unit, i["measure"].unit)),
    Column("numerator", "Numerator", lambda i: number(i["actual"].numerator)),
    Column("denominator", "Denominator", lambda i: number(i["actual"].denominator)),
    Column("commentary", "Commentary", lambda i: i["actual"].commentary),
]
"""The approvals queue in its downloads: each figure waiting, as a number in its unit."""


@router.get("/kpis/approvals", response_class=HTMLResponse, response_model=None)
async def approvals(
    request: Request,
    page: PageContext,
    kpi: KpiApi,
    done: str | None = None,
    format: str | None = None,
) -> Response:
    """Figures waiting for approval: approve each, or return it with a reason; `format=csv` or
    `format=xlsx` downloads the queue."""
    context = await _approvals_context(kpi)
    fmt = wanted(format)
    if fmt:
        return export(
            APPROVAL_COLUMNS, context["items"], name="kpi-approvals", fmt=fmt, sheet="Approvals"
        )
    return render(
        request,
        "kpis/approvals.html",
        {
            **page,
            **context,
            "nav": "kpis",
            "title": "Approve KPI actuals",
            "done": done,
            "errors": {},
            "form": {},
            "download_links": download_links("/kpis/approvals", {}),
        },
    )


@router.post("/kpis/actuals/{actual_id}/{decision}", response_model=None)
async def decide(
    request: Request, page: PageContext, kpi: KpiApi, actual_id: uuid.UUID, decision: str
) -> Response:
    """Approve or return one submitted figure."""
    form = {k: str(v).strip() for k, v in (await request.form()).items()}
    version = form.get("version", "")
    errors: dict[str, str] = {}
    try:
        if decision == "approve":
            await kpi.approve(str(actual_id), version)
        elif decision == "return":
            await kpi.return_actual(str(actual_id), version, form.get("reason", ""))
        else:
            return HTMLResponse("Not found", status_code=404)
    except ApiError as error:
        field = f"reason-{actual_id}"
        messages = error.field_errors()
        if "reason" in messages:
            errors[field] = "Enter a reason so the data provider knows what to change"
        elif error.status == 412:
            errors[field] = "Someone else changed this figure since you loaded the page; reload"
        elif error.status == 403:
            errors[field] = "Your role does not allow approving or returning figures"
        else:
            errors[field] = str(error.problem.get("detail") or "That could not be done")
    if not errors:
        done = "approved" if decision == "approve" else "returned"
        return RedirectResponse(_url("/kpis/approvals", {"done": done}), status_code=303)
    context = await _approvals_context(kpi)
    return render(
        request,
        "kpis/approvals.html",
        {
            **page,
            **context,
            "nav": "kpis",
            "title": "Approve KPI actuals",
            "errors": errors,
            "form": {f"reason-{actual_id}": form.get("reason", "")},
            "done": None,
            "download_links": download_links("/kpis/approvals", {}),
        },
        status_code=422,
    )


# Measure page -----------------------------------------------------------------------------------


async def _golden_thread(gateway: GatewayClient, measure_id: str) -> dict[str, Any]:
    """The objectives that track the measure and the savings lines that depend on it (each
    service's own, joined here); None for a part that cannot be read now."""
    objectives: list[Any] | None
    lines: list[Any] | None
    try:
        every = await ProjectsApiClient(gateway).objectives()
        objectives = [o for o in every if measure_id in o.kpi_measure_ids]
    except (ApiError, UpstreamDown):
        objectives = None
    try:
        tracker = await FinanceApiClient(gateway).tracker(limit=500)
        lines = [line for line in tracker.items if line.kpi_measure_id == measure_id]
    except (ApiError, UpstreamDown):
        lines = None
    return {"objectives": objectives, "savings_lines": lines}


@router.get("/kpis/{measure_id}", response_class=HTMLResponse)
async def measure_page(
    request: Request,
    page: PageContext,
    kpi: KpiApi,
    gateway: Gateway,
    measure_id: uuid.UUID,
) -> HTMLResponse:
    """A measure's definition, targets, chart with its table, commentary and history."""
    try:
        measure = await kpi.measure(str(measure_id))
    except ApiError as error:
        if error.status == 404:
            return render(request, "errors/404.html", {**page}, status_code=404)
        raise
    series = await kpi.series(str(measure_id))
    points = series.points
    labels = [p.period for p in points]
    chart = Markup(
        line_chart(
            title=f"{measure.title}: actual against target",
            description=(
                f"Line chart of {len(points)} periods from {labels[0]} to {labels[-1]}; "
                "the same figures are in the table below."
                if points
                else "No periods to show yet."
            ),
            labels=labels,
            series=[
                Series("Actual", [_number(p.actual) for p in points]),
                Series("Target", [_number(p.target) for p in points], dashed=True),
            ],
            tick_label=_tick_label(measure),
        )
    )
    rows = [
        ShownPoint.model_validate(
            p.model_dump()
            | {"actual_text": figure(p.actual, measure), "target_text": figure(p.target, measure)}
        )
        for p in points
    ]
    actuals = await kpi.actuals(measure_id=str(measure_id), limit=6)
    history = []
    for actual in actuals:
        revisions = await kpi.revisions(actual.id)
        history.append(
            {
                "actual": actual,
                "label": Period.parse(actual.period).label,
                "reported": figure(actual.approved_value, measure),
                "revisions": [
                    ShownRevision.model_validate(
                        r.model_dump() | {"value_text": figure(r.value, measure)}
                    )
                    for r in revisions
                ],
            }
        )
    targets = [
        ShownTarget.model_validate(
            t.model_dump() | {"value_text": figure(t.value, measure) if t.kind == "level" else None}
        )
        for t in series.targets
    ]
    return render(
        request,
        "kpis/measure.html",
        {
            **page,
            "nav": "kpis",
            "title": measure.title,
            "measure": measure,
            "unit_words": UNIT_WORDS.get(measure.unit, measure.unit),
            "targets": targets,
            "benchmarks": series.benchmarks,
            "chart": chart,
            "rows": rows,
            "commentary": [p for p in reversed(points) if p.commentary][:12],
            "record_history": await record_history(gateway, "kpi", "measures", str(measure_id)),
            **await _golden_thread(gateway, str(measure_id)),
            "can_change": may_change(page["me"].roles if page.get("me") else (), "targets"),
            "history": history,
            "baseline": figure(measure.baseline_value, measure),
            "tolerance": figure(measure.tolerance, measure, places=_own_places(measure.tolerance)),
        },
    )
