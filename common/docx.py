"""A minimal Word (.docx) writer: headings, paragraphs, tables and charts, with the standard
library.

A .docx file is a zip of XML parts; we write the five a document needs (content types, package
relationships, the document, its relationships and its styles). Headings use Word's built-in
heading styles, so the navigation pane and a table of contents see them; table header rows
repeat on every page and are marked as headers for screen readers.

Charts are native Word charts: a DrawingML chart part (`word/charts/chartN.xml`) holding its
numbers as cached values, which Word and LibreOffice draw without an embedded workbook (Word
only asks for one if someone chooses to edit the data). Each has alt text (its title and
message) and a caption paragraph saying the message; the table of its numbers follows it.
"""

import math
from collections.abc import Iterable, Sequence
from decimal import Decimal

from common.charts import Chart, ChartKind
from common.writing import (
    OFFICE_TYPE,
    REL_CORE_PROPERTIES,
    REL_OFFICE_DOCUMENT,
    REL_STYLES,
    content_types,
    relationships,
    xml_text,
    zip_parts,
)

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{_W}">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:sz w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="120"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="48"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="36"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
</w:styles>"""  # noqa: E501
_BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)


_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_CHART_TYPE = f"{OFFICE_TYPE}.drawingml.chart+xml"
_CHART_REL = f"{_R}/chart"
_EMU_PER_CM = 360_000
_INK = "0B0C0C"
# The same colours as the page's SVG charts (web/charts.py), each 3:1 or more against white.
_OVERSPEND, _UNDERSPEND, _TARGET, _ACHIEVED = "801650", "12436D", "12436D", "28A197"
# Labels in thousands ("£2,845k overspend"), short enough not to wrap; the cached values and
# the table beside the chart keep the exact sums.
_MONEY = '"£"#,##0,"k"'
_VARIANCE = '"£"#,##0,"k overspend";"£"#,##0,"k underspend";"on budget"'
_LABEL_FORMAT = {ChartKind.VARIANCE: _VARIANCE, ChartKind.TARGET: _MONEY, ChartKind.COUNTS: "0"}
_AXIS_FORMAT = {ChartKind.VARIANCE: '"£"#,##0,"k";"-£"#,##0,"k"', ChartKind.TARGET: _MONEY}


def _attr(value: str) -> str:
    """Text safe inside a double-quoted XML attribute (a caption may quote a name)."""
    return xml_text(value).replace('"', "&quot;")


def _fill(colour: str, outline: str | None = None, width: int = 12700) -> str:
    line = (
        f'<a:ln w="{width}"><a:solidFill><a:srgbClr val="{outline}"/></a:solidFill></a:ln>'
        if outline
        else ""
    )
    return f'<c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>{line}</c:spPr>'


def _text_properties(size: int, *, bold: bool = False) -> str:
    return (
        f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}" b="{int(bold)}">'
        f'<a:solidFill><a:srgbClr val="{_INK}"/></a:solidFill><a:latin typeface="Arial"/>'
        '</a:defRPr></a:pPr><a:endParaRPr lang="en-GB"/></a:p></c:txPr>'
    )


def _column(index: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


def _number(value: Decimal) -> str:
    """A cached value exactly as held ("2845455.00"), never through float."""
    return f"{value:f}"


def _series(chart: Chart, index: int) -> str:
    series = chart.series[index]
    count = len(chart.categories)
    column = _column(index + 1)
    if chart.kind is ChartKind.TARGET:
        look = _fill("FFFFFF", _TARGET, 19050) if index == 0 else _fill(_ACHIEVED)
    else:
        look = _fill(_UNDERSPEND)
    points = []
    for i, value in enumerate(series.values):
        if chart.kind is ChartKind.VARIANCE:
            colour = _fill(_OVERSPEND if value > 0 else _UNDERSPEND)
        elif chart.kind is ChartKind.COUNTS and i < len(chart.colours):
            colour = _fill(chart.colours[i].lstrip("#").upper(), _INK, 9525)
        else:
            continue
        points.append(
            f'<c:dPt><c:idx val="{i}"/><c:invertIfNegative val="0"/><c:bubble3D val="0"/>'
            f"{colour}</c:dPt>"
        )
    categories = "".join(
        f'<c:pt idx="{i}"><c:v>{xml_text(name)}</c:v></c:pt>'
        for i, name in enumerate(chart.categories)
    )
    values = "".join(
        f'<c:pt idx="{i}"><c:v>{_number(v)}</c:v></c:pt>' for i, v in enumerate(series.values)
    )
    return (
        f'<c:ser><c:idx val="{index}"/><c:order val="{index}"/>'
        f'<c:tx><c:strRef><c:f>Sheet1!${column}$1</c:f><c:strCache><c:ptCount val="1"/>'
        f'<c:pt idx="0"><c:v>{xml_text(series.name)}</c:v></c:pt></c:strCache></c:strRef></c:tx>'
        f'{look}<c:invertIfNegative val="0"/>{"".join(points)}'
        f'<c:dLbls><c:numFmt formatCode="{_attr(_LABEL_FORMAT[chart.kind])}" '
        'sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'
        f'{_text_properties(900)}<c:dLblPos val="outEnd"/><c:showLegendKey val="0"/>'
        '<c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
        '<c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
        f"<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${count + 1}</c:f><c:strCache>"
        f'<c:ptCount val="{count}"/>{categories}</c:strCache></c:strRef></c:cat>'
        f"<c:val><c:numRef><c:f>Sheet1!${column}$2:${column}${count + 1}</c:f><c:numCache>"
        f'<c:formatCode>General</c:formatCode><c:ptCount val="{count}"/>{values}'
        "</c:numCache></c:numRef></c:val></c:ser>"
    )


def _scale(chart: Chart) -> tuple[str, str]:
    """The value axis's range on round steps, with room beyond the longest bars for their labels
    (on the left too when there are negative bars, so labels never cover the category names)."""
    values = [float(v) for s in chart.series for v in s.values]
    low, high = min([*values, 0.0]), max([*values, 0.0])
    span = (high - low) or 1.0
    magnitude = 10 ** math.floor(math.log10(span / 5))
    step = next(m * magnitude for m in (1, 2, 5, 10) if span / (m * magnitude) <= 6)
    if chart.kind is ChartKind.COUNTS:
        step = max(step, 1)
    top = math.ceil((high + span * 0.3) / step) * step if high > 0 else 0
    bottom = math.floor((low - span * 0.45) / step) * step if low < 0 else 0
    return f'<c:max val="{top:g}"/><c:min val="{bottom:g}"/>', f'<c:majorUnit val="{step:g}"/>'


def chart_part(chart: Chart) -> str:
    """A DrawingML horizontal bar chart (word/charts/chartN.xml) with its values cached."""
    series = "".join(_series(chart, i) for i in range(len(chart.series)))
    axis_format = _AXIS_FORMAT.get(chart.kind, "0")
    bounds, unit = _scale(chart)
    legend = (
        '<c:legend><c:legendPos val="t"/><c:overlay val="0"/></c:legend>'
        if len(chart.series) > 1
        else ""
    )
    grid = '<a:ln w="6350"><a:solidFill><a:srgbClr val="B1B4B6"/></a:solidFill></a:ln>'
    axis_line = f'<a:ln w="12700"><a:solidFill><a:srgbClr val="{_INK}"/></a:solidFill></a:ln>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{_C}" xmlns:a="{_A}" xmlns:r="{_R}">'
        '<c:date1904 val="0"/><c:lang val="en-GB"/><c:roundedCorners val="0"/><c:chart>'
        "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr>"
        '<a:defRPr sz="1200" b="1"/></a:pPr><a:r><a:rPr lang="en-GB" sz="1200" b="1"/>'
        f"<a:t>{xml_text(chart.title)}</a:t></a:r></a:p></c:rich></c:tx>"
        '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
        "<c:plotArea><c:layout/><c:barChart>"
        '<c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
        f'{series}<c:gapWidth val="60"/><c:axId val="1001"/><c:axId val="1002"/></c:barChart>'
        # Categories top to bottom in the table's order; their names left of any negative bar.
        '<c:catAx><c:axId val="1001"/><c:scaling><c:orientation val="maxMin"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="General" '
        'sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/>'
        f'<c:tickLblPos val="low"/><c:spPr>{axis_line}</c:spPr>{_text_properties(900)}'
        '<c:crossAx val="1002"/><c:crosses val="autoZero"/><c:auto val="1"/>'
        '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="1002"/><c:scaling><c:orientation val="minMax"/>'
        f"{bounds}</c:scaling>"
        '<c:delete val="0"/><c:axPos val="b"/>'
        f"<c:majorGridlines><c:spPr>{grid}</c:spPr></c:majorGridlines>"
        f'<c:numFmt formatCode="{_attr(axis_format)}" sourceLinked="0"/>'
        '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f"<c:spPr><a:ln><a:noFill/></a:ln></c:spPr>{_text_properties(800)}"
        f'<c:crossAx val="1001"/><c:crosses val="max"/><c:crossBetween val="between"/>{unit}'
        "</c:valAx></c:plotArea>"
        f'{legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        f"{_text_properties(900)}</c:chartSpace>"
    )


def _drawing(chart: Chart, number: int, relationship: str) -> str:
    """The inline drawing that places chart `number` in a paragraph, with its alt text."""
    rows = len(chart.categories) * (len(chart.series) if chart.kind is ChartKind.TARGET else 1)
    width = 24 * _EMU_PER_CM
    height = int((3.2 + 0.75 * rows) * _EMU_PER_CM)
    alt = f"{chart.title}. {chart.summary} The table that follows gives the figures."
    return (
        '<w:p><w:pPr><w:keepNext/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" '
        f'distL="0" distR="0"><wp:extent cx="{width}" cy="{height}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{number}" name="Chart {number}" title="{_attr(chart.title)}" '
        f'descr="{_attr(alt)}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic xmlns:a="{_A}"><a:graphicData uri="{_C}">'
        f'<c:chart xmlns:c="{_C}" xmlns:r="{_R}" r:id="{relationship}"/>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


def _run(text: str, *, bold: bool = False) -> str:
    properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
    lines = text.split("\n")
    parts = []
    for i, line in enumerate(lines):
        if i:
            parts.append("<w:br/>")
        parts.append(f'<w:t xml:space="preserve">{xml_text(line)}</w:t>')
    return f"<w:r>{properties}{''.join(parts)}</w:r>"


def _paragraph(text: str, *, style: str | None = None, bold: bool = False) -> str:
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{properties}{_run(text, bold=bold)}</w:p>"


class Document:
    """A document built in order: `heading`, `paragraph`, `table`, then `to_bytes`."""

    def __init__(self, title: str, *, landscape: bool = False) -> None:
        self.title = title
        self.landscape = landscape
        self._body: list[str] = [_paragraph(title, style="Title")]
        self._charts: list[str] = []

    def heading(self, text: str, level: int = 1) -> None:
        self._body.append(_paragraph(text, style=f"Heading{min(max(level, 1), 2)}"))

    def paragraph(self, text: str, *, bold: bool = False) -> None:
        self._body.append(_paragraph(text, bold=bold))

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[str]],
        *,
        caption: str | None = None,
    ) -> None:
        """A bordered table whose first row is a header row repeated on each page."""
        if caption:
            self._body.append(_paragraph(caption, style="Caption"))
        header = "".join(f"<w:tc>{_paragraph(h, bold=True)}</w:tc>" for h in headers)
        lines = [f"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>{header}</w:tr>"]
        for row in rows:
            cells = "".join(f"<w:tc>{_paragraph(str(cell))}</w:tc>" for cell in row)
            lines.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
        width = (15_000 if self.landscape else 9_600) // max(len(headers), 1)
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for _ in headers)
        self._body.append(
            '<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/>'
            f"<w:tblBorders>{_BORDERS}</w:tblBorders>"
            '<w:tblLayout w:type="autofit"/>'
            f'<w:tblCaption w:val="{_attr(caption or "")}"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(lines)}</w:tbl>"
        )
        self._body.append("<w:p/>")

    def chart(self, chart: Chart) -> None:
        """A native Word bar chart of `chart`, after a caption paragraph saying its message.

        The caller adds the table of its numbers (a chart is never the only form of them).
        """
        self._charts.append(chart_part(chart))
        number = len(self._charts)
        self._body.append(_paragraph(chart.summary, style="Caption"))
        # rId1 is the styles part; chart N is rId(N+1).
        self._body.append(_drawing(chart, number, f"rId{number + 1}"))

    def _section(self) -> str:
        width, height = (16838, 11906) if self.landscape else (11906, 16838)
        orient = ' w:orient="landscape"' if self.landscape else ""
        return (
            f'<w:sectPr><w:pgSz w:w="{width}" w:h="{height}"{orient}/>'
            '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" '
            'w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>'
        )

    def document_xml(self) -> str:
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{_W}" xmlns:wp="{_WP}" xmlns:r="{_R}">'
            f"<w:body>{''.join(self._body)}{self._section()}"
            "</w:body></w:document>"
        )

    def to_bytes(self) -> bytes:
        core = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{xml_text(self.title)}</dc:title><dc:language>en-GB</dc:language>"
            "</cp:coreProperties>"
        )
        charts = [f"charts/chart{n}.xml" for n in range(1, len(self._charts) + 1)]
        types = {
            "/word/document.xml": f"{OFFICE_TYPE}.wordprocessingml.document.main+xml",
            "/word/styles.xml": f"{OFFICE_TYPE}.wordprocessingml.styles+xml",
            "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        } | {f"/word/{chart}": _CHART_TYPE for chart in charts}
        return zip_parts(
            {
                "[Content_Types].xml": content_types(types),
                "_rels/.rels": relationships(
                    [
                        (REL_OFFICE_DOCUMENT, "word/document.xml"),
                        (REL_CORE_PROPERTIES, "docProps/core.xml"),
                    ]
                ),
                "word/document.xml": self.document_xml(),
                # rId1 is the styles part; chart N is rId(N+1), as `chart` numbers them.
                "word/_rels/document.xml.rels": relationships(
                    [(REL_STYLES, "styles.xml"), *((_CHART_REL, chart) for chart in charts)]
                ),
                "word/styles.xml": _STYLES,
                "docProps/core.xml": core,
                **{f"word/{chart}": part for chart, part in zip(charts, self._charts, strict=True)},
            }
        )
