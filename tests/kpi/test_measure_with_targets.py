"""A measure is set up with its targets by year in one change: all of it is saved, or none."""

from fastapi.testclient import TestClient

from tests.kpi.factories import API

QUARTERLY = {"code": "ASC 9", "title": "Reviews done", "frequency": "quarterly"}


def test_a_measure_is_created_with_its_targets_and_profile(api: TestClient) -> None:
    created = api.post(
        f"{API}/measures",
        json=QUARTERLY
        | {
            "targets": [
                {"financial_year": "2026/27", "value": "400", "profile": [90, 100, 100, 110]},
                {"financial_year": "2027/28", "value": "420"},
            ],
        },
    )
    assert created.status_code == 201, created.text
    targets = api.get(f"{API}/targets", params={"measure_id": created.json()["id"]}).json()
    assert [(t["financial_year"], t["value"], t["profile"]) for t in targets["items"]] == [
        ("2026/27", "400", ["90", "100", "100", "110"]),
        ("2027/28", "420", None),
    ]


def test_a_target_that_does_not_fit_saves_nothing_and_says_which(api: TestClient) -> None:
    refused = api.post(
        f"{API}/measures",
        json=QUARTERLY
        | {
            "targets": [
                {"financial_year": "2026/27", "value": "400"},
                {"financial_year": "2027/28", "value": "420", "profile": [1, 2]},
                {"financial_year": "2027/28", "value": "1"},
            ],
        },
    )
    assert refused.status_code == 422
    fields = {e["field"]: e["message"] for e in refused.json()["errors"]}
    assert set(fields) == {"targets.1.profile", "targets.2.financial_year"}
    assert "4 profile figures" in fields["targets.1.profile"]
    assert api.get(f"{API}/measures", params={"include_retired": "true"}).json()["total"] == 0
