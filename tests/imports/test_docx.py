"""The Word writer: a valid package whose document holds the headings and table cells given."""

import io
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

from common.charts import Chart, ChartKind, ChartSeries
from common.docx import Document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _parts(data: bytes) -> dict[str, ElementTree.Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        return {name: ElementTree.fromstring(package.read(name)) for name in package.namelist()}


def test_a_document_is_a_valid_package_with_every_part_well_formed() -> None:
    document = Document("Service plan", landscape=True)
    document.heading("KPIs")
    document.table(["Measure", "Target"], [["Carers <supported> & more", "£376k reduction"]])
    parts = _parts(document.to_bytes())
    assert set(parts) == {
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
        "docProps/core.xml",
    }
    body = parts["word/document.xml"]
    texts = [t.text for t in body.iter(f"{W}t")]
    assert texts == [
        "Service plan",
        "KPIs",
        "Measure",
        "Target",
        "Carers <supported> & more",
        "£376k reduction",
    ]
    assert body.find(f".//{W}tblHeader") is not None
    assert body.find(f".//{W}pgSz").get(f"{W}orient") == "landscape"  # type: ignore[union-attr]


def test_line_breaks_in_a_cell_become_breaks_and_control_characters_are_dropped() -> None:
    document = Document("Plan")
    document.table(["Note"], [["first\nsecond\x07"]])
    body = _parts(document.to_bytes())["word/document.xml"]
    assert [t.text for t in body.iter(f"{W}t")][-2:] == ["first", "second"]
    assert len(list(body.iter(f"{W}br"))) == 1


C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def _variance_chart(title: str = "Forecast variance by budget line") -> Chart:
    return Chart(
        "budget-chart",
        ChartKind.VARIANCE,
        title,
        "Forecast £1.2m overspend, mostly in Residential care.",
        ("Residential care", "Home care"),
        (ChartSeries("Variance", (Decimal("1250000.10"), Decimal("-50000.00"))),),
    )


def test_a_chart_is_a_native_word_chart_with_its_part_type_relationship_and_alt_text() -> None:
    document = Document("Report")
    document.chart(_variance_chart())
    parts = _parts(document.to_bytes())
    chart = parts["word/charts/chart1.xml"]
    overrides = {
        o.get("PartName"): o.get("ContentType") for o in parts["[Content_Types].xml"].iter()
    }
    assert overrides["/word/charts/chart1.xml"] == (
        "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
    )
    relationships = {
        r.get("Id"): r.get("Target")
        for r in parts["word/_rels/document.xml.rels"].iter(f"{REL}Relationship")
    }
    placed = parts["word/document.xml"].find(f".//{C}chart")
    assert placed is not None
    assert relationships[placed.get(f"{R}id")] == "charts/chart1.xml"
    described = parts["word/document.xml"].find(f".//{WP}docPr")
    assert described is not None
    assert described.get("descr") == (
        "Forecast variance by budget line. Forecast £1.2m overspend, mostly in Residential care. "
        "The table that follows gives the figures."
    )
    assert chart.find(f".//{C}barDir").get("val") == "bar"  # type: ignore[union-attr]
    categories = [v.text for v in chart.iterfind(f".//{C}cat//{C}v")]
    assert categories == ["Residential care", "Home care"]
    values = [v.text for v in chart.iterfind(f".//{C}val//{C}v")]
    assert values == ["1250000.10", "-50000.00"]  # exactly the Decimals given


def test_each_chart_gets_its_own_part_and_a_unique_drawing_id() -> None:
    document = Document("Report")
    document.chart(_variance_chart())
    document.table(["Line", "Variance"], [["Residential care", "£1.25m overspend"]])
    document.chart(
        Chart(
            "rag",
            ChartKind.COUNTS,
            "Projects by status",
            "Of 3 projects: 1 off track (Red) and 2 on track (Green).",
            ("Off track (Red)", "On track (Green)"),
            (ChartSeries("Projects", (Decimal(1), Decimal(2))),),
            colours=("#d4351c", "#00703c"),
        )
    )
    parts = _parts(document.to_bytes())
    assert {"word/charts/chart1.xml", "word/charts/chart2.xml"} <= set(parts)
    ids = [d.get("id") for d in parts["word/document.xml"].iter(f"{WP}docPr")]
    assert ids == ["1", "2"]
    colours = [
        c.get("val")
        for point in parts["word/charts/chart2.xml"].iter(f"{C}dPt")
        for c in point.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}srgbClr")
    ]
    assert colours == ["D4351C", "0B0C0C", "00703C", "0B0C0C"]  # each RAG fill, outlined


def test_quotes_in_a_caption_or_a_chart_title_keep_every_part_well_formed() -> None:
    document = Document("Report")
    document.table(["Project"], [["A"]], caption='Savings by "project"')
    document.chart(_variance_chart('Variance of the "Home first" lines'))
    parts = _parts(document.to_bytes())  # parses every part
    described = parts["word/document.xml"].find(f".//{WP}docPr")
    assert described is not None
    assert described.get("title") == 'Variance of the "Home first" lines'
