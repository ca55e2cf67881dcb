"""The import page's period field: one period for a file of figures with no period column,
refused beside the field (what was typed kept) and carried from the preview to the import."""

import re

import httpx
from fastapi.testclient import TestClient

from common.writing import write_csv
from tests.imports.files import KPIS
from web.views.imports import pack


def _figures(api: TestClient) -> bytes:
    kpis = api.post("/imports/commit", data={"kind": "kpis", "content": pack(KPIS.read_bytes())})
    assert kpis.status_code == 200, kpis.text
    code = api.get("/api/v1/kpi/measures", params={"limit": 1}).json()["items"][0]["code"]
    return write_csv(["Code", "Actual"], [[code, "10"]])


def _preview(api: TestClient, data: bytes, period: str) -> httpx.Response:
    page: httpx.Response = api.post(
        "/imports/preview",
        data={"kind": "actuals", "period": period},
        files={"file": ("a.csv", data, "text/csv")},
    )
    return page


def test_figures_with_no_period_column_ask_for_the_period_beside_its_field(
    api: TestClient,
) -> None:
    data = _figures(api)
    page = _preview(api, data, "")
    assert page.status_code == 422, page.text
    assert 'href="#period"' in page.text  # the error summary links to the field
    assert 'id="period-error"' in page.text
    wrong = _preview(api, data, "Autumn 2025")
    assert wrong.status_code == 422, wrong.text
    assert 'name="period" type="text" value="Autumn 2025"' in wrong.text  # kept as typed
    assert "Autumn 2025" in wrong.text.split('id="period-error"')[1].split("</p>")[0]


def test_the_period_given_for_the_file_goes_from_the_preview_to_the_import(
    api: TestClient,
) -> None:
    preview = _preview(api, _figures(api), "April 2025")
    assert preview.status_code == 200, preview.text
    assert 'name="period" value="April 2025"' in preview.text
    form = {
        "kind": "actuals",
        "filename": "a.csv",
        "content": re.findall(r'name="content" value="([^"]*)"', preview.text),
        "period": "April 2025",
    }
    done = api.post("/imports/commit", data=form)
    assert done.status_code == 200, done.text
    assert [a["period"] for a in api.get("/api/v1/kpi/actuals").json()["items"]] == ["2025-04"]
