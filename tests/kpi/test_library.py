"""The national measure library: shipped as data with its sources, adopted in one step, and
benchmarks imported from a national benchmarking export."""

from fastapi.testclient import TestClient
from httpx import Response

from services.kpi.library.rules import library
from tests.kpi.factories import make_measure

API = "/api/v1/kpi"
BENCHMARKS = (
    "Area code,Area name,Period,Value\n"
    "E92000001,England,2023-24,560.8\n"
    "E12000002,North West,2023-24,601.2\n"
    "E08000001,Bolton,2023-24,x\n"
)


def test_every_shipped_measure_has_a_source_and_names_what_is_unconfirmed() -> None:
    fields = {"title", "definition", "numerator", "denominator", "polarity", "predecessor_id"}
    for measure in library():
        assert measure.source, measure.national_id
        assert set(measure.unconfirmed) <= fields, measure.national_id
        assert measure.unit in {"percent", "rate_per_100k", "score"}
        assert measure.polarity in {"bigger_is_better", "smaller_is_better"}
    predecessors = {m.national_id: m.predecessor_id for m in library()}
    assert predecessors["2C"] == "2A(2)"
    assert predecessors["3D"] == "1C"


def test_a_council_adopts_library_measures_in_one_step(api: TestClient) -> None:
    response = api.post(
        f"{API}/library/adoptions", json={"keys": ["ascof-2023-24:2C", "ascof-2023-24:3D"]}
    )
    assert response.status_code == 201, response.text
    adopted = {a["national_id"]: a for a in response.json()}
    assert adopted["2C"]["framework_year"] == "2023-24"
    measure = api.get(f"{API}/measures/{adopted['2C']['measure_id']}").json()
    assert (measure["code"], measure["national_reference"]) == ("ASCOF 2C", "ASCOF 2C")
    assert measure["unit"] == "rate_per_100k"
    assert measure["polarity"] == "smaller_is_better"
    assert "per 100,000" in measure["title"]
    listed = {m["key"]: m for m in api.get(f"{API}/library/measures").json()["items"]}
    assert listed["ascof-2023-24:2C"]["adopted_measure_id"] == adopted["2C"]["measure_id"]
    assert listed["ascof-2023-24:1A"]["adopted_measure_id"] is None


def test_adopting_is_all_or_none_and_never_twice(api: TestClient) -> None:
    mixed = api.post(
        f"{API}/library/adoptions", json={"keys": ["ascof-2023-24:2C", "ascof-2023-24:9Z"]}
    )
    assert mixed.status_code == 422
    assert mixed.json()["errors"][0]["field"] == "keys.1"
    assert api.get(f"{API}/library/adoptions").json()["items"] == []
    assert (
        api.post(f"{API}/library/adoptions", json={"keys": ["ascof-2023-24:2C"]}).status_code == 201
    )
    again = api.post(f"{API}/library/adoptions", json={"keys": ["ascof-2023-24:2C"]})
    assert again.status_code == 409


def _import(api: TestClient, measure_id: str, text: str, apply: bool) -> Response:
    response: Response = api.post(
        f"{API}/measures/{measure_id}/benchmarks/import",
        params={"apply": str(apply).lower()},
        files={"file": ("ascof-2c.csv", text.encode(), "text/csv")},
    )
    return response


def test_benchmarks_import_from_a_national_export(api: TestClient) -> None:
    measure = make_measure(api, code="ASCOF 2C", unit="rate_per_100k")
    preview = _import(api, measure["id"], BENCHMARKS, apply=False)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["applied"] is False
    assert [r["outcome"] for r in body["rows"]] == ["new", "new", "skip"]
    assert api.get(f"{API}/benchmarks", params={"measure_id": measure["id"]}).json()["total"] == 0
    applied = _import(api, measure["id"], BENCHMARKS, apply=True).json()
    assert applied["applied"] is True
    rows = api.get(f"{API}/benchmarks", params={"measure_id": measure["id"]}).json()["items"]
    assert {(b["comparator"], b["financial_year"], b["value"]) for b in rows} == {
        ("England", "2023/24", "560.8"),
        ("North West", "2023/24", "601.2"),
    }
    assert any("E92000001" in b["source"] for b in rows)
    again = _import(api, measure["id"], BENCHMARKS.replace("560.8", "561"), apply=False).json()
    assert [r["outcome"] for r in again["rows"]] == ["update", "unchanged", "skip"]


def test_a_benchmark_file_with_a_bad_row_imports_nothing(api: TestClient) -> None:
    measure = make_measure(api, code="ASCOF 2C", unit="rate_per_100k")
    bad = BENCHMARKS + "E06000001,Hartlepool,2023/2025,12\n"
    response = _import(api, measure["id"], bad, apply=True)
    assert response.status_code == 422
    assert any(e["field"] == "rows.5" for e in response.json()["errors"])
    assert api.get(f"{API}/benchmarks", params={"measure_id": measure["id"]}).json()["total"] == 0
    no_columns = _import(api, measure["id"], "Name,Value\nEngland,1\n", apply=True)
    assert no_columns.status_code == 422
