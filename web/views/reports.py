"""The quarterly performance report for members: budget, savings, projects, KPIs and the
improvement plan for one quarter, as a page and as a Word document with the same content."""

from collections.abc import Coroutine
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from common.charts import Chart, ChartKind, ChartSeries, money, target_label, variance_label
from common.money import format_money
from common.periods import Frequency, Period
from web.charts import bar_chart
from web.clients.finance_api_client import FinanceApiClient
from web.clients.gateway import ApiError, Gateway, GatewayClient, UpstreamDown
from web.clients.kpi_api_client import KpiApiClient
from web.clients.models import (
    PositionLine,
    Scorecard,
    ScorecardRow,
    Totals,
    TotalsGroup,
    TrackerPage,
)
from web.clients.projects_api_client import ProjectsApiClient
from web.rendering import as_words, render
from web.views.budget import movement_sentence
from web.views.dashboard import PageContext
from web.views.documents import DOCX, PDF, Section, document_docx, document_pdf, download
from web.views.kpis import figure

router = APIRouter()
RAG_WORDS = {"green": "On track", "amber": "At risk", "red": "Off track", "not_set": "Not set"}
# Bars for each status, worst first, worded as the tags are ("Off track (Red)") so that the
# colour is never the only way to tell them apart. GOV.UK's RAG colours; each bar is outlined.
PROJECT_RAGS = (
    ("red", "Off track (Red)", "#d4351c"),
    ("amber", "At risk (Amber)", "#f47738"),
    ("green", "On track (Green)", "#00703c"),
    ("not_set", "Not set", "#b1b4b6"),
)
MEASURE_RAGS = (
    ("red", "Off track (Red)", "#d4351c"),
    ("amber", "At risk (Amber)", "#f47738"),
    ("green", "On track (Green)", "#00703c"),
    ("no_data", "No data", "#b1b4b6"),
    ("no_target", "No target", "#ffffff"),
)
MOST_BARS = 15
"""More budget lines than this are charted by service area (the table keeps every line)."""


def latest_complete_quarter(today: date) -> Period:
    return Period.containing(today, Frequency.QUARTERLY).previous()


def _money(value: Decimal | None) -> str:
    return "None" if value is None else format_money(value, short=True)


def _and(words: list[str]) -> str:
    return ", ".join(words[:-1]) + f" and {words[-1]}" if len(words) > 1 else "".join(words)


def budget_chart(lines: list[PositionLine], total: Decimal, month_label: str) -> Chart | None:
    """Each budget line's variance (or each service area's, when there are many lines);
    `total` is the position's total variance, as the finance service works it out.

    None when no line has a forecast: there is nothing to draw.
    """
    charted = [(line, line.variance) for line in lines if line.variance is not None]
    if not charted:
        return None
    by = "budget line"
    pairs = [(line.name, variance) for line, variance in charted]
    table: tuple[tuple[str, ...], ...] = ()
    if len(pairs) > MOST_BARS:
        areas: dict[str, Decimal] = {}
        for line, variance in charted:
            area = line.service_area or "No service area"
            areas[area] = areas.get(area, Decimal(0)) + variance
        if 1 < len(areas) <= MOST_BARS:
            by, pairs = "service area", list(areas.items())
            table = (
                ("Service area", "Variance"),
                *((area, variance_label(v)) for area, v in pairs),
            )
    over = [(name, v) for name, v in pairs if v > 0]
    under = [(name, v) for name, v in pairs if v < 0]
    counted = []
    if over:
        counted.append(f"{len(over)} {by}{'s' if len(over) > 1 else ''} overspend")
    if under:
        counted.append(f"{len(under)} underspend")
    biggest = max(over if total > 0 else under, key=lambda p: abs(p[1]), default=None)
    message = f"Forecast {variance_label(total)} at the end of {month_label}"
    if total == 0:
        message = f"Forecast on budget at the end of {month_label}"
    if counted:
        message += f": {_and(counted)}"
    if biggest is not None:
        word = "overspend" if total > 0 else "underspend"
        message += f"; the largest {word} is {biggest[0]} ({money(abs(biggest[1]))})"
    return Chart(
        "budget-chart",
        ChartKind.VARIANCE,
        f"Forecast variance by {by}, {month_label}",
        message + ".",
        tuple(name for name, _ in pairs),
        (ChartSeries("Variance", tuple(v for _, v in pairs)),),
        table=table,
    )


def savings_chart(
    groups: list[TotalsGroup], overall: Totals, names: dict[str, str], by: str, year: str
) -> Chart | None:
    """Savings achieved to date against target, one bullet bar for each project or category.

    The sentence takes the overall figures from the service: a line linked to two projects
    counts in both project groups, so the groups may add up to more than the whole.
    """
    if not groups:
        return None
    labels = tuple(names.get(g.label, g.label) for g in groups)
    targets = tuple(g.target for g in groups)
    achieved = tuple(g.achieved_to_date for g in groups)
    target, done = overall.target, overall.achieved_to_date
    message = f"{money(done)} of the {year} savings target of {money(target)} achieved to date"
    if target > 0:
        message += f" ({(done / target * 100).quantize(Decimal('1'))}%)"
    rows = zip(labels, targets, achieved, strict=True)
    behind = [(a / t, name, t, a) for name, t, a in rows if t > 0]  # a share of no target is none
    worst = min(behind, default=None, key=lambda b: b[0])
    if worst is not None and len(groups) > 1:
        message += f"; furthest behind is {worst[1]}, {target_label(worst[2], worst[3])}"
    return Chart(
        f"savings-{by}-chart",
        ChartKind.TARGET,
        f"Savings achieved to date against target by {by}, {year}",
        message + ".",
        labels,
        (ChartSeries("Target", targets), ChartSeries("Achieved to date", achieved)),
    )


def rag_chart(
    chart_id: str,
    counts: dict[str, int],
    statuses: tuple[tuple[str, str, str], ...],
    *,
    unit: str,
    title: str,
    when: str,
) -> Chart | None:
    """How many projects or measures have each status; None when there are none."""
    values = tuple(Decimal(counts.get(key, 0)) for key, _, _ in statuses)
    total = sum(values, Decimal(0))
    if total == 0:
        return None
    words = [
        f"{n} {'with ' if label.startswith('No ') else ''}{label[0].lower()}{label[1:]}"
        for (_, label, _), n in zip(statuses, values, strict=True)
        if n
    ]
    labels = tuple(label for _, label, _ in statuses)
    return Chart(
        chart_id,
        ChartKind.COUNTS,
        title,
        f"Of {total} {unit} {when}: {_and(words)}.",
        labels,
        (ChartSeries(unit.capitalize(), values),),
        colours=tuple(colour for _, _, colour in statuses),
        unit=unit,
        table=(
            ("Status", unit.capitalize()),
            *((label, str(n)) for label, n in zip(labels, values, strict=True)),
        ),
    )


def _charts(chart: Chart | None) -> tuple[Chart, ...]:
    return () if chart is None else (chart,)


def _no_chart(chart: Chart | None, sentence: str) -> list[str]:
    """What a section with nothing to chart says instead of showing an empty chart."""
    return [sentence] if chart is None else []


def _nothing_yet(section_id: str, heading: str, what: str) -> Section:
    """A section whose figures the quarter has none of yet: its heading and a sentence."""
    return Section(
        section_id,
        heading,
        "",
        [],
        [],
        summary=[f"No {what} for this quarter yet."],
        downloads=False,
    )


async def budget_section(gateway: GatewayClient, quarter: Period) -> Section:
    # As at the quarter's end: the finance service picks the latest forecast made inside it.
    position = await FinanceApiClient(gateway).budget_position(as_at=quarter.code)
    totals = position.totals
    if not totals.lines_with_forecast:
        return _nothing_yet("budget", "Budget forecast position", "budget forecast")
    month = Period.parse(position.month)
    chart = budget_chart(position.lines, totals.variance, month.label)
    return Section(
        "budget",
        "Budget forecast position",
        f"Budget, forecast outturn, variance and movement by budget line, {month.label}",
        [
            "Budget line",
            "Budget",
            "Forecast outturn",
            "Variance",
            "Movement since the previous forecast",
            "Movement since the original forecast",
        ],
        [
            [
                line.name,
                _money(line.budget),
                _money(line.forecast_outturn)
                if line.forecast_outturn is not None
                else "No forecast",
                f"{_money(line.variance)} {line.variance_words}".strip()
                if line.variance is not None
                else "No forecast",
                _money(line.movement) if line.movement is not None else "None earlier",
                _money(line.movement_since_original)
                if line.movement_since_original is not None
                else "No forecast",
            ]
            for line in position.lines
        ],
        summary=[
            f"At the end of {month.label} the forecast outturn is "
            f"{_money(totals.forecast_outturn)} against a budget of {_money(totals.budget)}: "
            f"{movement_sentence(totals)}. The forecast moved by {_money(totals.movement)} "
            "since each line's previous forecast.",
            *_no_chart(chart, f"No budget line has a forecast for {month.label} to chart."),
        ],
        downloads=False,
        charts=_charts(chart),
    )


def _percent(value: str | None) -> str:
    return f" ({value}%)" if value is not None else ""


def _savings_summary(overall: Totals, year: str) -> list[str]:
    """Cashable savings first, the headline; each other type on its own, never added in."""
    cash = overall.of_type("cashable")
    brag = overall.brag
    sentences = [
        f"Cashable savings: {_money(cash.achieved_to_date)} achieved of a target of "
        f"{_money(cash.target)}{_percent(overall.cashable_percent_delivered)}, "
        f"{_money(cash.forecast_for_year)} forecast"
        f"{_percent(overall.cashable_percent_forecast)} for {year}.",
        f"By BRAG: {brag['blue']} delivered (Blue), {brag['green']} on track (Green), "
        f"{brag['amber']} at risk (Amber), {brag['red']} undeliverable (Red).",
    ]
    for kind, words in (
        ("non_cashable", "Non-cashable savings"),
        ("cost_avoidance", "Cost avoidance (not a saving to the budget)"),
    ):
        other = overall.of_type(kind)
        if other.lines:
            sentences.append(
                f"{words}: {_money(other.achieved_to_date)} achieved, "
                f"{_money(other.forecast_for_year)} forecast."
            )
    return sentences


def savings_exceptions(tracker: TrackerPage, year: str) -> Section:
    """Every savings line at risk or undeliverable (Amber, Red), with its mitigation."""
    by_id = {line.id: line for line in tracker.items}
    at_risk = [line for line in tracker.items if line.selected.brag in ("amber", "red")]
    rows = [
        [
            f"{line.reference} {line.title}",
            line.selected.brag_label,
            _money(line.selected.slippage) if line.selected.slippage is not None else "No return",
            line.selected.latest_note or line.written_off_reason or "No commentary",
            ", ".join(
                f"{by_id[m].reference} {by_id[m].title}" for m in line.mitigated_by if m in by_id
            )
            or "None recorded",
        ]
        for line in sorted(at_risk, key=lambda line: (line.selected.brag != "red",))
    ]
    return Section(
        "savings-exceptions",
        "Savings exceptions",
        f"Savings lines at risk (Amber) or undeliverable (Red), {year}, with their mitigation",
        ["Savings line", "BRAG", "Slippage", "Commentary", "Mitigated by"],
        rows,
        summary=[] if rows else ["No savings line is at risk or undeliverable."],
        downloads=False,
    )


async def savings_sections(gateway: GatewayClient, quarter: Period) -> list[Section]:
    # The finance service knows projects by id only; their names come from the projects service.
    try:
        names = {p.id: p.name for p in await ProjectsApiClient(gateway).projects()}
    except (UpstreamDown, ApiError):
        names = {}
    finance = FinanceApiClient(gateway)
    year = quarter.year.label
    tracker = await finance.tracker(financial_year=year, as_at=quarter.code, limit=500)
    if not any(line.selected.latest_month for line in tracker.items):
        return [_nothing_yet("savings-project", "Savings by project", "savings returns")]
    sections = []
    for by, heading in (("project", "Savings by project"), ("category", "Savings by category")):
        # Cashable savings only: cost avoidance and non-cashable savings are not added in.
        totals = await finance.savings_totals(
            by=by, financial_year=year, saving_type="cashable", as_at=quarter.code
        )
        chart = savings_chart(totals.groups, totals.overall, names, by, year)
        sections.append(
            Section(
                f"savings-{by}",
                heading,
                f"Cashable savings target, achieved, forecast and slippage by {by}, {year}, "
                f"as at the end of {quarter.label}",
                [
                    by.capitalize(),
                    "Target",
                    "Achieved to date",
                    "Forecast for the year",
                    "Slippage",
                ],
                [
                    [
                        names.get(g.label, g.label),
                        _money(g.target),
                        _money(g.achieved_to_date),
                        _money(g.forecast_for_year),
                        _money(g.slippage),
                    ]
                    for g in totals.groups
                ],
                summary=[
                    *(_savings_summary(tracker.totals, year) if by == "project" else []),
                    *_no_chart(chart, f"No cashable savings are recorded for {year} to chart."),
                ],
                downloads=False,
                charts=_charts(chart),
            )
        )
    sections.append(savings_exceptions(tracker, year))
    return sections


async def project_section(gateway: GatewayClient, quarter: Period) -> Section:
    summary = await ProjectsApiClient(gateway).portfolio_summary(
        **{"from": quarter.start.isoformat(), "to": quarter.end.isoformat()},
        as_at=quarter.code,
    )
    chart = rag_chart(
        "projects-chart",
        summary.by_rag,
        PROJECT_RAGS,
        unit="projects",
        title=f"Projects by status (RAG), {quarter.label}",
        when=f"in {quarter.label}",
    )
    by_rag = ", ".join(
        f"{count} {RAG_WORDS.get(rag, rag).lower()}" for rag, count in summary.by_rag.items()
    )
    return Section(
        "projects",
        "Projects",
        f"Milestones due in {quarter.label}, and any overdue",
        ["Project", "Milestone", "Due", "Overdue", "Slippage (days)"],
        [
            [
                m.project_name,
                m.title,
                m.due_date,
                "Yes" if m.overdue else "No",
                str(m.slippage_days),
            ]
            for m in summary.milestones
        ],
        summary=[
            f"{summary.projects} projects: {by_rag}. {summary.milestones_due} milestones "
            f"were due in {quarter.label}, of which {summary.milestones_overdue} are overdue. "
            f"{summary.projects_overdue} projects are still in delivery after their end date.",
            *_no_chart(chart, "No projects are recorded yet, so there is no chart of them."),
        ],
        downloads=False,
        charts=_charts(chart),
    )


KPI_WORDS = {value: label for value, label, _ in MEASURE_RAGS}
MEASURE_COLUMNS = ["Measure", "Period", "Actual", "Target", "Status"]


def _measure_cells(row: ScorecardRow) -> list[str]:
    """The first cells of a measure's row in the report's KPI tables (`MEASURE_COLUMNS`)."""
    return [
        row.measure.title,
        row.label,
        figure(row.actual_display, row.measure),
        figure(row.target_display, row.measure),
        KPI_WORDS[row.rag],
    ]


async def _kpi_scorecard(gateway: GatewayClient, quarter: Period) -> Scorecard:
    """Every measure as at the quarter's end: its latest approved figure for a period ended by
    then (never a later one), with its RAG and where its year is heading."""
    return await KpiApiClient(gateway).scorecard(as_at=quarter.code, limit=500)


async def kpi_exceptions_section(gateway: GatewayClient, quarter: Period) -> Section:
    """Exceptions first: every Red or Amber measure with the commentary that explains it."""
    card = await _kpi_scorecard(gateway, quarter)
    exceptions = [row for row in card.items if row.rag in ("red", "amber")]
    exceptions.sort(key=lambda row: (row.rag != "red", row.measure.code))
    red = sum(1 for row in exceptions if row.rag == "red")
    return Section(
        "kpi-exceptions",
        "Exceptions: KPIs off track or at risk",
        f"Every measure off track (Red) or at risk (Amber) at the end of {quarter.label}, with "
        "its commentary",
        [*MEASURE_COLUMNS, "Forecast year end", "Commentary"],
        [
            [
                *_measure_cells(row),
                KPI_WORDS[row.year_end_rag],
                (row.entry.commentary if row.entry else "") or "No commentary",
            ]
            for row in exceptions
        ],
        summary=[
            f"{red} measures are off track (Red) and {len(exceptions) - red} at risk (Amber) "
            f"at the end of {quarter.label}."
            if exceptions
            else f"No measure is off track or at risk at the end of {quarter.label}."
        ],
        downloads=False,
    )


async def kpi_section(gateway: GatewayClient, quarter: Period) -> Section:
    card = await _kpi_scorecard(gateway, quarter)
    counts = ", ".join(f"{n} {as_words(rag)}" for rag, n in card.counts.items())
    forecast = dict.fromkeys(KPI_WORDS, 0)
    for row in card.items:
        forecast[row.year_end_rag] += 1
    chart = rag_chart(
        "kpis-chart",
        card.counts,
        MEASURE_RAGS,
        unit="measures",
        title=f"KPI measures by status (RAG), {quarter.label}",
        when=f"at the end of {quarter.label}",
    )
    return Section(
        "kpis",
        "KPI scorecard",
        f"Every measure at the end of {quarter.label}: its latest figure, target and status, and "
        "the status its year is heading for",
        [*MEASURE_COLUMNS, "Forecast year end", "Year-end status"],
        [
            [
                *_measure_cells(row),
                figure(row.year_end_forecast_display, row.measure),
                KPI_WORDS[row.year_end_rag],
            ]
            for row in card.items
        ],
        summary=[
            f"{card.total} measures at the end of {quarter.label}: {counts}.",
            "Forecast for the year end, on each measure's trajectory so far: "
            + ", ".join(f"{n} {rag}" for rag, n in forecast.items())
            + ".",
            *_no_chart(chart, "No measures are recorded yet, so there is no chart of them."),
        ],
        downloads=False,
        charts=_charts(chart),
    )


async def improvement_section(gateway: GatewayClient, quarter: Period) -> Section:
    plan = await ProjectsApiClient(gateway).improvement_summary(as_at=quarter.code)
    return Section(
        "improvement",
        "Improvement plan",
        f"Actions remaining by area of accountability at the end of {quarter.label}",
        ["Area", "Open", "Overdue", "Closed", "Total"],
        [[a.area, str(a.open), str(a.overdue), str(a.closed), str(a.total)] for a in plan.areas],
        summary=[
            f"{plan.open} of {plan.total} improvement plan actions remain open, "
            f"{plan.overdue} overdue, at the end of {quarter.label}."
        ],
        downloads=False,
    )


async def quarterly_report(gateway: GatewayClient, quarter: Period) -> list[Section]:
    """Each part from its own service; a part whose service is down says so and the rest stay."""
    sections: list[Section] = []
    parts: list[tuple[str, str, Coroutine[Any, Any, Section | list[Section]]]] = [
        ("kpi-exceptions", "Exceptions", kpi_exceptions_section(gateway, quarter)),
        ("budget", "Budget forecast position", budget_section(gateway, quarter)),
        ("savings", "Savings", savings_sections(gateway, quarter)),
        ("projects", "Projects", project_section(gateway, quarter)),
        ("kpis", "KPI scorecard", kpi_section(gateway, quarter)),
        ("improvement", "Improvement plan", improvement_section(gateway, quarter)),
    ]
    for key, heading, part in parts:
        try:
            found = await part
        except (UpstreamDown, ApiError) as error:
            what = error.what if isinstance(error, UpstreamDown) else "service"
            sections.append(
                Section(
                    key,
                    heading,
                    "",
                    [],
                    [],
                    summary=[f"This part cannot be shown: the {what} did not answer."],
                    downloads=False,
                )
            )
            continue
        sections.extend(found if isinstance(found, list) else [found])
    return sections


QUARTER_HOW = 'write it like "2026/27 Q2"'


def _quarter(text: str | None) -> Period:
    """The quarter asked for (the latest complete one when none is); ValueError saying how."""
    if not text:
        return latest_complete_quarter(date.today())
    try:
        period = Period.parse(text)
    except ValueError:
        period = None
    if period is None or period.frequency is not Frequency.QUARTERLY:
        raise ValueError(f'"{text}" is not a quarter: {QUARTER_HOW}')
    return period


QuarterQuery = Annotated[
    str | None, Query(max_length=20, description='A quarter like "2026/27 Q2".')
]


def _bad_quarter(request: Request, page: dict[str, Any], message: str) -> HTMLResponse:
    return render(
        request,
        "errors/400.html",
        {**page, "title": "This is not a quarter", "message": message},
        status_code=400,
    )


async def _quarterly(
    request: Request,
    page: dict[str, Any],
    gateway: GatewayClient,
    quarter: str | None,
    form: Literal["page", "docx", "pdf"],
) -> Response:
    """The report of the quarter asked for, as a page, a Word document or a PDF (or the page
    saying the quarter is not one)."""
    try:
        chosen = _quarter(quarter)
    except ValueError as error:
        return _bad_quarter(request, page, str(error))
    title = f"Quarterly performance report, {chosen.label}"
    sections = await quarterly_report(gateway, chosen)
    name = f"quarterly-report-{chosen.code.replace('/', '-').replace(' ', '-')}.{form}"
    if form == "docx":
        return download(document_docx(title, sections), DOCX, name)
    if form == "pdf":
        return download(await document_pdf(title, sections), PDF, name)
    return render(
        request,
        "documents/document.html",
        {
            **page,
            "nav": "documents",
            "title": title,
            "sections": sections,
            "figures": {c.id: Markup(bar_chart(c)) for s in sections for c in s.charts},
            "docx": f"/documents/quarterly-report.docx?quarter={chosen.code}",
            "pdf": f"/documents/quarterly-report.pdf?quarter={chosen.code}",
        },
    )


@router.get("/documents/quarterly-report", response_class=HTMLResponse)
async def quarterly_report_page(
    request: Request, page: PageContext, gateway: Gateway, quarter: QuarterQuery = None
) -> Response:
    """The quarterly performance report for members, as at the end of the quarter."""
    return await _quarterly(request, page, gateway, quarter, "page")


@router.get("/documents/quarterly-report.docx", response_model=None)
async def quarterly_report_word(
    request: Request, page: PageContext, gateway: Gateway, quarter: QuarterQuery = None
) -> Response:
    """The same report as a Word document."""
    return await _quarterly(request, page, gateway, quarter, "docx")


@router.get("/documents/quarterly-report.pdf", response_model=None)
async def quarterly_report_pdf(
    request: Request, page: PageContext, gateway: Gateway, quarter: QuarterQuery = None
) -> Response:
    """The same report as a tagged PDF, made from the page's own markup."""
    return await _quarterly(request, page, gateway, quarter, "pdf")
