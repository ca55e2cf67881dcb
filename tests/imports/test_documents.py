"""The service plan, generated from the imported tables, as a page and as a Word document."""

import csv
import io
import uuid
import zipfile
from collections.abc import Callable
from xml.etree import ElementTree

from fastapi.testclient import TestClient

from common.identity import Caller, Role
from common.testing.plugin import make_caller
from tests.helpers import assert_shows, page_text
from tests.imports.files import KPIS, OBJECTIVES, PROJECTS, upload


def _import_plan(api: TestClient) -> None:
    for path, file in (
        ("/kpi/imports/kpis", KPIS),
        ("/projects/imports/objectives", OBJECTIVES),
        ("/projects/imports/projects", PROJECTS),
    ):
        assert upload(api, path, file.read_bytes(), commit=True).status_code == 200


def _titles() -> list[str]:
    with KPIS.open(encoding="utf-8", newline="") as file:
        return [row["Measure"].strip() for row in csv.DictReader(file)]


def test_the_service_plan_page_has_the_three_tables_and_a_print_stylesheet(
    api: TestClient,
) -> None:
    _import_plan(api)
    html = page_text(api, "/documents/service-plan")
    assert html.count('<table class="govuk-table') == 3
    assert_shows(
        html,
        'media="print" href="/static/documents-print.css"',
        "Target 2025/26",
        "Current baseline 19% / Target level of 30%",
        "£376k reduction",
        "Rate per 100k population of 65+",
        "£1.3m over two years",
        "Started in 2024",
    )
    assert html.count('<th scope="row"') == 12 + 16 + 16
    assert api.get("/static/documents-print.css").status_code == 200


def test_the_service_plan_docx_holds_the_same_tables(api: TestClient) -> None:
    _import_plan(api)
    response = api.get("/documents/service-plan.docx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        assert package.testzip() is None
        body = ElementTree.fromstring(package.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    texts = {t.text for t in body.iter(f"{w}t")}
    for title in _titles():
        assert title in texts
    assert "Digital Transformation" in texts
    tables = list(body.iter(f"{w}tbl"))
    assert [len(list(t.iter(f"{w}tr"))) for t in tables] == [13, 17, 17]


def test_an_empty_plan_says_so_rather_than_showing_empty_tables(api: TestClient) -> None:
    html = page_text(api, "/documents/service-plan")
    assert html.count("None recorded yet.") == 3


def _exports(client: TestClient) -> dict[str, bytes]:
    files = {}
    for table in ("kpis", "objectives", "projects"):
        for kind in ("csv", "xlsx"):
            response = client.get(f"/documents/service-plan/{table}.{kind}")
            assert response.status_code == 200, response.text
            files[f"{table}.{kind}"] = response.content
    return files


def test_export_import_into_a_fresh_organisation_and_export_again_gives_identical_files(
    api: TestClient, api_as: Callable[[Caller], TestClient], other_org: uuid.UUID
) -> None:
    _import_plan(api)
    first = _exports(api)
    fresh = api_as(make_caller(other_org, Role.ADMIN))
    for table, path in (
        ("kpis", "/kpi/imports/kpis"),
        ("objectives", "/projects/imports/objectives"),
        ("projects", "/projects/imports/projects"),
    ):
        response = upload(fresh, path, first[f"{table}.xlsx"], f"{table}.xlsx", commit=True)
        assert response.status_code == 200, response.text
        assert response.json()["counts"]["error"] == 0
        assert response.json()["unmatched_columns"] == []
    again = _exports(fresh)
    assert again == first
    for table, path in (
        ("kpis", "/kpi/imports/kpis"),
        ("objectives", "/projects/imports/objectives"),
        ("projects", "/projects/imports/projects"),
    ):
        report = upload(fresh, path, first[f"{table}.csv"], f"{table}.csv").json()
        assert {r["action"] for r in report["rows"]} == {"unchanged"}
