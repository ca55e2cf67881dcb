"""Large files: the preview carries the file to the import compressed and in chunks, the gateway
lets imports be larger than other requests, and the pages show upload progress with JavaScript
while working without it."""

import re
import secrets

import pytest
from fastapi.testclient import TestClient

from common.settings import Settings
from common.writing import write_csv
from stack.testing.plugin import System
from web.views.imports import CHUNK, pack, unpack

KPI_HEADERS = ["Measure", "Definition", "Unit", "Better", "Frequency", "Target 25/26"]


def _hidden(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]*)"', page)


def test_the_packed_file_comes_back_exactly_and_a_small_field_cannot_unpack_to_a_huge_file() -> (
    None
):
    data = secrets.token_hex(700_000).encode()  # 1.4 MB that compresses only to half
    chunks = pack(data)
    assert len(chunks) > 1
    assert all(len(chunk) <= CHUNK for chunk in chunks)
    assert unpack(chunks, limit=len(data)) == data
    assert unpack(chunks, limit=len(data) - 1) == b""
    assert unpack(pack(b"\0" * 10_000_000), limit=1_000_000) == b""
    assert unpack(["not base64 or zlib!"], limit=1_000) == b""


def test_a_file_too_large_for_a_form_field_previews_and_imports_through_the_pages(
    api: TestClient,
) -> None:
    rows = [
        [f"Measure {n}", secrets.token_hex(600), "Number", "Bigger", "Monthly", "10"]
        for n in range(1, 1_501)
    ]
    data = write_csv(KPI_HEADERS, rows)
    assert len(data) > 1024 * 1024  # more than a form field may hold
    preview = api.post(
        "/imports/preview", data={"kind": "kpis"}, files={"file": ("k.csv", data, "text/csv")}
    )
    assert preview.status_code == 200, preview.text[:2000]
    content = _hidden(preview.text, "content")
    assert len(content) > 1
    done = api.post(
        "/imports/commit",
        data={"kind": "kpis", "filename": "k.csv", "content": content},
    )
    assert done.status_code == 200, done.text[:2000]
    assert "1500 created" in done.text or "1,500 created" in done.text
    assert api.get("/api/v1/kpi/measures", params={"limit": 1}).json()["total"] == 1_500


def test_imports_may_be_larger_than_other_requests_at_the_gateway(
    api: TestClient, settings: Settings
) -> None:
    size = settings.max_body_bytes + 1024 * 1024
    assert size < settings.import_body_bytes()
    body = b"Measure,Period,Value\n" + b"x" * size
    imported = api.post(
        "/api/v1/kpi/imports/actuals", files={"file": ("big.csv", body, "text/csv")}
    )
    assert imported.status_code == 422, imported.text[:500]  # read, and refused for what it is
    other = api.post(
        "/api/v1/kpi/measures", content=body, headers={"Content-Type": "application/json"}
    )
    assert other.status_code == 413


def test_a_file_over_the_import_limit_is_refused_beside_the_field(
    api: TestClient, system: System, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(system.web.state.settings, "max_import_file_bytes", 2 * 1024 * 1024)
    data = write_csv(["Measure"], [[secrets.token_hex(1_100_000)]])
    page = api.post(
        "/imports/preview", data={"kind": "kpis"}, files={"file": ("k.csv", data, "text/csv")}
    )
    assert page.status_code == 422
    assert "The file must be smaller than 2 MB" in page.text
    assert 'id="file-error"' in page.text


def test_the_upload_form_shows_progress_with_javascript_and_posts_without_it(
    api: TestClient,
) -> None:
    page = api.get("/imports").text
    form = re.search(r"<form[^>]*action=\"/imports/preview\"[^>]*>", page)
    assert form
    # Without JavaScript: an ordinary multipart form post.
    assert 'method="post"' in form[0]
    assert 'enctype="multipart/form-data"' in form[0]
    # With it: htmx posts it and app.js feeds the progress bar and the words beside it.
    assert 'hx-post="/imports/preview"' in form[0]
    assert "data-app-upload" in form[0]
    assert re.search(r'<label class="govuk-label" for="upload-progress">', page)
    assert re.search(r'<progress id="upload-progress" max="100" value="0">0%</progress>', page)
    assert 'role="status" data-app-upload-status' in page
    script = api.get("/static/app.js").text
    assert "htmx:xhr:progress" in script
    assert "Checking" in script
