"""RAG counts by service area with the direction of travel, as the director's dashboard shows
them (`GET /kpi/scorecard/service-areas`)."""

from typing import Any

from fastapi.testclient import TestClient

from services.kpi.scorecard.rules import Rag, Travel, area_travel
from tests.kpi.factories import API, make_actual, make_measure, make_target


def areas(api: TestClient, period: str) -> dict[str, dict[str, Any]]:
    response = api.get(f"{API}/scorecard/service-areas", params={"period": period})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["period"], body["previous_label"]) == (period, "August 2025")
    return {a["service_area"]: a for a in body["areas"]}


def test_each_service_area_counts_its_measures_by_rag_now_and_the_period_before(
    api: TestClient,
) -> None:
    rising = make_measure(api, code="R1", service_area="Reablement")
    make_target(api, rising, "78")
    make_actual(api, rising, "2025-08", value="60")  # Red
    make_actual(api, rising, "2025-09", value="80")  # Green
    steady = make_measure(api, code="R2", service_area="Reablement")
    make_target(api, steady, "78")
    make_actual(api, steady, "2025-08", value="80")
    make_actual(api, steady, "2025-09", value="80")
    falling = make_measure(api, code="S1", service_area="Safeguarding")
    make_target(api, falling, "78")
    make_actual(api, falling, "2025-08", value="80")
    make_actual(api, falling, "2025-09", value="76")  # Amber
    make_measure(api, code="Q1", service_area="Quality")  # nothing reported either month
    found = areas(api, "2025-09")
    assert list(found) == ["Quality", "Reablement", "Safeguarding"]
    reablement = found["Reablement"]
    assert reablement["measures"] == 2
    assert reablement["counts"] == {"green": 2, "amber": 0, "red": 0, "no_data": 0, "no_target": 0}
    assert reablement["previous_counts"] == {
        "green": 1,
        "amber": 0,
        "red": 1,
        "no_data": 0,
        "no_target": 0,
    }
    assert (reablement["improved"], reablement["worsened"], reablement["direction"]) == (
        1,
        0,
        "better",
    )
    assert found["Safeguarding"]["direction"] == "worse"
    quality = found["Quality"]
    assert quality["counts"]["no_data"] == 1
    assert quality["direction"] == "not_known"


def test_as_many_measures_up_as_down_is_the_same() -> None:
    assert area_travel([(Rag.AMBER, Rag.GREEN), (Rag.GREEN, Rag.AMBER)]) == (Travel.SAME, 1, 1)


def test_quarterly_measures_read_their_previous_quarter(api: TestClient) -> None:
    measure = make_measure(api, code="QTR", frequency="quarterly", service_area="Reablement")
    make_target(api, measure, "78")
    make_actual(api, measure, "2025/26 Q1", value="60")
    make_actual(api, measure, "2025/26 Q2", value="80")
    reablement = areas(api, "2025-09")["Reablement"]
    assert reablement["counts"]["green"] == 1
    assert reablement["previous_counts"]["red"] == 1
    assert reablement["direction"] == "better"


def test_a_bad_period_is_a_422_on_period(api: TestClient) -> None:
    response = api.get(f"{API}/scorecard/service-areas", params={"period": "someday"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["period"]
