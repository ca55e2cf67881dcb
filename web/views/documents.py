"""The service plan as members read it: the council's template (KPIs, objectives, projects)
reproduced from the data, as accessible HTML that prints well and as a Word document.

Both come from the same `Section`s, so the page and the document always hold the same tables.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from common.charts import Chart
from common.docx import Document
from common.errors import NotFound
from common.periods import Period
from common.writing import write_csv, write_xlsx
from web.charts import bar_chart_image
from web.clients.gateway import Gateway, GatewayClient
from web.clients.kpi_api_client import KpiApiClient
from web.clients.models import KpiTarget, Measure, Objective, Priority, Project
from web.clients.projects_api_client import ProjectsApiClient
from web.rendering import TEMPLATES, render
from web.views.dashboard import PageContext

router = APIRouter()
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE = "Adult Social Care service plan"
UNITS = {"count": "Number", "percent": "%", "gbp": "£", "days": "Days", "ratio": "Ratio"}
BETTER = {"bigger_is_better": "Bigger", "smaller_is_better": "Smaller"}


@dataclass(frozen=True)
class Section:
    """One table of the plan: a heading, what it holds, and its cells as text."""

    id: str
    heading: str
    caption: str
    headers: list[str]
    rows: list[list[str]]
    summary: list[str] = field(default_factory=list)
    """Sentences said before the table (a report's findings)."""
    downloads: bool = True
    """Whether the table is offered as CSV and XLSX (the plan's tables, which import back)."""
    charts: tuple[Chart, ...] = ()
    """Charts of the section's numbers, shown before its table (an addition, never instead)."""


def _number(value: Any) -> str:
    """A figure as people write it: "752", "5.25" (never "752.000000")."""
    return f"{Decimal(str(value)).normalize():f}"


def _unit(measure: Measure) -> str:
    if measure.unit == "rate_per_100k":
        band = measure.population_age_band
        return f"Rate per 100k population of {band}" if band else "Rate per 100k population"
    return UNITS.get(measure.unit, str(measure.unit))


def _target(target: KpiTarget | None) -> str:
    if target is None:
        return "Not set"
    return str(target.note) or _number(target.value)


def _yes(value: bool) -> str:
    return "Y" if value else "N"


def kpi_section(measures: list[Measure], targets: list[KpiTarget]) -> Section:
    years = sorted({t.financial_year for t in targets})[:3]
    by_measure: dict[str, dict[str, KpiTarget]] = {}
    for target in targets:
        by_measure.setdefault(target.measure_id, {})[target.financial_year] = target
    rows = []
    for measure in measures:
        held = by_measure.get(measure.id, {})
        rows.append(
            [
                measure.title,
                measure.definition,
                _unit(measure),
                BETTER.get(measure.polarity, measure.polarity),
                str(measure.frequency).capitalize(),
                str(measure.target_type).capitalize(),
                *[_target(held.get(year)) for year in years],
                _yes(measure.council_plan),
                measure.data_provider,
            ]
        )
    return Section(
        "kpis",
        "Key performance indicators",
        "How we will know the plan is working: each measure with its targets for three years",
        [
            "Measure",
            "Definition",
            "Unit",
            "Better (bigger or smaller)",
            "Frequency",
            "Target type (flat or cumulative)",
            *[f"Target {year}" for year in years],
            "Council Plan KPI (Y/N)",
            "Data provider",
        ],
        rows,
    )


def objective_section(objectives: list[Objective], priorities: list[Priority]) -> Section:
    titles = {p.id: p.title for p in priorities}
    return Section(
        "objectives",
        "Objectives",
        "What the service commits to, and the council plan priorities each serves",
        ["Number", "Objective", "Council Plan objective (Y/N)", "Relevant Council Plan priority"],
        [
            [
                str(o.number),
                o.statement,
                _yes(o.council_plan),
                "\n".join(titles[p] for p in o.priority_ids if p in titles),
            ]
            for o in sorted(objectives, key=lambda o: int(o.number))
        ],
    )


def _month(month: str | None, text: str) -> str:
    if text:
        return text
    if not month:
        return ""
    return f"{Period.parse(month[:7]).start:%B %Y}"


def project_section(projects: list[Project], objectives: list[Objective]) -> Section:
    numbers = {o.id: int(o.number) for o in objectives}
    rows = []
    for project in projects:
        served = sorted(numbers[i] for i in project.objective_ids if i in numbers)
        budget = project.budget_text or (
            f"£{project.budget_amount:,.0f}" if project.budget_amount is not None else ""
        )
        rows.append(
            [
                project.name,
                project.description,
                _month(project.start_month, project.start_text),
                _month(project.end_month, project.end_text),
                budget,
                ", ".join(project.resources),
                ", ".join(f"Objective {n}" for n in served),
                _yes(project.council_plan),
                project.lead_team,
            ]
        )
    return Section(
        "projects",
        "Projects",
        "The projects that deliver the objectives",
        [
            "Project name",
            "What will this deliver and what will the benefits be?",
            "Start date",
            "End date",
            "Budget",
            "Resources it depends on",
            "Relevant objectives",
            "Council Plan project (Y/N)",
            "Data provider",
        ],
        rows,
    )


async def service_plan(gateway: GatewayClient) -> list[Section]:
    kpi, projects_api = KpiApiClient(gateway), ProjectsApiClient(gateway)
    measures = await kpi.all_measures()
    targets = await kpi.all_targets()
    objectives = await projects_api.objectives()
    priorities = await projects_api.priorities()
    projects = await projects_api.projects()
    active = [m for m in measures if m.active]
    return [
        kpi_section(active, targets),
        objective_section(objectives, priorities),
        project_section(projects, objectives),
    ]


PDF = "application/pdf"
STATIC = Path(__file__).parent.parent / "static"


def _document_pdf(title: str, sections: list[Section]) -> bytes:
    # Imported here: WeasyPrint loads Pango and its fonts, which the web app need not wait
    # for at start-up.
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = TEMPLATES.get_template("documents/document_pdf.html").render(
        title=title,
        sections=sections,
        figures={c.id: Markup(bar_chart_image(c)) for s in sections for c in s.charts},
    )
    # PDF/UA-1: tagged (headings, tables, figures with their alternative text), with the
    # document's title shown as its name and its language.
    document = HTML(string=html, base_url=str(STATIC))
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    return pdf


async def document_pdf(title: str, sections: list[Section]) -> bytes:
    """A PDF of exactly what the page shows, from the same markup, tagged for accessibility."""
    return await run_in_threadpool(_document_pdf, title, sections)


def document_docx(title: str, sections: list[Section]) -> bytes:
    """A Word document holding exactly what the page shows."""
    document = Document(title, landscape=True)
    for section in sections:
        document.heading(section.heading)
        for sentence in section.summary:
            document.paragraph(sentence)
        for chart in section.charts:
            document.chart(chart)
            if chart.table:
                headers, *rows = chart.table
                document.table(headers, rows, caption=f"The figures in the chart: {chart.title}")
        if section.rows:
            document.table(section.headers, section.rows, caption=section.caption)
        else:
            document.paragraph("None recorded yet.")
    return document.to_bytes()


@router.get("/documents/service-plan", response_class=HTMLResponse)
async def service_plan_page(request: Request, page: PageContext, gateway: Gateway) -> HTMLResponse:
    """The service plan's KPI, objectives and projects tables, ready to print."""
    sections = await service_plan(gateway)
    return render(
        request,
        "documents/document.html",
        {
            **page,
            "nav": "documents",
            "title": TITLE,
            "sections": sections,
            "docx": "/documents/service-plan.docx",
            "pdf": "/documents/service-plan.pdf",
        },
    )


@router.get("/documents/service-plan.docx")
async def service_plan_word(gateway: Gateway) -> Response:
    """The same tables as a Word document."""
    return download(document_docx(TITLE, await service_plan(gateway)), DOCX, "service-plan.docx")


@router.get("/documents/service-plan.pdf")
async def service_plan_pdf(gateway: Gateway) -> Response:
    """The same tables as a tagged PDF."""
    data = await document_pdf(TITLE, await service_plan(gateway))
    return download(data, PDF, "service-plan.pdf")


TableName = Literal["kpis", "objectives", "projects"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _section(gateway: GatewayClient, table: str) -> Section:
    found = next((s for s in await service_plan(gateway) if s.id == table), None)
    if found is None:
        raise NotFound(f"The service plan has no {table} table.")
    return found


def download(data: bytes, media_type: str, filename: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/documents/service-plan/{table}.csv")
async def service_plan_csv(table: TableName, gateway: Gateway) -> Response:
    """One table of the plan as CSV, in the columns the import reads back."""
    section = await _section(gateway, table)
    return download(write_csv(section.headers, section.rows), "text/csv", f"{table}.csv")


@router.get("/documents/service-plan/{table}.xlsx")
async def service_plan_xlsx(table: TableName, gateway: Gateway) -> Response:
    """One table of the plan as an Excel workbook, in the columns the import reads back."""
    section = await _section(gateway, table)
    data = write_xlsx(section.headers, section.rows, sheet=section.heading)
    return download(data, XLSX, f"{table}.xlsx")
