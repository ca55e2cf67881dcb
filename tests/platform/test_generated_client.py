"""An integrator can generate a client from the merged document and use it: openapi-python-client
without a single warning and with no settings, driven against the running system (paging, a
retried create, a stale update, a CSV download); datamodel-code-generator as one file of models.
"""

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from common.db import Database, make_engine
from common.settings import DEMO_ORG_ID
from stack.testing.processes import RunningSystem, live_fixture
from tests.identity.conftest import make_api_key

BIN = Path(sys.executable).parent
PACKAGE = "asc_tracker_client"


# Every app as its own process over a fresh demo council; callers sign in for real.
live = live_fixture("asc_client", dev_identity=False)


@pytest.fixture(scope="module")
def key(live: RunningSystem) -> str:
    """An API key of the demo council, as its admin would make one for an integrator."""
    database = Database(make_engine(live.database_url))
    try:
        with database.session(DEMO_ORG_ID) as session:
            new = make_api_key(
                session,
                "Integrator",
                access="read_write",
                services=["kpi", "finance"],
                role="programme_office",
            )
            session.commit()
            return new.secret
    finally:
        database.dispose()


@pytest.fixture(scope="module")
def document_file(live: RunningSystem, key: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    response = httpx.get(
        live.url() + "/api/v1/openapi.json", headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 200, response.text
    path = tmp_path_factory.mktemp("document") / "openapi.json"
    path.write_text(json.dumps(response.json()))
    return path


@pytest.fixture(scope="module")
def generated(document_file: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The generated package's folder and everything the generator printed."""
    out = tmp_path_factory.mktemp("generated")
    result = subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(document_file),
            "--output-path",
            str(out / PACKAGE),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"},  # its ruff
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return out, output


@pytest.fixture(scope="module")
def client_package(generated: tuple[Path, str]) -> Iterator[ModuleType]:
    folder, _ = generated
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture
def client(client_package: ModuleType, live: RunningSystem, key: str) -> Iterator[Any]:
    with client_package.AuthenticatedClient(base_url=live.url(), token=key) as authenticated:
        yield authenticated


def endpoint(package: ModuleType, tag: str, operation: str) -> Any:
    return importlib.import_module(f"{package.__name__}.api.{tag}.{operation}")


def test_openapi_python_client_generates_every_operation_without_a_warning(
    generated: tuple[Path, str],
) -> None:
    folder, output = generated
    assert "warning" not in output.lower(), output
    assert (folder / PACKAGE / "api" / "kpi_measures" / "list_measures.py").is_file()


def test_the_generated_client_pages_through_a_list(client_package: ModuleType, client: Any) -> None:
    list_measures = endpoint(client_package, "kpi_measures", "list_measures")
    first = list_measures.sync(client=client, limit=2, offset=0)
    second = list_measures.sync(client=client, limit=2, offset=2)
    assert first.total == second.total > 2
    assert (first.limit, first.offset, second.offset) == (2, 0, 2)
    assert len(first.items) == len(second.items) == 2
    assert {m.id for m in first.items}.isdisjoint({m.id for m in second.items})


def test_a_create_retried_with_its_idempotency_key_is_answered_once(
    client_package: ModuleType, client: Any
) -> None:
    create_measure = endpoint(client_package, "kpi_measures", "create_measure")
    body = client_package.models.KpiMeasureCreate(code="GEN-1", title="Made by a generated client")
    first = create_measure.sync_detailed(client=client, body=body, idempotency_key="gen-1")
    again = create_measure.sync_detailed(client=client, body=body, idempotency_key="gen-1")
    assert first.status_code == again.status_code == 201, first.content
    assert again.parsed.id == first.parsed.id
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers


def test_an_update_with_a_stale_if_match_is_refused_with_412(
    client_package: ModuleType, client: Any
) -> None:
    measures = "kpi_measures"
    created = endpoint(client_package, measures, "create_measure").sync_detailed(
        client=client, body=client_package.models.KpiMeasureCreate(code="GEN-2", title="First")
    )
    assert created.status_code == 201, created.content
    update_measure = endpoint(client_package, measures, "update_measure")
    read = endpoint(client_package, measures, "get_measure").sync_detailed(
        created.parsed.id, client=client
    )
    etag = read.headers["ETag"]
    change = client_package.models.KpiMeasureUpdate(title="Second")
    changed = update_measure.sync_detailed(
        created.parsed.id, client=client, body=change, if_match=etag
    )
    assert changed.status_code == 200, changed.content
    assert changed.parsed.title == "Second"

    stale = update_measure.sync_detailed(
        created.parsed.id,
        client=client,
        body=client_package.models.KpiMeasureUpdate(title="Third"),
        if_match=etag,
    )
    assert stale.status_code == 412
    assert isinstance(stale.parsed, client_package.models.Problem)
    assert stale.parsed.status == 412


def test_a_csv_download_comes_back_as_text(client_package: ModuleType, client: Any) -> None:
    download = endpoint(client_package, "finance_budgets", "budget_position_csv")
    response = download.sync_detailed(client=client)
    assert response.status_code == 200, response.content
    assert response.headers["content-type"].startswith("text/csv")
    assert isinstance(response.parsed, str)
    assert response.parsed.splitlines()[0].count(",") >= 3


def test_datamodel_code_generator_writes_one_file_of_models(
    document_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "models.py"
    result = subprocess.run(
        [
            str(BIN / "datamodel-codegen"),
            "--input",
            str(document_file),
            "--input-file-type",
            "openapi",
            "--output",
            str(out),
            "--output-model-type",
            "pydantic_v2.BaseModel",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "class KpiMeasureRead(BaseModel)" in out.read_text()
