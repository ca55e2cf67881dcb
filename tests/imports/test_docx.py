"""The Word writer: a valid package whose document holds the headings and table cells given."""

import io
import zipfile
from xml.etree import ElementTree

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
