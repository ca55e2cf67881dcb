"""The quarterly performance report: every part from its service, the same in HTML and Word."""

import io
import uuid
import zipfile

import httpx
import pytest
from fastapi.testclient import TestClient

from common.db import Database
from common.settings import Settings
from common.testing.plugin import build_system, make_caller
from services.finance import demo as finance_demo
from services.kpi import demo as kpi_demo
from services.projects import demo as projects_demo

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
        "KPI scorecard: exceptions",
        "Improvement plan",
    ):
        assert heading in html
    assert "the forecast outturn is" in html
    assert "Red (off track)" in html  # the exceptions table names each red measure
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
    assert "KPI scorecard: exceptions" in document
    assert "improvement plan actions remain open" in document


class _Down(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)


def test_a_part_whose_service_is_down_says_so_and_the_rest_stays(
    settings: Settings, database: Database, demo_org: uuid.UUID
) -> None:
    system = build_system(
        settings, database, caller=make_caller(demo_org), transports={"finance": _Down()}
    )
    with system.client() as api:
        html = api.get("/documents/quarterly-report", params={"quarter": QUARTER}).text
    assert "the finance service did not answer" in html
    assert "KPI scorecard: exceptions" in html


def test_a_quarter_that_is_not_one_falls_back_to_the_latest(api: TestClient) -> None:
    page = api.get("/documents/quarterly-report", params={"quarter": "2025-04"})
    assert page.status_code == 200
    assert "Quarterly performance report, Q" in page.text
