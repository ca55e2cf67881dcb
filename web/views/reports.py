"""The quarterly performance report for members: budget, savings, projects, KPIs and the
improvement plan for one quarter, as a page and as a Word document with the same content."""

from collections.abc import Coroutine
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from common.money import format_money
from common.periods import Frequency, Period
from web.clients.gateway import ApiError, GatewayClient, UpstreamDown, gateway_client
from web.rendering import render
from web.views.dashboard import PageContext
from web.views.documents import DOCX, Section, document_docx, download

router = APIRouter()
Gateway = Annotated[GatewayClient, Depends(gateway_client)]
RAG_WORDS = {"green": "On track", "amber": "At risk", "red": "Off track", "not_set": "Not set"}


def latest_complete_quarter(today: date) -> Period:
    return Period.containing(today, Frequency.QUARTERLY).previous()


def _money(value: Any) -> str:
    return "None" if value is None else format_money(Decimal(str(value)), short=True)


async def _get(gateway: GatewayClient, path: str, what: str, **params: Any) -> Any:
    return await gateway.get_json(path, what=what, params=params)


async def budget_section(gateway: GatewayClient, quarter: Period) -> Section:
    month = Period(quarter.year, Frequency.MONTHLY, quarter.index * 3)
    position = await _get(gateway, "/finance/budget/position", "finance service", month=month.code)
    totals = position["totals"]
    return Section(
        "budget",
        "Budget forecast position",
        f"Budget, forecast outturn, variance and movement by budget line, {month.label}",
        ["Budget line", "Budget", "Forecast outturn", "Variance", "Movement since last month"],
        [
            [
                line["name"],
                _money(line["budget"]),
                _money(line["forecast_outturn"]),
                f"{_money(line['variance'])} {line['variance_words']}".strip(),
                _money(line["movement"]),
            ]
            for line in position["lines"]
        ],
        summary=[
            f"At the end of {month.label} the forecast outturn is "
            f"{_money(totals['forecast_outturn'])} against a budget of {_money(totals['budget'])}: "
            f"{_money(abs(Decimal(str(totals['variance']))))} {totals['variance_words']}. "
            f"The forecast moved by {_money(totals['movement'])} since the month before."
        ],
        downloads=False,
    )


async def savings_sections(gateway: GatewayClient, quarter: Period) -> list[Section]:
    # The finance service knows projects by id only; their names come from the projects service.
    try:
        listed = await _get(gateway, "/projects/projects", "projects service", limit=500)
        names = {p["id"]: p["name"] for p in listed["items"]}
    except (UpstreamDown, ApiError):
        names = {}
    sections = []
    for by, heading in (("project", "Savings by project"), ("category", "Savings by category")):
        totals = await _get(
            gateway,
            "/finance/savings/totals",
            "finance service",
            by=by,
            financial_year=quarter.year.label,
        )
        overall = totals["overall"]
        sections.append(
            Section(
                f"savings-{by}",
                heading,
                f"Savings target, achieved, forecast and slippage by {by}, {quarter.year.label}",
                [
                    by.capitalize(),
                    "Target",
                    "Achieved to date",
                    "Forecast for the year",
                    "Slippage",
                ],
                [
                    [
                        names.get(g["label"], g["label"]),
                        _money(g["target"]),
                        _money(g["achieved_to_date"]),
                        _money(g["forecast_for_year"]),
                        _money(g["slippage"]),
                    ]
                    for g in totals["groups"]
                ],
                summary=[
                    f"Of a {quarter.year.label} savings target of {_money(overall['target'])}, "
                    f"{_money(overall['achieved_to_date'])} has been achieved and "
                    f"{_money(overall['forecast_for_year'])} is forecast: slippage of "
                    f"{_money(overall['slippage'])}."
                ]
                if by == "project"
                else [],
                downloads=False,
            )
        )
    return sections


async def project_section(gateway: GatewayClient, quarter: Period) -> Section:
    summary = await _get(
        gateway,
        "/projects/portfolio/summary",
        "projects service",
        **{"from": quarter.start.isoformat(), "to": quarter.end.isoformat()},
    )
    by_rag = ", ".join(
        f"{count} {RAG_WORDS.get(rag, rag).lower()}" for rag, count in summary["by_rag"].items()
    )
    return Section(
        "projects",
        "Projects",
        f"Milestones due in {quarter.label}, and any overdue",
        ["Project", "Milestone", "Due", "Overdue", "Slippage (days)"],
        [
            [
                m["project_name"],
                m["title"],
                m["due_date"],
                "Yes" if m["overdue"] else "No",
                str(m["slippage_days"]),
            ]
            for m in summary["milestones"]
        ],
        summary=[
            f"{summary['projects']} projects: {by_rag}. {summary['milestones_due']} milestones "
            f"were due in {quarter.label}, of which {summary['milestones_overdue']} are overdue."
        ],
        downloads=False,
    )


async def kpi_section(gateway: GatewayClient, quarter: Period) -> Section:
    month = Period(quarter.year, Frequency.MONTHLY, quarter.index * 3)
    card = await _get(gateway, "/kpi/scorecard", "KPI service", period=month.code, limit=500)
    counts = ", ".join(f"{n} {rag}" for rag, n in card["counts"].items())
    exceptions = [row for row in card["items"] if row["rag"] == "Red"]
    return Section(
        "kpis",
        "KPI scorecard: exceptions",
        "Every measure off track (Red), with its figure, target and commentary",
        ["Measure", "Period", "Actual", "Target", "Status", "Commentary"],
        [
            [
                row["measure"]["title"],
                row["label"],
                str(row["actual"]),
                str(row["target"]),
                "Red (off track)",
                (row.get("entry") or {}).get("commentary") or "No commentary",
            ]
            for row in exceptions
        ],
        summary=[f"{card['total']} measures at the end of {quarter.label}: {counts}."],
        downloads=False,
    )


async def improvement_section(gateway: GatewayClient) -> Section:
    plan = await _get(gateway, "/projects/improvement-actions/summary", "projects service")
    return Section(
        "improvement",
        "Improvement plan",
        "Actions remaining by area of accountability",
        ["Area", "Open", "Closed", "Total"],
        [[a["area"], str(a["open"]), str(a["closed"]), str(a["total"])] for a in plan["areas"]],
        summary=[f"{plan['open']} of {plan['total']} improvement plan actions remain open."],
        downloads=False,
    )


async def quarterly_report(gateway: GatewayClient, quarter: Period) -> list[Section]:
    """Each part from its own service; a part whose service is down says so and the rest stay."""
    sections: list[Section] = []
    parts: list[tuple[str, str, Coroutine[Any, Any, Section | list[Section]]]] = [
        ("budget", "Budget forecast position", budget_section(gateway, quarter)),
        ("savings", "Savings", savings_sections(gateway, quarter)),
        ("projects", "Projects", project_section(gateway, quarter)),
        ("kpis", "KPI scorecard", kpi_section(gateway, quarter)),
        ("improvement", "Improvement plan", improvement_section(gateway)),
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


def _quarter(text: str | None) -> Period:
    if not text:
        return latest_complete_quarter(date.today())
    period = Period.parse(text)
    if period.frequency is not Frequency.QUARTERLY:
        raise ValueError("not a quarter")
    return period


QuarterQuery = Annotated[
    str | None, Query(max_length=20, description='A quarter like "2026/27 Q2".')
]


@router.get("/documents/quarterly-report", response_class=HTMLResponse)
async def quarterly_report_page(
    request: Request, page: PageContext, gateway: Gateway, quarter: QuarterQuery = None
) -> HTMLResponse:
    """The quarterly performance report for members."""
    try:
        chosen = _quarter(quarter)
    except ValueError:
        chosen = latest_complete_quarter(date.today())
    title = f"Quarterly performance report, {chosen.label}"
    return render(
        request,
        "documents/document.html",
        {
            **page,
            "nav": "documents",
            "title": title,
            "sections": await quarterly_report(gateway, chosen),
            "docx": f"/documents/quarterly-report.docx?quarter={chosen.code}",
        },
    )


@router.get("/documents/quarterly-report.docx")
async def quarterly_report_word(gateway: Gateway, quarter: QuarterQuery = None) -> Response:
    """The same report as a Word document."""
    try:
        chosen = _quarter(quarter)
    except ValueError:
        chosen = latest_complete_quarter(date.today())
    title = f"Quarterly performance report, {chosen.label}"
    data = document_docx(title, await quarterly_report(gateway, chosen))
    return download(
        data, DOCX, f"quarterly-report-{chosen.code.replace('/', '-').replace(' ', '-')}.docx"
    )
