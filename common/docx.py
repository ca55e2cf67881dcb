"""A minimal Word (.docx) writer: headings, paragraphs and tables, with the standard library.

A .docx file is a zip of XML parts; we write the five a document needs (content types, package
relationships, the document, its relationships and its styles). Headings use Word's built-in
heading styles, so the navigation pane and a table of contents see them; table header rows
repeat on every page and are marked as headers for screen readers.
"""

from collections.abc import Iterable, Sequence

from common.tables import xml_text, zip_parts

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""  # noqa: E501
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""  # noqa: E501
_DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""  # noqa: E501
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
            f'<w:tblCaption w:val="{xml_text(caption or "")}"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(lines)}</w:tbl>"
        )
        self._body.append("<w:p/>")

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
            f'<w:document xmlns:w="{_W}"><w:body>{"".join(self._body)}{self._section()}'
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
        return zip_parts(
            {
                "[Content_Types].xml": _CONTENT_TYPES,
                "_rels/.rels": _ROOT_RELS,
                "word/document.xml": self.document_xml(),
                "word/_rels/document.xml.rels": _DOCUMENT_RELS,
                "word/styles.xml": _STYLES,
                "docProps/core.xml": core,
            }
        )
