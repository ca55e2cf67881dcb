"""The KPI parts of the quarterly report: as at the quarter's end, exceptions first with their
commentary, each figure to its measure's decimal places, and where each year is heading."""

from fastapi.testclient import TestClient

from tests.kpi.factories import make_actual, make_measure, make_target


def _measures_reported_through_the_year(api: TestClient) -> None:
    """Figures before and after the end of Q2 2025/26, already in the database."""
    share = make_measure(api, code="P1", title="Reviews on time", decimal_places=1)
    make_target(api, share, "20")
    make_actual(api, share, "2025-08", numerator="452", denominator="3813", commentary="Backlog")
    make_actual(api, share, "2025-09", value="30")  # September, Q2: Green
    make_actual(api, share, "2025-11", value="5", commentary="After Q2")  # never in Q2
    count = make_measure(api, code="C1", title="Carers assessed", unit="count")
    make_target(api, count, "100")
    make_actual(api, count, "2025-09", value="96", commentary="Two assessors on leave")
    make_actual(api, count, "2026-01", value="40", commentary="After Q3")  # Q4


def _report(api: TestClient, quarter: str) -> str:
    page = api.get("/documents/quarterly-report", params={"quarter": quarter})
    assert page.status_code == 200
    text: str = page.text
    return text


def test_the_kpi_part_is_as_at_the_quarters_end_at_three_quarters(api: TestClient) -> None:
    _measures_reported_through_the_year(api)
    q1 = _report(api, "2025/26 Q1")
    assert "No measure is off track or at risk at the end of Q1 2025/26." in q1
    assert "2 measures at the end of Q1 2025/26: 0 Green, 0 Amber, 0 Red, 2 No data" in q1
    q2 = _report(api, "2025/26 Q2")
    assert "0 measures are off track (Red) and 1 at risk (Amber) at the end of Q2 2025/26." in q2
    assert "Two assessors on leave" in q2
    assert "After Q2" not in q2
    assert "5.0%" not in q2
    q3 = _report(api, "2025/26 Q3")
    assert "After Q2" in q3  # November is Q3's latest figure of P1, Red
    assert "After Q3" not in q3
    assert "Two assessors on leave" in q3


def test_exceptions_list_every_red_and_amber_measure_with_its_commentary_first(
    api: TestClient,
) -> None:
    _measures_reported_through_the_year(api)
    html = _report(api, "2025/26 Q4")
    exceptions = html.index('id="kpi-exceptions"')
    assert exceptions < html.index('id="budget"')  # exceptions first
    section = html[exceptions : html.index("</section>", exceptions)]
    assert "Reviews on time" in section
    assert "After Q2" in section
    assert "Carers assessed" in section
    assert "After Q3" in section
    assert section.count("Off track (Red)") >= 2
    q3 = _report(api, "2025/26 Q3")
    section = q3[q3.index('id="kpi-exceptions"') :]
    section = section[: section.index("</section>")]
    assert "At risk (Amber)" in section
    assert "Two assessors on leave" in section


def test_the_report_honours_each_measures_decimal_places(api: TestClient) -> None:
    share = make_measure(api, code="P1", title="Reviews on time", decimal_places=1)
    make_target(api, share, "20")
    make_actual(api, share, "2025-09", numerator="452", denominator="3813", commentary="Backlog")
    html = _report(api, "2025/26 Q2")
    assert "11.9%" in html
    assert "11.854183" not in html
    assert "20.0%" in html  # the target too
