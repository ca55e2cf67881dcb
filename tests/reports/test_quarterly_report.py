"""The quarterly performance report: every part from its service, the same in HTML and Word."""

import io
import re
import shutil
import subprocess
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from common.db import Database
from common.settings import Settings
from common.testing.plugin import make_caller
from services.finance import demo as finance_demo
from services.kpi import demo as kpi_demo
from services.projects import demo as projects_demo
from stack.testing.plugin import build_system
from tests.helpers import Down

QUARTER = "2025/26 Q3"


@pytest.fixture
def demo_data(database: Database, demo_org: uuid.UUID) -> None:
    with database.session(demo_org) as session:
        for module in (kpi_demo, projects_demo, finance_demo):
            module.load(session)
            session.flush()
        session.commit()


@pytest.mark.usefixtures("demo_data")
def test_the_report_has_every_part_for_the_quarter(api: TestClient) -> None:
    page = api.get("/documents/quarterly-report", params={"quarter": QUARTER})
    assert page.status_code == 200
    html = page.text
    assert "Quarterly performance report, Q3 2025/26" in html
    for heading in (
        "Budget forecast position",
        "Savings by project",
        "Savings by category",
        "Projects",
        "Exceptions: KPIs off track or at risk",
        "KPI scorecard",
        "Improvement plan",
    ):
        assert heading in html
    assert "the forecast outturn is" in html
    assert "Off track (Red)" in html  # the exceptions table names each red measure
    assert "cannot be shown" not in html
    assert "Supported Living Efficiencies" in html  # savings named by their project, not its id


@pytest.mark.usefixtures("demo_data")
def test_the_word_report_holds_the_same_findings(api: TestClient) -> None:
    response = api.get("/documents/quarterly-report.docx", params={"quarter": QUARTER})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    document = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    assert "Exceptions: KPIs off track or at risk" in document
    assert "improvement plan actions remain open" in document


def test_a_part_whose_service_is_down_says_so_and_the_rest_stays(
    settings: Settings, database: Database, demo_org: uuid.UUID
) -> None:
    system = build_system(
        settings, database, caller=make_caller(demo_org), transports={"finance": Down()}
    )
    with system.client() as api:
        html = api.get("/documents/quarterly-report", params={"quarter": QUARTER}).text
    assert "the finance service did not answer" in html
    assert "Exceptions: KPIs off track or at risk" in html


SVG = "{http://www.w3.org/2000/svg}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def _figure(html: str, chart_id: str) -> ElementTree.Element:
    found = re.search(rf'<figure class="app-figure" id="{chart_id}">.*?</figure>', html, re.S)
    assert found, f"no {chart_id} figure"
    return ElementTree.fromstring(found.group(0))


def _bar_values(figure: ElementTree.Element) -> list[Decimal]:
    """The numbers the bars are drawn from (the key's swatches carry none)."""
    return [Decimal(v) for r in figure.iter(f"{SVG}rect") if (v := r.get("data-value"))]


@pytest.mark.usefixtures("demo_data")
def test_each_chart_on_the_page_is_drawn_from_the_reports_own_figures(api: TestClient) -> None:
    html = api.get("/documents/quarterly-report", params={"quarter": QUARTER}).text
    position = api.get("/api/v1/finance/budget/position", params={"as_at": QUARTER}).json()
    variances = [Decimal(line["variance"]) for line in position["lines"]]
    assert _bar_values(_figure(html, "budget-chart")) == variances  # exact, to the penny
    cashable_as_at = {"financial_year": "2025/26", "saving_type": "cashable", "as_at": QUARTER}
    savings = api.get(
        "/api/v1/finance/savings/totals", params={"by": "category"} | cashable_as_at
    ).json()
    paired = [Decimal(g[key]) for g in savings["groups"] for key in ("target", "achieved_to_date")]
    assert _bar_values(_figure(html, "savings-category-chart")) == paired
    card = api.get("/api/v1/kpi/scorecard", params={"as_at": QUARTER}).json()["counts"]
    measures = [Decimal(card[rag]) for rag in ("red", "amber", "green", "no_data", "no_target")]
    assert _bar_values(_figure(html, "kpis-chart")) == measures
    assert "The figures in the chart: KPI measures by status (RAG), Q3 2025/26" in html


@pytest.mark.usefixtures("demo_data")
def test_every_chart_on_the_page_has_an_accessible_name_and_says_its_message(
    api: TestClient,
) -> None:
    html = api.get("/documents/quarterly-report", params={"quarter": QUARTER}).text
    ids = re.findall(r'<figure class="app-figure" id="([^"]+)">', html)
    assert ids == [
        "budget-chart",
        "savings-project-chart",
        "savings-category-chart",
        "projects-chart",
        "kpis-chart",
    ]
    for chart_id in ids:
        figure = _figure(html, chart_id)
        svg = figure.find(f".//{SVG}svg")
        assert svg is not None
        assert svg.get("role") == "img"
        title = svg.find(f"{SVG}title")
        assert title is not None
        assert title.text
        assert svg.get("aria-labelledby") == title.get("id")
        caption = figure.find("figcaption")
        assert caption is not None
        assert caption.text
        assert caption.get("id") in (svg.get("aria-describedby") or "").split()
    budget = _figure(html, "budget-chart").find("figcaption")
    assert budget is not None
    assert budget.text == (
        "Forecast £5.617m overspend at the end of December 2025: 5 budget lines overspend and 3 "
        "underspend; the largest overspend is Learning Disabilities (£2.845m)."
    )


def test_a_report_with_nothing_to_chart_shows_no_empty_chart_but_says_so(api: TestClient) -> None:
    html = api.get("/documents/quarterly-report", params={"quarter": QUARTER}).text
    assert "app-figure" not in html
    assert "No budget forecast for this quarter yet." in html
    assert "No savings returns for this quarter yet." in html
    assert "No projects are recorded yet, so there is no chart of them." in html
    assert "No measures are recorded yet, so there is no chart of them." in html
    word = api.get("/documents/quarterly-report.docx", params={"quarter": QUARTER}).content
    with zipfile.ZipFile(io.BytesIO(word)) as package:
        assert not [n for n in package.namelist() if n.startswith("word/charts/")]
        assert "No projects are recorded yet" in package.read("word/document.xml").decode()


def _package(data: bytes) -> dict[str, ElementTree.Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        return {name: ElementTree.fromstring(package.read(name)) for name in package.namelist()}


def _cached(chart: ElementTree.Element) -> list[list[str]]:
    return [
        [pt.findtext(f"{C}v") or "" for pt in ser.iterfind(f"{C}val/{C}numRef/{C}numCache/{C}pt")]
        for ser in chart.iter(f"{C}ser")
    ]


@pytest.mark.usefixtures("demo_data")
def test_the_word_report_holds_the_same_charts_as_native_charts_with_alt_text(
    api: TestClient,
) -> None:
    parts = _package(
        api.get("/documents/quarterly-report.docx", params={"quarter": QUARTER}).content
    )
    charts = sorted(n for n in parts if n.startswith("word/charts/"))
    assert charts == [f"word/charts/chart{n}.xml" for n in range(1, 6)]
    position = api.get("/api/v1/finance/budget/position", params={"as_at": QUARTER}).json()
    assert _cached(parts["word/charts/chart1.xml"]) == [
        [line["variance"] for line in position["lines"]]  # "2845455.00": exact, never a float
    ]
    savings = api.get(
        "/api/v1/finance/savings/totals",
        params={"by": "project", "financial_year": "2025/26", "saving_type": "cashable"}
        | {"as_at": QUARTER},
    ).json()
    assert _cached(parts["word/charts/chart2.xml"]) == [
        [g["target"] for g in savings["groups"]],
        [g["achieved_to_date"] for g in savings["groups"]],
    ]
    descriptions = [d.get("descr") or "" for d in parts["word/document.xml"].iter(f"{WP}docPr")]
    assert len(descriptions) == 5
    assert all(d for d in descriptions)
    assert descriptions[0].startswith("Forecast variance by budget line, December 2025. Forecast")


@pytest.mark.usefixtures("demo_data")
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_word_report_with_its_charts(api: TestClient, tmp_path: Path) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes(
        api.get("/documents/quarterly-report.docx", params={"quarter": QUARTER}).content
    )
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    pdf = tmp_path / "report.pdf"
    assert pdf.exists(), done.stderr.decode()
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):  # poppler-utils: then check the charts were drawn, not framed
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, check=True, timeout=60
        ).stdout.decode()
        assert "£2,845k overspend" in text  # a data label, drawn from the chart's cached values
        assert "£186k underspend" in text
