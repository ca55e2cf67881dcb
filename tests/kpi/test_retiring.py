"""A KPI is retired when it is no longer reported: the same operations as every other record
that can be retired, and the same state as answering "no" to "Is it still reported?"."""

from fastapi.testclient import TestClient

from tests.kpi.factories import API, make_measure


def test_a_retired_measure_leaves_the_list_and_comes_back(api: TestClient) -> None:
    measure = make_measure(api)
    url = f"{API}/measures/{measure['id']}"
    retired = api.post(f"{url}/retire", headers={"If-Match": f'"{measure["version"]}"'})
    assert retired.status_code == 200, retired.text
    assert (retired.json()["retired"], retired.json()["active"]) == (True, False)

    assert api.get(f"{API}/measures").json()["total"] == 0
    listed = api.get(f"{API}/measures", params={"include_retired": "true"}).json()
    assert [m["retired"] for m in listed["items"]] == [True]

    restored = api.post(f"{url}/restore", headers={"If-Match": retired.headers["ETag"]})
    assert (restored.json()["retired"], restored.json()["active"]) == (False, True)
    assert api.get(f"{API}/measures").json()["total"] == 1


def test_answering_not_still_reported_retires_a_measure(api: TestClient) -> None:
    measure = make_measure(api)
    url = f"{API}/measures/{measure['id']}"
    changed = api.patch(url, json={"active": False}, headers={"If-Match": '"1"'})
    assert changed.json()["retired"] is True
    assert changed.json()["retired_at"] is not None


def test_retiring_a_measure_needs_the_current_version(api: TestClient) -> None:
    measure = make_measure(api)
    url = f"{API}/measures/{measure['id']}/retire"
    assert api.post(url).status_code == 428
    assert api.post(url, headers={"If-Match": '"99"'}).status_code == 412
