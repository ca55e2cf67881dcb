"""The quarterly report and the service plan as PDF: made from the page's own markup, so its
text holds the page's figures; tagged (PDF/UA-1) with the document's title and language, and
each chart a figure with alternative text."""

import io
import re
from html import unescape
from typing import Any

from fastapi.testclient import TestClient
from pypdf import PdfReader

from tests.kpi.factories import make_actual, make_measure, make_target

QUARTER = "2025/26 Q2"


def _squashed(text: str) -> str:
    """Text without its spaces and line breaks: a PDF breaks lines where the page does not."""
    return re.sub(r"\s+", "", text)


def _pdf(api: TestClient, path: str, **params: str) -> PdfReader:
    response = api.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def _struct_alts(node: Any, found: list[str]) -> list[str]:
    """Every /Alt in the structure tree."""
    node = node.get_object()
    if isinstance(node, dict):
        if "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                _struct_alts(kid, found)
    elif isinstance(node, list):
        for kid in node:
            _struct_alts(kid, found)
    return found


def test_the_quarterly_report_pdf_holds_the_pages_figures_and_is_tagged(api: TestClient) -> None:
    share = make_measure(api, code="P1", title="Reviews on time", decimal_places=1)
    make_target(api, share, "20")
    make_actual(api, share, "2025-09", numerator="452", denominator="3813", commentary="Backlog")
    html = api.get("/documents/quarterly-report", params={"quarter": QUARTER}).text
    reader = _pdf(api, "/documents/quarterly-report.pdf", quarter=QUARTER)
    text = _squashed("".join(page.extract_text() for page in reader.pages))

    # Every sentence and table cell of the KPI parts on the page is in the PDF.
    for section in ("kpi-exceptions", "kpis"):
        start = html.index(f'<section id="{section}"')
        part = html[start : html.index("</section>", start)]
        for cell in re.findall(r"<(?:p|td|th)[^>]*>([^<]+)</", part):
            assert _squashed(unescape(cell)) in text, cell
    assert "11.9%" in text
    assert "11.854183" not in text

    root: Any = reader.trailer["/Root"]
    assert reader.metadata is not None
    assert reader.metadata.title == "Quarterly performance report, Q2 2025/26"
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    alts = _struct_alts(root["/StructTreeRoot"], [])
    assert any(
        alt.startswith("KPI measures by status (RAG), Q2 2025/26. Of 1 measures") for alt in alts
    )


def test_the_service_plan_pdf_holds_its_tables_and_is_tagged(api: TestClient) -> None:
    make_measure(api, code="P1", title="Reviews on time")
    reader = _pdf(api, "/documents/service-plan.pdf")
    text = _squashed("".join(page.extract_text() for page in reader.pages))
    assert _squashed("Key performance indicators") in text
    assert _squashed("Reviews on time") in text
    assert reader.metadata is not None
    assert reader.metadata.title == "Adult Social Care service plan"
    root: Any = reader.trailer["/Root"]
    assert (root["/Lang"], "/StructTreeRoot" in root) == ("en-GB", True)


def test_the_report_page_offers_the_pdf(api: TestClient) -> None:
    html = api.get("/documents/quarterly-report", params={"quarter": QUARTER}).text
    assert 'href="/documents/quarterly-report.pdf?quarter=2025/26 Q2"' in html
